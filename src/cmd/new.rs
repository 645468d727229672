//! `acp-workbook new case ID` and `acp-workbook new curriculum ID`: write a fill-in
//! file that passes `check`, with every section an author needs, commented in Japanese
//! (as `mdbook init` and `zola init` start a book or a site).
//!
//! The comments are of two kinds the loader already ignores: `# …` lines in the front
//! matter, and one-line HTML comments `<!-- … -->` in the Markdown, which the screens'
//! HTML cleaner and the PDF builder both drop. A comment is kept on one line and holds
//! no `>` (the PDF builder reads a tag up to the first `>`), and never sits between a
//! heading and its field lines (`- name: …`), which must follow the heading directly.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{NewArgs, NewFile};
use crate::content::{Library, is_slug};
use crate::lang::Lang;

/// The fill-in case; `{{ID}}` is replaced by the id.
const CASE: &str = include_str!("new/case.md");
/// The fill-in curriculum; `{{ID}}` is replaced by the id and `{{CASE}}` by a case of
/// the folder for its case-walk step.
const CURRICULUM: &str = include_str!("new/curriculum.md");

/// The case-walk step of [`CURRICULUM`], from its comment to the next step's comment:
/// left out (with its minutes) when the folder has no case yet.
const WALK_START: &str = "<!-- 事例を歩く";
const WALK_END: &str = "<!-- グループワーク";

/// Which file to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `cases/ID.md`.
    Case,
    /// `curricula/ID.md`.
    Curriculum,
}

/// Why no file was written: an i18n key of `[newfile]` and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The message key.
    pub key: &'static str,
    /// Its arguments.
    pub args: Vec<String>,
}

impl Refused {
    fn new(key: &'static str, args: &[&dyn std::fmt::Display]) -> Self {
        Self {
            key,
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// The reason in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        crate::i18n::format(lang, self.key, &self.args)
    }
}

/// The text of a new file of `kind` with `id`; for a curriculum, `case` is the case
/// its case-walk step walks (no such step without one).
pub fn text(kind: Kind, id: &str, case: Option<&str>) -> String {
    match kind {
        Kind::Case => CASE.replace("{{ID}}", id),
        Kind::Curriculum => {
            let text = CURRICULUM.replace("{{ID}}", id);
            match case {
                Some(case) => text.replace("{{CASE}}", case),
                None => {
                    let (Some(start), Some(end)) = (text.find(WALK_START), text.find(WALK_END))
                    else {
                        return text;
                    };
                    let note = "<!-- 事例を歩くステップは、cases/ に事例を置いてから加えます：# 事例を歩く {#walk kind=case-walk case=事例のid minutes=20}（そのときは duration: も20分増やします） -->\n\n";
                    format!("{}{note}{}", &text[..start], &text[end..])
                        .replace("duration: 60", "duration: 40")
                }
            }
        }
    }
}

/// Writes `cases/ID.md` or `curricula/ID.md` under `content`, never over an existing
/// file, and returns its path. Refuses an id that is not a slug, one that a file of
/// the folder already uses, and a folder that does not exist.
pub fn write(kind: Kind, id: &str, content: &Path, case: Option<&str>) -> Result<PathBuf, Refused> {
    if !is_slug(id) {
        return Err(Refused::new("newfile.bad_id", &[&id]));
    }
    if !content.is_dir() {
        return Err(Refused::new("newfile.no_folder", &[&content.display()]));
    }
    let folder = match kind {
        Kind::Case => "cases",
        Kind::Curriculum => "curricula",
    };
    let path = content.join(folder).join(format!("{id}.md"));
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(Refused::new("newfile.exists", &[&path.display()]));
    }
    // The ids already taken, and a case to walk, from what the folder holds now.
    let library = Library::load(content).ok();
    let taken = library.as_ref().and_then(|l| match kind {
        Kind::Case => l.cases.get(id).map(|c| c.path.clone()),
        Kind::Curriculum => l.curricula.get(id).map(|c| c.path.clone()),
    });
    if let Some(other) = taken {
        return Err(Refused::new("newfile.id_taken", &[&id, &other]));
    }
    let case = match (kind, case) {
        (Kind::Case, _) => None,
        (Kind::Curriculum, Some(case)) => {
            if let Some(l) = &library
                && !l.cases.contains_key(case)
            {
                return Err(Refused::new(
                    "newfile.no_case",
                    &[
                        &case,
                        &l.cases.keys().cloned().collect::<Vec<_>>().join(", "),
                    ],
                ));
            }
            Some(case.to_string())
        }
        // The first case written in Japanese, like the file; else the first of all.
        (Kind::Curriculum, None) => library.as_ref().and_then(|l| {
            l.cases
                .values()
                .find(|c| c.language == Lang::Ja)
                .or_else(|| l.cases.values().next())
                .map(|c| c.id.clone())
        }),
    };
    let text = text(kind, id, case.as_deref());
    let cannot = |e: std::io::Error| Refused::new("newfile.cannot_write", &[&path.display(), &e]);
    std::fs::create_dir_all(content.join(folder)).map_err(cannot)?;
    use std::io::Write;
    // `create_new`: a file made meanwhile by someone else is never overwritten either.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Refused::new("newfile.exists", &[&path.display()])
            } else {
                cannot(e)
            }
        })?;
    file.write_all(text.as_bytes()).map_err(cannot)?;
    Ok(path)
}

/// Writes the file and says where, and what to do next; or why nothing was written.
pub fn run(args: &NewArgs) -> ExitCode {
    let lang = Lang::from_code(&args.lang);
    let (kind, id, content, case) = match &args.file {
        NewFile::Case { id, content } => (Kind::Case, id, content, None),
        NewFile::Curriculum { id, content, case } => {
            (Kind::Curriculum, id, content, case.as_deref())
        }
    };
    match write(kind, id, content, case) {
        Ok(path) => {
            println!(
                "{}",
                crate::i18n::format(lang, "newfile.written", &[path.display().to_string()])
            );
            if let Err(problems) = Library::load(content) {
                // Only problems of other files can be here: the new file checks.
                super::check::print_problems(&problems, lang);
            }
            ExitCode::SUCCESS
        }
        Err(refused) => {
            eprintln!("new: {}", refused.message(lang));
            ExitCode::from(super::EXIT_FAILURE)
        }
    }
}
