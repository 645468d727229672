//! Loads curricula and cases from Markdown files and checks them.
//!
//! Loading never stops at the first mistake: every problem is collected with its
//! `file:line`, a message and a hint, so an author can fix a file in one pass.

mod frontmatter;
pub mod markdown;
pub mod model;
mod parse;
pub mod profession;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use markdown::Markdown;
pub use model::*;
pub use parse::{DEFAULT_FIELD_MAX, DEFAULT_TEXT_MAX, LIST_MAX, is_slug};
pub use profession::{PROFESSIONS, Profession};

/// One problem in a content file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file, as the user named the content folder.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Problem {
    /// Builds a problem.
    pub fn new(path: &str, line: usize, message: &str, hint: &str) -> Self {
        Self {
            path: path.to_string(),
            line,
            message: message.to_string(),
            hint: hint.to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}\n    hint: {}",
            self.path, self.line, self.message, self.hint
        )
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
    pub fn read_dir(dir: &Path) -> Result<Self, Problem> {
        let mut files = BTreeMap::new();
        for folder in ["curricula", "cases"] {
            let path = dir.join(folder);
            let entries = std::fs::read_dir(&path).map_err(|e| {
                Problem::new(
                    &path.display().to_string(),
                    0,
                    &format!("cannot read the folder: {e}"),
                    "pass the folder that holds `curricula/` and `cases/` with --content DIR",
                )
            })?;
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if !name.ends_with(".md") || name.eq_ignore_ascii_case("README.md") {
                    continue;
                }
                let rel = format!("{folder}/{name}");
                let bytes = std::fs::read(entry.path()).map_err(|e| {
                    Problem::new(
                        &rel,
                        0,
                        &format!("cannot read the file: {e}"),
                        "check the file's permissions",
                    )
                })?;
                let text = String::from_utf8(bytes).map_err(|e| {
                    let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count();
                    Problem::new(
                        &rel,
                        line,
                        "the file is not UTF-8 text",
                        "save the file as UTF-8 (in Excel or Notepad: 名前を付けて保存 → UTF-8)",
                    )
                })?;
                files.insert(rel, text);
            }
        }
        Ok(Self { files })
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

/// Every curriculum and case of a content folder (or of a session's snapshot).
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Curricula by id.
    pub curricula: BTreeMap<String, Arc<Curriculum>>,
    /// Cases by id.
    pub cases: BTreeMap<String, Arc<Case>>,
    /// The files the library was built from.
    pub sources: Sources,
    /// Hash of `sources`.
    pub hash: String,
}

impl Library {
    /// Reads and checks a content folder. `display_root` prefixes paths in problems.
    pub fn load(dir: &Path) -> Result<Self, Vec<Problem>> {
        let sources = Sources::read_dir(dir).map_err(|p| vec![p])?;
        let prefix = dir.display().to_string();
        Self::from_sources(sources).map_err(|problems| {
            problems
                .into_iter()
                .map(|mut p| {
                    if prefix != "." && !prefix.is_empty() {
                        p.path = format!("{}/{}", prefix.trim_end_matches('/'), p.path);
                    }
                    p
                })
                .collect()
        })
    }

