//! Watches a content folder's `curricula/` and `cases/` and calls back once per save.
//!
//! Editors save in many ways: in place, through a temporary file renamed over the
//! original, as a burst of writes, or by deleting and creating. A folder may be renamed
//! away and back. The watcher waits until the folder has been quiet for [`DEBOUNCE`]
//! and then calls back once for everything that happened, so the callback reads a
//! folder at rest. What the callback does with a file that does not check (keep the
//! last good content) is [`AppState::reload_content`](crate::server::AppState::reload_content)'s business.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use notify_debouncer_mini::notify::{self, RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, DebouncedEventKind, Debouncer, new_debouncer};

/// Quiet time after the last event before the folder is read again: long enough to
/// cover an editor's temporary file and rename (a few milliseconds apart) and a burst of
/// saves, short enough that a preview follows a save within a second.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

/// After one batch, how long to wait for another before reading: a save that spans two
/// of the debouncer's batches still gives one reload.
const SETTLE: Duration = Duration::from_millis(80);

/// The two folders content is read from, as [`super::Sources::read_dir`] reads them.
const FOLDERS: [&str; 2] = ["curricula", "cases"];

/// Watches until dropped.
pub struct ContentWatcher {
    debouncer: Arc<Mutex<Debouncer<RecommendedWatcher>>>,
}

impl std::fmt::Debug for ContentWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContentWatcher")
    }
}

impl ContentWatcher {
    /// Stops watching (the same as dropping it).
    pub fn stop(self) {
        drop(self.debouncer);
    }
}

/// Watches `dir/curricula` and `dir/cases` (and `dir` itself, so a folder renamed away
/// and back, or created later, is watched again) and calls `changed` on a thread of its
/// own after each quiet period that followed a change there.
pub fn watch(
    dir: &Path,
    changed: impl Fn() + Send + 'static,
) -> Result<ContentWatcher, notify::Error> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, tx)?;
    // The folder itself only for its own entries (a database beside the content, as with
    // `--content .`, writes inside `data/`, which this does not see).
    debouncer
        .watcher()
        .watch(dir, RecursiveMode::NonRecursive)?;
    for folder in FOLDERS {
        // A missing folder is reported by the reload; it is watched once it appears.
        let _ = debouncer
            .watcher()
            .watch(&dir.join(folder), RecursiveMode::NonRecursive);
    }
    let debouncer = Arc::new(Mutex::new(debouncer));
    let weak = Arc::downgrade(&debouncer);
    let dir = dir.to_path_buf();
    std::thread::Builder::new()
        .name("content watcher".into())
        .spawn(move || follow(&dir, &rx, &weak, &changed))
        .map_err(notify::Error::io)?;
    Ok(ContentWatcher { debouncer })
}

/// The watcher's thread: waits for batches, folds those that come close together, and
/// calls `changed` once for them. Ends when the watcher is dropped (the channel closes).
fn follow(
    dir: &Path,
    rx: &mpsc::Receiver<DebounceEventResult>,
    debouncer: &Weak<Mutex<Debouncer<RecommendedWatcher>>>,
    changed: &dyn Fn(),
) {
    let folders: Vec<PathBuf> = FOLDERS.iter().map(|f| dir.join(f)).collect();
    while let Ok(first) = rx.recv() {
        let mut batches = vec![first];
        while let Ok(more) = rx.recv_timeout(SETTLE) {
            batches.push(more);
        }
        let mut relevant = false;
        let mut rewatch = Vec::new();
        for batch in batches {
            let events = match batch {
                Ok(events) => events,
                Err(e) => {
                    tracing::warn!("watching the content folder: {e}");
                    // Events may have been lost: read the folder to be sure.
                    relevant = true;
                    continue;
                }
            };
            for event in events {
                // A path still being written to: its final event follows.
                if event.kind == DebouncedEventKind::AnyContinuous {
                    continue;
                }
                if let Some(folder) = folders.iter().find(|f| event.path == **f) {
                    rewatch.push(folder.clone());
                    relevant = true;
                } else if folders.iter().any(|f| event.path.starts_with(f)) {
                    relevant = true;
                }
            }
        }
        if !rewatch.is_empty() {
            let Some(debouncer) = debouncer.upgrade() else {
                return;
            };
            let mut debouncer = debouncer.lock().unwrap_or_else(|p| p.into_inner());
            for folder in rewatch {
                // The folder was created, removed or renamed: watch what is there now.
                let _ = debouncer.watcher().unwatch(&folder);
                let _ = debouncer
                    .watcher()
                    .watch(&folder, RecursiveMode::NonRecursive);
            }
        }
        if relevant {
            changed();
        }
    }
}
