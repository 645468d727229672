//! Sharing a programme with another district: one file holding a curriculum and the
//! content files it needs (its cases, and the files declaring the roles they name), and
//! bringing such a file into a content folder.
//!
//! The file is JSON: `{"format": "acp-workbook-programme", "version": 1, "curriculum":
//! ID, "files": {"curricula/ID.md": TEXT, "cases/ID.md": TEXT, …}}`. Importing is all
//! or nothing: every name and text is checked, then the whole folder with the new files
//! (a full `check`), and only then is anything written, each file through a temporary
//! file and a rename, so the folder never holds half a file. A file whose id is already
//! here is replaced only by a newer `version:`; the old text is kept beside it under a
//! name the loader does not read (it does not end in `.md`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{FILE_MAX, Library, Problem, Sources, is_slug};
use crate::lang::Lang;

/// The `format` of a programme file.
pub const FORMAT: &str = "acp-workbook-programme";
/// The newest programme-file version this build writes and reads.
pub const VERSION: u64 = 1;
/// Most content files one programme file may bring: a curriculum walks a handful of
/// cases, so this is generous and still bounds the work of a check.
pub const FILES_MAX: usize = 100;
/// Largest programme file accepted, in bytes: [`FILES_MAX`] files could not all be
/// [`FILE_MAX`] large, but a curriculum with a dozen large cases fits with room.
pub const UPLOAD_MAX: usize = 16 * 1024 * 1024;

/// A programme file as written.
#[derive(Debug, Serialize)]
pub struct ProgrammeFile {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// Always [`VERSION`].
    pub version: u64,
    /// The curriculum the file is for.
    pub curriculum: String,
    /// The curriculum's title, for whoever opens the file.
    pub title: String,
    /// The curriculum's own `version:`.
    pub curriculum_version: String,
    /// Path relative to the content folder → text.
    pub files: BTreeMap<String, String>,
}

/// The programme file of `curriculum_id`: the curriculum and every file its sessions
/// need ([`Library::bundle_sources`]), or `None` when there is no such curriculum.
pub fn export(library: &Library, curriculum_id: &str) -> Option<String> {
    let curriculum = library.curricula.get(curriculum_id)?;
    let sources = library.bundle_sources(curriculum_id)?;
    let file = ProgrammeFile {
        format: FORMAT,
        version: VERSION,
        curriculum: curriculum.id.clone(),
        title: curriculum.title.clone(),
        curriculum_version: curriculum.version.clone(),
        files: sources.files,
    };
    serde_json::to_string_pretty(&file).ok()
}

/// The download name of a programme file: `ID-vVERSION.programme.json`, ASCII only.
pub fn file_name(library: &Library, curriculum_id: &str) -> String {
    let version: String = library
        .curricula
        .get(curriculum_id)
        .map(|c| c.version.as_str())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .take(20)
        .collect();
    format!("{curriculum_id}-v{version}.programme.json")
}

/// One thing wrong with a programme file, worded by an i18n key of `[share]`, or a
/// problem `check` found in the content it would make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `share.bad.*` with its arguments.
    Keyed(&'static str, Vec<String>),
    /// A content problem, with the file and line it names.
    Content(Problem),
}

/// Why a programme file was not imported; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The summary (`share.err_*`).
    pub key: &'static str,
    /// Its arguments.
    pub args: Vec<String>,
    /// Each thing wrong, in the file's order.
    pub items: Vec<Item>,
    /// True when the file is fine but clashes with what the folder holds.
    pub conflict: bool,
}

impl Refusal {
    fn new(key: &'static str, args: &[&dyn std::fmt::Display]) -> Self {
        Self {
            key,
            args: args.iter().map(|a| a.to_string()).collect(),
            items: Vec::new(),
            conflict: false,
        }
    }

    fn with(mut self, items: Vec<Item>) -> Self {
        self.items = items;
        self
    }