    /// Parses and checks files already in memory.
    pub fn from_sources(sources: Sources) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut library = Library {
            hash: sources.hash(),
            ..Library::default()
        };
        let mut first_line = BTreeMap::new();
        for (path, text) in &sources.files {
            if path.starts_with("curricula/") {
                if let Some(c) = parse::curriculum(path, text, &mut problems) {
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
            } else if let Some(c) = parse::case(path, text, &mut problems) {
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
        library.cross_check(&mut problems);
        if problems.is_empty() {
            Ok(library)
        } else {
            problems.sort();
            problems.dedup();
            Err(problems)
        }
    }

    /// Checks references between files and the scene graph of every case.
    fn cross_check(&self, problems: &mut Vec<Problem>) {
        for curriculum in self.curricula.values() {
            for step in &curriculum.steps {
                let Some(walk) = &step.walk else { continue };
                if walk.case.is_empty() {
                    continue;
                }
                let Some(case) = self.cases.get(&walk.case) else {
                    problems.push(Problem::new(
                        &curriculum.path,
                        step.line,
                        &format!(
                            "step `{}` names a case `{}` that does not exist",
                            step.id, walk.case
                        ),
                        &format!(
                            "use the id from a case file's front matter; known cases: {}",
                            self.case_ids()
                        ),
                    ));
                    continue;
                };
                for scene in &walk.scenes {
                    if case.scene(scene).is_none() {
                        problems.push(Problem::new(
                            &curriculum.path,
                            step.line,
                            &format!(
                                "step `{}` names a scene `{scene}` that is not in case `{}`",
                                step.id, case.id
                            ),
                            &format!(
                                "scenes of that case: {}",
                                case.scenes
                                    .iter()
                                    .map(|s| s.id.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
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
            return "(none)".into();
        }
        self.cases.keys().cloned().collect::<Vec<_>>().join(", ")
    }

    /// The files a session of `curriculum_id` needs: the curriculum and the cases it walks.
    pub fn bundle_sources(&self, curriculum_id: &str) -> Option<Sources> {
        let curriculum = self.curricula.get(curriculum_id)?;
        let mut files = BTreeMap::new();
        files.insert(
            curriculum.path.clone(),
            self.sources.files.get(&curriculum.path)?.clone(),
        );
        for step in &curriculum.steps {
            if let Some(case) = step.walk.as_ref().and_then(|w| self.cases.get(&w.case)) {
                files.insert(
                    case.path.clone(),
                    self.sources.files.get(&case.path)?.clone(),
                );
            }
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
        problems.push(Problem::new(
            path,
            line,
            &format!(
                "duplicate {what} id `{}`: `{other}` already uses it",
                item.id()
            ),
            "give this file its own id (ids must be unique within curricula/ and within cases/)",
        ));
        return;
    }
    first.insert(key, path.to_string());
    map.insert(item.id().to_string(), Arc::new(item));
}

/// Reports branch and `next` targets that do not exist, and scenes that can never reach an end.
fn check_scene_graph(case: &Case, problems: &mut Vec<Problem>) {
    let ids: BTreeSet<&str> = case.scenes.iter().map(|s| s.id.as_str()).collect();
    let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut broken = false;
    for (index, scene) in case.scenes.iter().enumerate() {
        let mut out = Vec::new();
        if let Some(branch) = &scene.branch {
            for option in &branch.options {
                if ids.contains(option.target.as_str()) {
                    out.push(option.target.as_str());
                } else {
                    broken = true;
                    problems.push(Problem::new(
                        &case.path,
                        option.line,
                        &format!(
                            "branch option `{}` leads to a scene `{}` that does not exist",
                            option.label, option.target
                        ),
                        &format!(
                            "use one of the scene ids: {}",
                            ids.iter().copied().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            }
        } else if !scene.end {
            match &scene.next {
                Some(next) if ids.contains(next.as_str()) => out.push(next.as_str()),
                Some(next) => {
                    broken = true;
                    problems.push(Problem::new(
                        &case.path,
                        scene.line,
                        &format!("`next={next}` names a scene that does not exist"),
                        &format!(
                            "use one of the scene ids: {}",
                            ids.iter().copied().collect::<Vec<_>>().join(", ")
                        ),
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
    // A scene can finish when it has no way onward, or when any scene it leads to can.
    let mut can_finish: BTreeSet<&str> = edges
        .iter()
        .filter(|(_, out)| out.is_empty())
        .map(|(id, _)| *id)
        .collect();
    loop {
        let before = can_finish.len();
        for (id, out) in &edges {
            if out.iter().any(|t| can_finish.contains(t)) {
                can_finish.insert(id);
            }
        }
        if can_finish.len() == before {
            break;
        }
    }
    for scene in &case.scenes {
        if !can_finish.contains(scene.id.as_str()) {
            let line = scene.branch.as_ref().map_or(scene.line, |b| b.line);
            problems.push(Problem::new(
                &case.path,
                line,
                &format!("scene `{}` can never reach an ending: every path from it runs into a branch cycle with no way out", scene.id),
                "give one option a target that leads to an ending scene, or mark a scene with `end` (e.g. `{#s5 kind=scene end}`)",
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
