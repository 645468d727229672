//! Which typed characters of a session a PDF cannot print, and where they are typed:
//! what the download pages and the command line name before (or while) a record is
//! made. The check is the one the PDF makes ([`crate::pdf::unprintable`]) over the
//! texts the records print from the database — the session's title and place, every
//! table's answers, the roster, the survey's comments — so no PDF is built to find out.

use std::collections::BTreeMap;

use crate::answer::StoredAnswer;
use crate::db::conclusions::ConclusionRow;
use crate::db::roster::ParticipantRow;
use crate::db::survey::ResponseRow;
use crate::db::tables::TableRow;
use crate::i18n;
use crate::lang::Lang;
use crate::session::Run;
use crate::survey::SurveyAnswer;

/// Most characters named; a longer list ends with how many more there are.
pub const CHARS_MAX: usize = 20;
/// Most places named per character; beyond, how many more.
pub const PLACES_MAX: usize = 5;

/// A character no bundled font has, with where it was typed (in the page's language).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unprintable {
    /// The character as typed.
    pub ch: String,
    /// Its code point, `U+1FAE0`.
    pub code: String,
    /// How the PDF prints it, `[U+1FAE0]`.
    pub printed: String,
    /// Where it was typed: 「テーブル3「具体的方策」」, 「名簿の5人目（𠮷野 花子）」…
    pub places: Vec<String>,
}

/// The unprintable characters, each with its places, and how many were left unnamed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// The characters, in code-point order, at most [`CHARS_MAX`].
    pub chars: Vec<Unprintable>,
    /// Characters beyond [`CHARS_MAX`].
    pub more: usize,
}

impl Report {
    /// True when every character prints.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// One line per character, for the command line: `🫠 (U+1FAE0): table 3 "…"`.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut out: Vec<String> = self
            .chars
            .iter()
            .map(|u| {
                i18n::format(
                    lang,
                    "pdf.unprintable.item",
                    &[
                        u.ch.clone(),
                        u.code.clone(),
                        u.places.join(separator(lang)),
                        u.printed.clone(),
                    ],
                )
            })
            .collect();
        if self.more > 0 {
            out.push(i18n::format(
                lang,
                "pdf.unprintable.more",
                &[self.more.to_string()],
            ));
        }
        out
    }
}

/// Collects, per character, the places of `text` that hold it.
struct Found<'a> {
    lang: Lang,
    places: BTreeMap<char, Vec<String>>,
    run: &'a Run,
}

impl Found<'_> {
    fn scan(&mut self, text: &str, place: impl Fn() -> String) {
        let missing = crate::pdf::unprintable(text);
        if missing.is_empty() {
            return;
        }
        let place = place();
        for c in missing {
            let list = self.places.entry(c).or_default();
            if !list.contains(&place) {
                list.push(place.clone());
            }
        }
    }

    fn f(&self, key: &str, args: &[String]) -> String {
        i18n::format(self.lang, key, args)
    }
}

/// Every string inside a stored answer's JSON (its texts, headings, names).
fn strings(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(list) => list.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn answer_text(answer: &StoredAnswer) -> String {
    let mut out = String::new();
    if let Ok(value) = serde_json::to_value(answer) {
        strings(&value, &mut out);
    }
    out
}

/// The characters of a session's typed texts that its PDFs print as code points, with
/// where each was typed, in `lang`. `table` limits it to what one table's record
/// prints: the session's title and place and that table's answers.
pub fn session_unprintable(
    run: &Run,
    tables: &[TableRow],
    conclusions: &[ConclusionRow],
    people: &[ParticipantRow],
    responses: &[ResponseRow],
    table: Option<i64>,
    lang: Lang,
) -> Report {
    let mut found = Found {
        lang,
        places: BTreeMap::new(),
        run,
    };
    let session = &run.session;
    found.scan(&session.title, || found_key(lang, "pdf.unprintable.title"));
    found.scan(&session.place, || found_key(lang, "pdf.unprintable.place"));
    let numbers: BTreeMap<i64, i64> = tables.iter().map(|t| (t.id, t.number)).collect();
    for c in conclusions {
        let Some(&number) = numbers.get(&c.table_id) else {
            continue;
        };
        if table.is_some_and(|n| n != number) {
            continue;
        }
        let text = answer_text(&c.answer);
        let title = found
            .run
            .prompt(&c.prompt_key)
            .map_or_else(|| c.prompt_key.clone(), |(p, _)| p.title.clone());
        let place = found.f("pdf.unprintable.answer", &[number.to_string(), title]);
        found.scan(&text, || place.clone());
    }
    // Only the session's record lists the roster.
    for p in people.iter().filter(|_| table.is_none()) {
        let text = format!("{}\n{}\n{}", p.name, p.organization, p.area);
        let place = if p.name.trim().is_empty() {
            found.f("pdf.unprintable.person_seq", &[p.seq.to_string()])
        } else {
            found.f(
                "pdf.unprintable.person",
                &[p.seq.to_string(), p.name.clone()],
            )
        };
        found.scan(&text, || place.clone());
    }
    if table.is_none() {
        for r in responses {
            for answer in r.answers.values() {
                if let SurveyAnswer::Text(text) = answer {
                    found.scan(text, || found_key(lang, "pdf.unprintable.survey"));
                }
            }
        }
    }
    let total = found.places.len();
    let chars = found
        .places
        .into_iter()
        .take(CHARS_MAX)
        .map(|(c, mut places)| {
            if places.len() > PLACES_MAX {
                let more = places.len() - PLACES_MAX;
                places.truncate(PLACES_MAX);
                places.push(i18n::format(
                    lang,
                    "pdf.unprintable.more_places",
                    &[more.to_string()],
                ));
            }
            Unprintable {
                ch: c.to_string(),
                code: format!("U+{:04X}", u32::from(c)),
                printed: crate::pdf::code_point(c),
                places,
            }
        })
        .collect();
    Report {
        chars,
        more: total.saturating_sub(CHARS_MAX),
    }
}

fn found_key(lang: Lang, key: &str) -> String {
    i18n::format(lang, key, &[])
}

/// Between the places of one character.
pub fn separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "、",
        Lang::En => "; ",
    }
}
