//! Loads curricula and cases from Markdown files and checks them.
//!
//! Loading never stops at the first mistake: every problem is collected with its
//! `file:line`, a message and a hint, so an author can fix a file in one pass.

pub mod markdown;
pub mod model;
mod parse;
pub mod profession;
pub mod share;
pub mod suggest;
mod warn;
pub mod watch;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::lang::Lang;

pub use markdown::Markdown;
pub use model::*;
pub use parse::{DEFAULT_FIELD_MAX, DEFAULT_TEXT_MAX, LIST_MAX, is_slug};
pub use profession::{PROFESSIONS, Profession, Professions};
pub use warn::prompt_minutes;

/// One problem in a content file, for its author: `path:line`, what is wrong and how to
/// fix it, in the author's language (the `check` command, the server's start and the
/// organizer pages print it). Not to be confused with the problems of a file a user
/// uploads (a roster, a session file), which are [`crate::problem::Problem`]s.
///
/// A problem is an i18n key with its arguments: the message is `KEY` and the hint
/// `KEY.hint` in `src/i18n/*.txt`, in one of the [`crate::i18n::AUTHOR_SECTIONS`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file, as the user named the content folder.
    pub path: String,
    /// 1-based line; 0 when the whole file is at fault (it cannot be read).
    pub line: usize,
    /// The i18n key of the message (the hint is `KEY.hint`).
    key: &'static str,
    /// The arguments `{0}`, `{1}`… of both.
    args: Vec<String>,
    /// The known name the author probably meant, said after the message ("did you mean").
    near: Option<String>,
}

impl Problem {
    /// Builds a problem whose message is the i18n string `key` and whose hint is
    /// `key.hint`, both filled with `args` in order.
    pub fn keyed(path: &str, line: usize, key: &'static str, args: &[&dyn fmt::Display]) -> Self {
        Self {
            path: path.to_string(),
            line,
            key,
            args: args.iter().map(|a| a.to_string()).collect(),
            near: None,
        }
    }

    /// The same problem saying "did you mean `near`?" after its message, when there is
    /// a near name (see [`suggest`]).
    pub fn near(mut self, near: Option<&str>) -> Self {
        self.near = near.map(str::to_string);
        self
    }

    /// The name suggested with the message, if any.
    pub fn suggestion(&self) -> Option<&str> {
        self.near.as_deref()
    }

    /// The i18n key (tests match problems by it).
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The arguments the message and hint are filled with.
    pub fn args(&self) -> &[String] {
        &self.args
    }

    /// What is wrong, one sentence, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let message = crate::i18n::format(lang, self.key, &self.args);
        match &self.near {
            Some(near) => {
                let near =
                    crate::i18n::format(lang, "author.did_you_mean", std::slice::from_ref(near));
                format!("{message}{near}")
            }
            None => message,
        }
    }

    /// How to fix it, in `lang`: what to write instead.
    pub fn hint(&self, lang: Lang) -> String {
        crate::i18n::format(lang, &format!("{}.hint", self.key), &self.args)
    }

    /// `path:line: message` and an indented hint line, as `check` prints it.
    pub fn render(&self, lang: Lang) -> String {
        format!(
            "{}:{}: {}\n    {}: {}",
            self.path,
            self.line,
            self.message(lang),
            crate::i18n::format(lang, "author.hint", &[]),
            self.hint(lang)
        )
    }
}

impl fmt::Display for Problem {
    /// In Japanese, the authors' first language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::Ja))
    }
}

/// The source text of content files, by path relative to the content folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sources {
    /// `curricula/x.md` → text.
    pub files: BTreeMap<String, String>,
}