    /// The summary in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        crate::i18n::format(lang, self.key, &self.args)
    }

    /// Each thing wrong in `lang`, one line each (a content problem with its hint).
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        self.items
            .iter()
            .map(|item| match item {
                Item::Keyed(key, args) => crate::i18n::format(lang, key, args),
                Item::Content(problem) => problem.render(lang),
            })
            .collect()
    }
}

fn keyed(key: &'static str, args: &[&dyn std::fmt::Display]) -> Item {
    Item::Keyed(key, args.iter().map(|a| a.to_string()).collect())
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// The curricula the file brought, by id.
    pub curricula: Vec<String>,
    /// Files written, relative to the content folder.
    pub written: Vec<String>,
    /// Files already here with the same text, left alone.
    pub unchanged: Vec<String>,
    /// Replaced files and where their old text is kept: (file, kept as).
    pub kept: Vec<(String, String)>,
}

/// True for `curricula/NAME.md` or `cases/NAME.md` with a slug NAME: the only names a
/// programme file may write (no folders, no `..`, no other extension).
pub fn is_content_name(name: &str) -> bool {
    let Some((folder, file)) = name.split_once('/') else {
        return false;
    };
    matches!(folder, "curricula" | "cases") && file.strip_suffix(".md").is_some_and(is_slug)
}

/// Reads and checks a programme file on its own: the text, the JSON, the format and
/// version, every file name and text, and that the files load by themselves.
pub fn parse(bytes: &[u8]) -> Result<Library, Refusal> {
    let bytes = bytes.strip_prefix(crate::text::csv::BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| Refusal::new("share.err_not_text", &[]))?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let detail = e.to_string();
        let detail = detail
            .rfind(" at line ")
            .map_or(detail.as_str(), |i| &detail[..i])
            .to_string();
        Refusal::new("share.err_not_json", &[&e.line(), &e.column(), &detail])
    })?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(Refusal::new("share.err_not_programme", &[&FORMAT]));
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if (1..=VERSION).contains(&v) => {}
        Some(v) if v > VERSION => {
            return Err(Refusal::new("share.err_newer", &[&v, &VERSION]));
        }
        _ => {
            return Err(Refusal::new("share.err_invalid", &[&1]).with(vec![keyed(
                "share.bad.version",
                &[&value
                    .get("version")
                    .map_or("—".to_string(), |v| v.to_string())],
            )]));
        }
    }
    let Some(files) = value.get("files").and_then(|f| f.as_object()) else {
        return Err(
            Refusal::new("share.err_invalid", &[&1]).with(vec![keyed("share.bad.no_files", &[])])
        );
    };
    let mut items = Vec::new();
    if files.is_empty() {
        items.push(keyed("share.bad.no_files", &[]));
    }
    if files.len() > FILES_MAX {
        items.push(keyed("share.bad.too_many", &[&files.len(), &FILES_MAX]));
    }
    let mut sources = Sources::default();
    for (name, text) in files.iter().take(FILES_MAX) {
        let shown: String = name.chars().take(80).collect();
        if !is_content_name(name) {
            items.push(keyed("share.bad.name", &[&shown]));
            continue;
        }
        let Some(text) = text.as_str() else {
            items.push(keyed("share.bad.not_text", &[&shown]));
            continue;
        };
        if text.len() as u64 > FILE_MAX {
            items.push(keyed("share.bad.large", &[&shown, &text.len(), &FILE_MAX]));
            continue;
        }
        sources.files.insert(name.clone(), text.to_string());
    }
    if !items.is_empty() {
        let n = items.len();
        return Err(Refusal::new("share.err_invalid", &[&n]).with(items));
    }
    if !sources.files.keys().any(|k| k.starts_with("curricula/")) {
        return Err(Refusal::new("share.err_invalid", &[&1])
            .with(vec![keyed("share.bad.no_curriculum", &[])]));
    }
    Library::from_sources(sources).map_err(|problems| {
        let n = problems.len();
        Refusal::new("share.err_content", &[&n])
            .with(problems.into_iter().map(Item::Content).collect())
    })
}

