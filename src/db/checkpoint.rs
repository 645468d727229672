//! The checkpoint thread: copies the write-ahead log back into the database file on its
//! own connection, so the writer thread never does.
//!
//! SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold, on the
//! committing connection: with `synchronous=FULL` that commit then also writes and
//! `fsync`s the database file, and every save queued behind it waits (measured: spikes of
//! tens of milliseconds in the hall benchmark, against ~0.15 ms for a plain commit). Here
//! the writer's automatic checkpoint is raised to a safety net ([`WRITER_SAFETY_PAGES`]) and
//! this thread runs a `PASSIVE` checkpoint every [`EVERY`]: it copies what no reader still
//! needs and never blocks the writer or a reader.

use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::DbError;

/// How often the log is copied back. A second of saves at the hall's peak is a few
/// hundred pages: the log stays small, and an idle server does no I/O (a checkpoint with
/// nothing new to copy returns at once).
const EVERY: Duration = Duration::from_secs(1);

/// The writer's own automatic checkpoint, only reached if this thread falls behind or
/// has stopped (pages of 4 KiB: about 40 MB of log).
pub(super) const WRITER_SAFETY_PAGES: i64 = 10_000;

/// The handle to the thread; dropping it stops the thread after one last checkpoint.
pub(super) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the (already migrated, WAL-mode) database at `path`.
    pub(super) fn start(path: &Path) -> Result<Self, DbError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("db-checkpoint".into())
            .spawn(move || run(&conn, &stopped))
            .map_err(|e| DbError::Task(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(conn: &Connection, stopped: &mpsc::Receiver<()>) {
    loop {
        let last = match stopped.recv_timeout(EVERY) {
            Err(mpsc::RecvTimeoutError::Timeout) => false,
            // The handle is gone (or sent a stop): one last copy, then end.
            _ => true,
        };
        if let Err(e) = passive(conn) {
            // The writer's safety net still bounds the log; say why this one failed.
            eprintln!("database checkpoint failed (the writer will checkpoint instead): {e}");
        }
        if last {
            return;
        }
    }
}

/// One `PASSIVE` checkpoint: copies what it can, waits for nobody.
fn passive(conn: &Connection) -> rusqlite::Result<()> {
    // The row (busy, log pages, pages copied) is only of interest to a debugger.
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[test]
    fn the_log_is_copied_back_without_the_writer() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("c.db");
        let db = Db::open(&path).expect("db");
        let autocheckpoint: i64 = db
            .write_blocking(|c| Ok(c.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?))
            .expect("pragma");
        assert_eq!(autocheckpoint, WRITER_SAFETY_PAGES);
        db.write_blocking(|c| {
            c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (zeroblob(100000));")?;
            Ok(())
        })
        .expect("write");
        // Written to the log only; the file grows once the thread copies it back (the
        // writer's own checkpoint is far off at 25 pages).
        let mut size = 0;
        for _ in 0..40 {
            std::thread::sleep(Duration::from_millis(100));
            size = std::fs::metadata(&path).expect("file").len();
            if size > 100_000 {
                break;
            }
        }
        assert!(
            size > 100_000,
            "the log was not copied back: the file has {size} bytes"
        );
    }
}