impl Sources {
    /// Reads every `*.md` in `dir/curricula` and `dir/cases` (README.md excluded).
    ///
    /// Only regular files are read, each at most [`FILE_MAX`] bytes: a named pipe, a
    /// device or a folder named `x.md` is refused without being opened (opening a pipe
    /// would wait forever), and so is a symbolic link unless it leads to a regular file
    /// inside `dir`. Every such file is reported, with the others still read.
    pub fn read_dir(dir: &Path) -> Result<Self, Vec<Problem>> {
        let mut files = BTreeMap::new();
        let mut problems = Vec::new();
        let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        for folder in ["curricula", "cases"] {
            let path = dir.join(folder);
            let entries = std::fs::read_dir(&path).map_err(|e| {
                vec![Problem::keyed(
                    &path.display().to_string(),
                    0,
                    "author.folder_unreadable",
                    &[&e],
                )]
            })?;
            let mut names: Vec<_> = entries.flatten().collect();
            names.sort_by_key(|e| e.file_name());
            for entry in names {
                let name = entry.file_name().to_string_lossy().to_string();
                if !name.ends_with(".md") || name.eq_ignore_ascii_case("README.md") {
                    continue;
                }
                let rel = format!("{folder}/{name}");
                match read_content_file(&root, &entry.path(), &rel) {
                    Ok(text) => {
                        files.insert(rel, text);
                    }
                    Err(problem) => problems.push(problem),
                }
            }
        }
        if problems.is_empty() {
            Ok(Self { files })
        } else {
            Err(problems)
        }
    }

