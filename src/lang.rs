//! The two UI languages. Japanese comes first: it is the default wherever a language is
//! missing or not one of ours (a cookie from another site, a curriculum without
//! `language:`), because the people in the hall read Japanese.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A UI language: the language of a page, a PDF, a report or a curriculum's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語: the default, and what anything unknown falls back to.
    #[default]
    Ja,
    /// English, chosen with the language switch or by an English curriculum.
    En,
}

impl Lang {
    /// Both languages, Japanese first (the order of the language switch).
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The language a code names: `en` (any case, or a tag such as `en-GB`) is English,
    /// everything else — including nothing at all — is Japanese.
    pub fn from_code(code: &str) -> Lang {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Ja
        }
    }

    /// The code used in cookies, URLs, the database and `lang=` of HTML: `ja` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// `ja` when `self` is Japanese, otherwise `en`: for the many two-way choices
    /// between a Japanese and an English text.
    pub fn pick<T>(self, ja: T, en: T) -> T {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// The separator of a list written in running text: 「、」 or ", ".
    pub fn list_separator(self) -> &'static str {
        self.pick("、", ", ")
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl ToSql for Lang {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

/// Reads `ja` and `en` only: any other stored text is damaged data, not a language to
/// guess, so it is an error the caller reports.
impl FromSql for Lang {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "ja" => Ok(Lang::Ja),
            "en" => Ok(Lang::En),
            other => Err(FromSqlError::Other(
                format!("stored language {other:?} is neither \"ja\" nor \"en\"").into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_fall_back_to_japanese() {
        assert_eq!(Lang::from_code("en"), Lang::En);
        assert_eq!(Lang::from_code("EN-gb"), Lang::En);
        assert_eq!(Lang::from_code("ja"), Lang::Ja);
        assert_eq!(Lang::from_code(""), Lang::Ja);
        assert_eq!(Lang::from_code("fr"), Lang::Ja);
        assert_eq!(Lang::from_code("english"), Lang::Ja);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), lang);
        }
    }

    #[test]
    fn stored_languages_round_trip_and_bad_ones_are_errors() {
        let conn = rusqlite::Connection::open_in_memory().expect("db");
        for lang in Lang::ALL {
            let back: Lang = conn
                .query_row("SELECT ?1", [lang], |r| r.get(0))
                .expect("round trip");
            assert_eq!(back, lang);
        }
        let bad = conn.query_row("SELECT 'fr'", [], |r| r.get::<_, Lang>(0));
        let message = bad.expect_err("fr is not ours").to_string();
        assert!(message.contains("\"fr\""), "{message}");
    }

    #[test]
    fn serde_uses_the_codes() {
        assert_eq!(serde_json::to_string(&Lang::En).expect("json"), "\"en\"");
        let back: Lang = serde_json::from_str("\"ja\"").expect("json");
        assert_eq!(back, Lang::Ja);
    }
}
