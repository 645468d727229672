//! What can be wrong with a session file, and why an import was refused, in the
//! user's language.

use super::format::{FORMAT, VERSION};
use crate::answer::AnswerError;
use crate::db::DbError;
use crate::lang::Lang;

/// Most problems listed for one file: beyond this, the rest are counted.
pub(super) const MAX_PROBLEMS: usize = 30;

pub use crate::problem::Problem;

/// An answer refused by its prompt's check, worded as the table screen words it.
pub(super) fn answer_problem(path: String, error: AnswerError) -> Problem {
    Problem::answer(path, "exchange.bad.answer", error)
}

/// Why a session file was not imported. Nothing is written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The bytes are not UTF-8 text.
    #[error("{}", self.message(Lang::En))]
    NotText,
    /// The text is not JSON.
    #[error("{}", self.message(Lang::En))]
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's description.
        detail: String,
    },
    /// JSON, but not a session file of this program.
    #[error("{}", self.message(Lang::En))]
    NotSessionFile {
        /// The `format` the file names, if any.
        found: Option<String>,
    },
    /// Written by a newer acp-workbook in a format this one cannot read.
    #[error("{}", self.message(Lang::En))]
    NewerVersion {
        /// The file's format version.
        version: i64,
        /// The program that wrote it, if it says.
        generator: String,
    },
    /// Fields missing or wrong.
    #[error("{}", self.message(Lang::En))]
    Invalid(Vec<Problem>),
    /// The session is already on this server.
    #[error("{}", self.message(Lang::En))]
    AlreadyHere {
        /// Its title here.
        title: String,
        /// Its date here.
        held_on: String,
    },
    /// A survey response of the file is already on this server, in another session.
    #[error("{}", self.message(Lang::En))]
    SurveyElsewhere {
        /// The response's uid.
        uid: String,
        /// The title of the session that holds it.
        title: String,
        /// That session's date.
        held_on: String,
    },
    /// The database refused (a fault of ours or of the disk); the transaction was rolled back.
    #[error("database error: {0}")]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(e.into())
    }
}

impl ImportError {
    /// What went wrong and what to do, in `lang` (the problems of an invalid file
    /// are in [`ImportError::problems`]).
    pub fn message(&self, lang: Lang) -> String {
        let f = |key: &str, args: &[String]| crate::i18n::format(lang, key, args);
        match self {
            ImportError::NotText => f("exchange.err_not_text", &[]),
            ImportError::NotJson {
                line,
                column,
                detail,
            } => f(
                "exchange.err_not_json",
                &[line.to_string(), column.to_string(), detail.clone()],
            ),
            ImportError::NotSessionFile { found } => f(
                "exchange.err_not_session",
                &[FORMAT.to_string(), found.clone().unwrap_or_default()],
            ),
            ImportError::NewerVersion { version, generator } => {
                let generator = if generator.is_empty() {
                    "acp-workbook".to_string()
                } else {
                    generator.clone()
                };
                f(
                    "exchange.err_newer",
                    &[version.to_string(), VERSION.to_string(), generator],
                )
            }
            ImportError::Invalid(problems) => {
                f("exchange.err_invalid", &[problems.len().to_string()])
            }
            ImportError::AlreadyHere { title, held_on } => {
                f("exchange.err_already", &[title.clone(), held_on.clone()])
            }
            ImportError::SurveyElsewhere {
                uid,
                title,
                held_on,
            } => f(
                "exchange.err_survey_elsewhere",
                &[uid.clone(), title.clone(), held_on.clone()],
            ),
            ImportError::Db(e) => format!("{}: {e}", f("exchange.err_db", &[])),
        }
    }

    /// Each problem of an invalid file as a line in `lang` (at most `MAX_PROBLEMS`,
    /// then how many more).
    pub fn problems(&self, lang: Lang) -> Vec<String> {
        let ImportError::Invalid(problems) = self else {
            return Vec::new();
        };
        let mut out: Vec<String> = problems
            .iter()
            .take(MAX_PROBLEMS)
            .map(|p| p.message(lang))
            .collect();
        if problems.len() > MAX_PROBLEMS {
            out.push(crate::i18n::format(
                lang,
                "exchange.bad.more",
                &[(problems.len() - MAX_PROBLEMS).to_string()],
            ));
        }
        out
    }

    /// True for a clash with what this server already holds (rather than a bad file).
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            ImportError::AlreadyHere { .. } | ImportError::SurveyElsewhere { .. }
        )
    }
}