    /// A stable hash of every file name and text.
    pub fn hash(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, text) in &self.files {
            hasher.update((name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Largest content file, in bytes: the bundled files are at most about 62 KB, and a
/// case of 20,000 scenes still fits.
pub const FILE_MAX: u64 = 1024 * 1024;

/// Reads one content file at `path` (named `rel` in problems), refusing anything but a
/// regular file of at most [`FILE_MAX`] bytes inside `root`.
fn read_content_file(root: &Path, path: &Path, rel: &str) -> Result<String, Problem> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Problem::keyed(rel, 0, "author.file_unreadable", &[&e]);
    let meta = std::fs::symlink_metadata(path).map_err(cannot)?;
    let (real, meta) = if meta.file_type().is_symlink() {
        let leaves = || Problem::keyed(rel, 0, "author.link_outside", &[]);
        let real = std::fs::canonicalize(path).map_err(|_| leaves())?;
        if !real.starts_with(root) {
            return Err(leaves());
        }
        let meta = std::fs::metadata(&real).map_err(cannot)?;
        (real, meta)
    } else {
        (path.to_path_buf(), meta)
    };
    if !meta.is_file() {
        return Err(Problem::keyed(rel, 0, "author.not_a_file", &[]));
    }
    let too_large =
        |size: u64| Problem::keyed(rel, 0, "author.file_too_large", &[&size, &FILE_MAX]);
    if meta.len() > FILE_MAX {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&real)
        .map_err(cannot)?
        .take(FILE_MAX + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > FILE_MAX {
        // The file grew after it was measured.
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        Problem::keyed(rel, line, "author.not_utf8", &[])
    })
}

/// Every curriculum and case of a content folder (or of a session's snapshot).
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Curricula by their slug id (the `id:` of the front matter).
    pub curricula: BTreeMap<String, Arc<Curriculum>>,
    /// Cases by their slug id, which a case-walk step names in `case:`.
    pub cases: BTreeMap<String, Arc<Case>>,
    /// The files the library was built from.
    pub sources: Sources,
    /// SHA-256 of `sources` in hex: a session stores it to find the snapshot it ran on.
    pub hash: String,
    /// The built-in professions and the roles the files declare.
    pub professions: Professions,
}

impl Library {
    /// Reads and checks a content folder. `display_root` prefixes paths in problems.
    pub fn load(dir: &Path) -> Result<Self, Vec<Problem>> {
        let prefix = dir.display().to_string();
        // Every problem names its file by the content folder as given, like
        // `content/cases/x.md`, whether reading or checking found it.
        let located = |problems: Vec<Problem>| -> Vec<Problem> {
            problems
                .into_iter()
                .map(|mut p| {
                    if prefix != "." && !prefix.is_empty() && !p.path.starts_with(&prefix) {
                        p.path = format!("{}/{}", prefix.trim_end_matches('/'), p.path);
                    }
                    p
                })
                .collect()
        };
        let sources = Sources::read_dir(dir).map_err(located)?;
        Self::from_sources(sources).map_err(located)
    }

    /// Parses and checks files already in memory.
    pub fn from_sources(sources: Sources) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut library = Library {
            hash: sources.hash(),
            ..Library::default()
        };
        // Roles first: any file may name a role another file declares.
        let declarations = sources
            .files
            .iter()
            .flat_map(|(path, text)| parse::declarations(path, text, &mut problems))
            .collect();
        library.professions = parse::professions(declarations, &mut problems);
        let professions = &library.professions;
        let mut first_line = BTreeMap::new();
        // A case file whose id could not be read: a step naming a missing case may
        // mean it, so that is not reported on top of the file's own problem.
        let mut unread_case = false;
        for (path, text) in &sources.files {
            if path.starts_with("curricula/") {
                if let Some(c) = parse::curriculum(path, text, professions, &mut problems) {
                    insert_unique(
                        &mut library.curricula,
                        c,
                        path,
                        text,
                        "curriculum",
                        &mut first_line,
                        &mut problems,
                    );
                }
            } else if let Some(c) = parse::case(path, text, professions, &mut problems)
                .filter(|c| !c.id.is_empty())
                .or_else(|| {
                    unread_case = true;
                    None
                })
            {
                insert_unique(
                    &mut library.cases,
                    c,
                    path,
                    text,
                    "case",
                    &mut first_line,
                    &mut problems,
                );
            }
        }
        library.sources = sources;
        library.cross_check(unread_case, &mut problems);
        if problems.is_empty() {
            Ok(library)
        } else {
            problems.sort();
            problems.dedup();
            Err(problems)
        }
    }

    /// Checks references between files and the scene graph of every case.
    /// `unread_case`: a case file's id could not be read (see `from_sources`).
    fn cross_check(&self, unread_case: bool, problems: &mut Vec<Problem>) {
        for curriculum in self.curricula.values() {
            for step in &curriculum.steps {
                let Some(walk) = &step.walk else { continue };
                if walk.case.is_empty() {
                    continue;
                }
                let Some(case) = self.cases.get(&walk.case) else {
                    if unread_case {
                        continue;
                    }
                    let near = suggest::closest(&walk.case, self.cases.keys().map(String::as_str));
                    problems.push(
                        Problem::keyed(
                            &curriculum.path,
                            step.line,
                            "author.step_case_missing",
                            &[&step.id, &walk.case, &self.case_ids()],
                        )
                        .near(near),
                    );
                    continue;
                };
                for scene in &walk.scenes {
                    if case.scene(scene).is_none() {
                        problems.push(scene_missing(
                            case,
                            &curriculum.path,
                            step.line,
                            "author.step_scene_missing",
                            &[&step.id, scene, &case.id],
                            scene,
                        ));
                    }
                }
            }
        }
        for case in self.cases.values() {
            check_scene_graph(case, problems);
        }
    }

    fn case_ids(&self) -> String {
        if self.cases.is_empty() {
            return "-".into();
        }
        self.cases.keys().cloned().collect::<Vec<_>>().join(", ")
    }

    /// The professions a table or a person of a `curriculum` session may choose from: the
    /// built-ins, then the declared roles the curriculum names in its `audience` or the
    /// cases it walks name (team or role card), and those in `kept` (already chosen, so a
    /// form never drops them), in declaration order. A district's roles for other
    /// meetings (都道府県職員 in a council's file) are not offered to this one.
    pub fn profession_choices(&self, curriculum: &Curriculum, kept: &[&str]) -> Vec<Profession> {
        let mut named: Vec<&str> = curriculum.audience.iter().map(|p| p.id).collect();
        named.extend_from_slice(kept);
        for case in curriculum
            .steps
            .iter()
            .filter_map(|s| s.walk.as_ref().and_then(|w| self.cases.get(&w.case)))
        {
            named.extend(case.team.iter().map(|p| p.id));
            named.extend(
                case.scenes
                    .iter()
                    .flat_map(|s| s.role_cards.iter().map(|r| r.profession.id)),
            );
        }
        self.professions
            .all()
            .into_iter()
            .filter(|p| !p.is_declared() || named.contains(&p.id))
            .collect()
    }

    /// The files a session of `curriculum_id` needs: the curriculum, the cases it walks,
    /// and the files that declare the roles any of these name (with what those files
    /// need in turn, so the snapshot parses on its own).
    pub fn bundle_sources(&self, curriculum_id: &str) -> Option<Sources> {
        let curriculum = self.curricula.get(curriculum_id)?;
        let mut files = BTreeMap::new();
        let mut queue = vec![curriculum.path.clone()];
        while let Some(path) = queue.pop() {
            if files.contains_key(&path) {
                continue;
            }
            files.insert(path.clone(), self.sources.files.get(&path)?.clone());
            let mut named = Vec::new();
            if let Some(c) = self.curricula.values().find(|c| c.path == path) {
                named.extend(c.audience.iter().map(|p| p.id));
                for step in &c.steps {
                    if let Some(case) = step.walk.as_ref().and_then(|w| self.cases.get(&w.case)) {
                        queue.push(case.path.clone());
                    }
                }
            }
            if let Some(case) = self.cases.values().find(|c| c.path == path) {
                named.extend(case.team.iter().map(|p| p.id));
                named.extend(
                    case.scenes
                        .iter()
                        .flat_map(|s| s.role_cards.iter().map(|r| r.profession.id)),
                );
            }
            queue.extend(
                named
                    .into_iter()
                    .filter_map(|id| self.professions.declared_in(id))
                    .map(str::to_string),
            );
        }
        Some(Sources { files })
    }
}

trait HasId {
    fn id(&self) -> &str;
}
impl HasId for Curriculum {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for Case {
    fn id(&self) -> &str {
        &self.id
    }
}

fn insert_unique<T: HasId>(
    map: &mut BTreeMap<String, Arc<T>>,
    item: T,
    path: &str,
    text: &str,
    what: &str,
    first: &mut BTreeMap<(String, String), String>,
    problems: &mut Vec<Problem>,
) {
    if item.id().is_empty() {
        return;
    }
    let key = (what.to_string(), item.id().to_string());
    if let Some(other) = first.get(&key) {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("id:"))
            .map_or(1, |i| i + 1);
        let key = if what == "case" {
            "author.duplicate_case_id"
        } else {
            "author.duplicate_curriculum_id"
        };
        problems.push(Problem::keyed(path, line, key, &[&item.id(), other]));
        return;
    }
    first.insert(key, path.to_string());
    map.insert(item.id().to_string(), Arc::new(item));
}

/// The case's scene ids in file order, for a hint: the first 30, then how many more
/// (a hint per broken reference listing 20,000 ids would itself take quadratic time).
fn scene_ids(case: &Case) -> String {
    const SHOWN: usize = 30;
    let mut list: Vec<&str> = case
        .scenes
        .iter()
        .take(SHOWN)
        .map(|s| s.id.as_str())
        .collect();
    let more = case.scenes.len().saturating_sub(SHOWN);
    let more = format!("… (+{more})");
    if case.scenes.len() > SHOWN {
        list.push(&more);
    }
    list.join(", ")
}

/// A reference to a scene `target` that `case` lacks: the problem `key` with `args`,
/// then the case's scene ids, and the nearest id when one is near (`s3B` → `s3b`).
fn scene_missing(
    case: &Case,
    path: &str,
    line: usize,
    key: &'static str,
    args: &[&dyn fmt::Display],
    target: &str,
) -> Problem {
    let ids = scene_ids(case);
    let mut all: Vec<&dyn fmt::Display> = args.to_vec();
    all.push(&ids);
    Problem::keyed(path, line, key, &all).near(suggest::closest(
        target,
        case.scenes.iter().map(|s| s.id.as_str()),
    ))
}

/// Reports branch and `next` targets that do not exist, and scenes that can never reach an end.
fn check_scene_graph(case: &Case, problems: &mut Vec<Problem>) {
    let ids: HashSet<&str> = case.scenes.iter().map(|s| s.id.as_str()).collect();
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut broken = false;
    for (index, scene) in case.scenes.iter().enumerate() {
        let mut out = Vec::new();
        if let Some(branch) = &scene.branch {
            for option in &branch.options {
                if ids.contains(option.target.as_str()) {
                    out.push(option.target.as_str());
                } else {
                    broken = true;
                    problems.push(scene_missing(
                        case,
                        &case.path,
                        option.line,
                        "author.branch_target_missing",
                        &[&option.label, &option.target],
                        &option.target,
                    ));
                }
            }
        } else if !scene.end {
            match &scene.next {
                Some(next) if ids.contains(next.as_str()) => out.push(next.as_str()),
                Some(next) => {
                    broken = true;
                    problems.push(scene_missing(
                        case,
                        &case.path,
                        scene.line,
                        "author.next_missing",
                        &[next],
                        next,
                    ));
                }
                None => out.extend(case.scenes.get(index + 1).map(|s| s.id.as_str())),
            }
        }
        edges.insert(scene.id.as_str(), out);
    }
    if broken {
        return;
    }
    // A scene can finish when it has no way onward, or when any scene it leads to can:
    // walk the edges backwards from the scenes with no way onward, each edge once
    // (linear in scenes and options; a fixpoint over all scenes took quadratic time).
    let mut leads_here: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, out) in &edges {
        for target in out {
            leads_here.entry(target).or_default().push(id);
        }
    }
    let mut can_finish: HashSet<&str> = edges
        .iter()
        .filter(|(_, out)| out.is_empty())
        .map(|(id, _)| *id)
        .collect();
    let mut queue: Vec<&str> = can_finish.iter().copied().collect();
    while let Some(id) = queue.pop() {
        for from in leads_here.get(id).into_iter().flatten() {
            if can_finish.insert(from) {
                queue.push(from);
            }
        }
    }
    for scene in &case.scenes {
        if !can_finish.contains(scene.id.as_str()) {
            let line = scene.branch.as_ref().map_or(scene.line, |b| b.line);
            problems.push(Problem::keyed(
                &case.path,
                line,
                "author.scene_no_ending",
                &[&scene.id, &"{#s5 kind=scene end}"],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_content_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content");
        let library = Library::load(&dir).unwrap_or_else(|p| {
            panic!(
                "{}",
                p.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        let case = &library.cases["mini-case"];
        assert_eq!(case.patient.age, 86);
        assert_eq!(case.family.len(), 2);
        assert!(case.family[0].surrogate && case.family[0].lives_with);
        let ids: Vec<_> = case
            .scenes
            .iter()
            .map(|s| (s.id.clone(), s.title.clone(), s.end))
            .collect();
        assert_eq!(case.scenes.len(), 5, "{ids:?}");
        assert_eq!(case.scenes[0].role_cards.len(), 2);
        assert!(case.scenes[4].end && !case.scenes[3].end);
        assert_eq!(case.scenes[2].next.as_deref(), Some("s4"));
        assert_eq!(case.default_next("s3a").map(|s| s.id.as_str()), Some("s4"));
        assert_eq!(
            case.scenes[1].branch.as_ref().map(|b| b.options.len()),
            Some(2)
        );
        let curriculum = &library.curricula["mini"];
        assert_eq!(curriculum.steps.len(), 4);
        assert_eq!(curriculum.steps[2].prompts.len(), 3);
        assert!(curriculum.steps[0].body.html.contains("ガイドライン"));
        assert!(!curriculum.steps[0].body.html.contains("秘密"));
        assert_eq!(curriculum.steps[0].facilitator_notes.len(), 1);
    }
}