/// Compares two author-given versions: runs of digits by their number, other text as
/// text (`1.10` > `1.9`, `2026-12` > `2026-11`, `2.0` > `1.3b`).
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    fn parts(s: &str) -> Vec<(u128, String)> {
        let mut out = Vec::new();
        let mut chars = s.trim().chars().peekable();
        while let Some(&c) = chars.peek() {
            let digit = c.is_ascii_digit();
            let mut run = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_ascii_digit() != digit {
                    break;
                }
                run.push(c);
                chars.next();
            }
            if digit {
                out.push((run.parse().unwrap_or(u128::MAX), String::new()));
            } else if !run.chars().all(|c| matches!(c, '.' | '-' | '_' | ' ')) {
                // Separators only separate; letters (`b`, `rc`) count as text.
                out.push((0, run.to_lowercase()));
            }
        }
        out
    }
    parts(a).cmp(&parts(b))
}

/// One file an import writes.
struct Write {
    /// Relative to the content folder.
    rel: String,
    text: String,
    /// Where the text it replaces is kept, relative to the folder.
    keep_as: Option<String>,
}

/// Serializes imports: two at once could each check a folder the other then changes.
static IMPORTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Imports a programme file into the content folder `dir`, all or nothing (see the
/// module comment). `now` names the kept copies (`cases/x.md.20261203-141500.v1.0.old`).
pub fn import(dir: &Path, bytes: &[u8], now: &str) -> Result<Imported, Refusal> {
    let incoming = parse(bytes)?;
    let _guard = IMPORTING.lock().unwrap_or_else(|p| p.into_inner());
    let current = Sources::read_dir(dir).map_err(|problems| {
        let n = problems.len();
        Refusal::new("share.err_folder", &[&n])
            .with(problems.into_iter().map(Item::Content).collect())
    })?;
    let here = Library::from_sources(current.clone()).map_err(|problems| {
        let n = problems.len();
        Refusal::new("share.err_folder", &[&n])
            .with(problems.into_iter().map(Item::Content).collect())
    })?;
    let mut merged = current.clone();
    let mut writes = Vec::new();
    let mut clashes = Vec::new();
    let mut done = Imported {
        curricula: incoming.curricula.keys().cloned().collect(),
        ..Imported::default()
    };
    // Each incoming file by its id: new, the same text, a newer version, or a clash.
    let mut plan = |rel: &str, id: &str, version: &str, existing: Option<(&str, &str)>| {
        let text = &incoming.sources.files[rel];
        match existing {
            None => {
                if current.files.contains_key(rel) {
                    // The name is taken by a file of another id.
                    clashes.push(keyed("share.bad.name_taken", &[&rel, &id]));
                    return;
                }
                merged.files.insert(rel.to_string(), text.clone());
                writes.push(Write {
                    rel: rel.to_string(),
                    text: text.clone(),
                    keep_as: None,
                });
            }
            Some((path, _)) if current.files.get(path) == Some(text) => {
                done.unchanged.push(path.to_string());
            }
            Some((path, old)) if compare_versions(version, old).is_gt() => {
                let safe: String = old
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                    .take(20)
                    .collect();
                merged.files.insert(path.to_string(), text.clone());
                writes.push(Write {
                    rel: path.to_string(),
                    text: text.clone(),
                    keep_as: Some(format!("{path}.{now}.v{safe}.old")),
                });
            }
            Some((path, old)) => {
                clashes.push(keyed("share.bad.clash", &[&id, &path, &old, &version]));
            }
        }
    };
    for case in incoming.cases.values() {
        let existing = here
            .cases
            .get(&case.id)
            .map(|c| (c.path.as_str(), c.version.as_str()));
        plan(&case.path, &case.id, &case.version, existing);
    }
    for curriculum in incoming.curricula.values() {
        let existing = here
            .curricula
            .get(&curriculum.id)
            .map(|c| (c.path.as_str(), c.version.as_str()));
        plan(
            &curriculum.path,
            &curriculum.id,
            &curriculum.version,
            existing,
        );
    }
    if !clashes.is_empty() {
        let n = clashes.len();
        let mut refusal = Refusal::new("share.err_clash", &[&n]).with(clashes);
        refusal.conflict = true;
        return Err(refusal);
    }
    // The full check: the folder as it will be, every file together.
    if let Err(problems) = Library::from_sources(merged) {
        let n = problems.len();
        return Err(Refusal::new("share.err_together", &[&n])
            .with(problems.into_iter().map(Item::Content).collect()));
    }
    // Cases before curricula: a reload between two renames never sees a curriculum
    // whose case is not there yet.
    writes.sort_by_key(|w| !w.rel.starts_with("cases/"));
    write_all(dir, &writes).map_err(|e| Refusal::new("share.err_write", &[&e]))?;
    for w in writes {
        if let Some(kept) = w.keep_as {
            done.kept.push((w.rel.clone(), kept));
        }
        done.written.push(w.rel);
    }
    Ok(done)
}

/// Writes every file through a temporary file in its folder and a rename; on a failure
/// the files already renamed are put back as they were.
fn write_all(dir: &Path, writes: &[Write]) -> std::io::Result<()> {
    use std::io::Write as _;
    let temp_of = |rel: &str| -> PathBuf {
        let path = dir.join(rel);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        // Not ending in `.md`: the loader (and a watcher's reload) never reads it.
        path.with_file_name(format!(".{name}.importing"))
    };
    let mut temps = Vec::new();
    let result = (|| {
        for w in writes {
            let temp = temp_of(&w.rel);
            if let Some(parent) = temp.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut file = std::fs::File::create(&temp)?;
            temps.push(temp);
            file.write_all(w.text.as_bytes())?;
            file.sync_all()?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        temps.iter().for_each(|t| drop(std::fs::remove_file(t)));
        return Err(e);
    }
    // Renames, remembering how to undo each.
    let mut undo: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    for w in writes {
        let target = dir.join(&w.rel);
        let step = (|| {
            if let Some(keep) = &w.keep_as {
                std::fs::copy(&target, dir.join(keep))?;
            } else if target.exists() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!("{} appeared meanwhile", w.rel),
                ));
            }
            std::fs::rename(temp_of(&w.rel), &target)
        })();
        if let Err(e) = step {
            for (target, kept) in undo.into_iter().rev() {
                match kept {
                    Some(kept) => drop(std::fs::copy(kept, &target)),
                    None => drop(std::fs::remove_file(&target)),
                }
            }
            temps.iter().for_each(|t| drop(std::fs::remove_file(t)));
            return Err(e);
        }
        undo.push((target, w.keep_as.as_ref().map(|k| dir.join(k))));
    }
    if let Some(folder) = writes
        .first()
        .and_then(|w| dir.join(&w.rel).parent().map(Path::to_path_buf))
        && let Ok(handle) = std::fs::File::open(folder)
    {
        // The renames themselves reach the disk (best effort: not every system can).
        let _ = handle.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    #[test]
    fn versions_compare_by_their_numbers() {
        assert_eq!(compare_versions("1.10", "1.9"), Greater);
        assert_eq!(compare_versions("2026-12", "2026-11"), Greater);
        assert_eq!(compare_versions("1.0", "1.0"), Equal);
        assert_eq!(compare_versions("1", "1.0.1"), Less);
        assert_eq!(compare_versions("2.0", "1.3b"), Greater);
        assert_eq!(compare_versions("1.3b", "1.3"), Greater);
    }

    #[test]
    fn only_content_names_may_be_written() {
        for good in ["curricula/a.md", "cases/a-1.md"] {
            assert!(is_content_name(good), "{good}");
        }
        for bad in [
            "../cases/a.md",
            "cases/../a.md",
            "cases/a/b.md",
            "/etc/passwd",
            "cases/README.md",
            "cases/a.md.bak",
            "cases\\a.md",
            "other/a.md",
            "cases/.md",
            "cases/A.md",
            "curricula/a b.md",
            "cases/",
        ] {
            assert!(!is_content_name(bad), "{bad}");
        }
    }
}
