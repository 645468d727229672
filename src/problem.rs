//! A problem in something a user handed the server — an uploaded roster CSV, a session
//! file to import, a form — at a place in it. It holds a message key of [`crate::i18n`]
//! and its arguments, so it is worded in the language of whoever reads it.
//!
//! Problems in curriculum and case files are another thing: [`crate::content::Problem`]
//! speaks to the author of a file on disk, with its path, line and a hint.

use std::fmt::Display;

use crate::answer::AnswerError;
use crate::lang::Lang;

/// Where in what was handed in the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The whole file or form (no file at all, the wrong encoding, a form field).
    Whole,
    /// A line of a text file, from 1 (a CSV's header is line 1).
    Line(usize),
    /// A field of a JSON file, as a path such as `tables[2].number`.
    Path(String),
}

/// One thing wrong with what a user handed in.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where it is.
    pub at: Place,
    /// The message key (`roster.err_*`, `exchange.bad.*`).
    pub key: &'static str,
    /// Values for `{0}`, `{1}`… in the message.
    pub args: Vec<String>,
    /// For an answer its prompt refuses: the same reason a table's save gives, worded
    /// in the reader's language and put into `key`'s message as `{0}`.
    pub answer: Option<AnswerError>,
}

impl Problem {
    /// A problem at line `line` of a text file; line 0 means the whole file.
    pub fn at_line(line: usize, key: &'static str, args: &[&dyn Display]) -> Self {
        let at = if line == 0 {
            Place::Whole
        } else {
            Place::Line(line)
        };
        Self {
            at,
            key,
            args: args.iter().map(|a| a.to_string()).collect(),
            answer: None,
        }
    }

    /// A problem at a field of a JSON file; an empty path means the whole file.
    pub fn at_path(path: impl Into<String>, key: &'static str, args: &[&dyn Display]) -> Self {
        let path = path.into();
        let at = if path.is_empty() {
            Place::Whole
        } else {
            Place::Path(path)
        };
        Self {
            at,
            key,
            args: args.iter().map(|a| a.to_string()).collect(),
            answer: None,
        }
    }

    /// A stored answer at `path` that its prompt refuses, under the key `key`.
    pub fn answer(path: impl Into<String>, key: &'static str, error: AnswerError) -> Self {
        Self {
            answer: Some(error),
            ..Self::at_path(path, key, &[])
        }
    }

    /// The line it is at, 0 when it is not at a line.
    pub fn line(&self) -> usize {
        match self.at {
            Place::Line(line) => line,
            _ => 0,
        }
    }

    /// The problem as one line in `lang`, with its place: 「3行目: …」 or `tables[2]: …`.
    pub fn message(&self, lang: Lang) -> String {
        let what = match &self.answer {
            Some(error) => {
                let (key, args) = error.message(lang);
                crate::i18n::format(lang, self.key, &[crate::i18n::format(lang, key, &args)])
            }
            None => crate::i18n::format(lang, self.key, &self.args),
        };
        match &self.at {
            Place::Whole => what,
            Place::Line(line) => {
                crate::i18n::format(lang, "problem.at_line", &[line.to_string(), what])
            }
            Place::Path(path) => format!("{path}: {what}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_place_is_worded_in_the_readers_language() {
        let line = Problem::at_line(3, "roster.err_no_profession", &[]);
        assert_eq!(line.line(), 3);
        let ja = line.message(Lang::Ja);
        let en = line.message(Lang::En);
        assert!(ja.contains('3') && en.contains('3'), "{ja} / {en}");
        assert_ne!(ja, en);
        let whole = Problem::at_line(0, "roster.err_no_profession", &[]);
        assert_eq!(whole.at, Place::Whole);
        assert!(!whole.message(Lang::En).contains('0'));
        let path = Problem::at_path("tables[2].number", "exchange.bad.missing", &[]);
        assert!(path.message(Lang::En).starts_with("tables[2].number: "));
        assert_eq!(
            Problem::at_path("", "exchange.bad.missing", &[]).at,
            Place::Whole
        );
        let answer = Problem::answer("x", "exchange.bad.answer", AnswerError::BadChoice);
        let text = answer.message(Lang::En);
        let choice = crate::i18n::format(Lang::En, "err.bad_choice", &[]);
        assert!(text.contains(&choice), "{text} has the save's own reason");
    }
}
