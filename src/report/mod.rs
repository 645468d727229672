//! Reports built from stored rows: one session's report ([`session`]) and the working
//! group's report across sessions ([`cross`]), with their charts ([`chart`]) and CSV
//! downloads ([`csv`]).
//!
//! Everything here is a pure function of rows already read from the database, so each
//! part is tested without a server; the handlers in `server/report.rs` read the rows
//! and render the results as pages, CSV and JSON. Rehearsals are never part of a
//! cross-session report; survey results need [`crate::survey::MIN_RESPONSES`] answers.

pub mod chart;
pub mod cross;
pub mod csv;
pub mod items;
pub mod moves;
pub mod session;
pub mod survey;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::Professions;
use crate::db::roster::ParticipantRow;
use crate::db::tables::TableRow;
use crate::lang::Lang;

/// Where the participant counts of a session come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CountedFrom {
    /// The roster people who checked in on the day.
    CheckedIn,
    /// The whole roster (nobody was checked in).
    Roster,
    /// No roster: the professions each table declared; counts are tables, not people.
    Tables,
    /// Nothing is known.
    Nothing,
}

impl CountedFrom {
    /// True when the counts are people (not tables).
    pub fn counts_people(self) -> bool {
        matches!(self, CountedFrom::CheckedIn | CountedFrom::Roster)
    }
}

/// A count of something with a stable id and a label in the report's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    /// Stable id: a profession id, or the area as written (empty: not given).
    pub id: String,
    /// The label shown.
    pub label: String,
    /// How many.
    pub count: usize,
}

/// Who took part in a session.
#[derive(Debug, Clone, Serialize)]
pub struct Participants {
    /// Where the counts come from.
    pub counted_from: CountedFrom,
    /// People counted (for [`CountedFrom::Tables`], the tables that declared anyone).
    pub total: usize,
    /// By profession, in the usual order of professions (unknown ids last); a role the
    /// content declares is counted under its own name.
    pub by_profession: Vec<Count>,
    /// By the built-in profession each counts as, when a declared role was counted (so
    /// that districts compare alike); empty otherwise.
    pub by_builtin: Vec<Count>,
    /// By area, most people first (only from a roster).
    pub by_area: Vec<Count>,
}

/// A profession's label in the session's content, or the id itself if it is not known
/// (older content).
pub fn profession_label(professions: &Professions, id: &str, lang: Lang) -> String {
    professions.label(id, lang)
}

/// Position of a profession in the usual order; unknown ids sort last.
pub fn profession_rank(professions: &Professions, id: &str) -> usize {
    professions.rank(id)
}

/// The roster people to count: those who checked in, if anyone did, else everyone.
pub fn counted_people(people: &[ParticipantRow]) -> (Vec<&ParticipantRow>, CountedFrom) {
    if people.iter().any(|p| p.checked_in_at.is_some()) {
        (
            people
                .iter()
                .filter(|p| p.checked_in_at.is_some())
                .collect(),
            CountedFrom::CheckedIn,
        )
    } else if people.is_empty() {
        (Vec::new(), CountedFrom::Nothing)
    } else {
        (people.iter().collect(), CountedFrom::Roster)
    }
}

/// Counts a session's participants by profession and by area: the roster people who
/// checked in (if anyone did), else the whole roster; without a roster, the
/// professions the tables declared (one per table that declared it).
pub fn participants(
    people: &[ParticipantRow],
    tables: &[TableRow],
    lang: Lang,
    known: &Professions,
) -> Participants {
    let (counted, from) = counted_people(people);
    let mut professions: BTreeMap<(usize, String), usize> = BTreeMap::new();
    let mut areas: BTreeMap<String, usize> = BTreeMap::new();
    let (counted_from, total) = if from == CountedFrom::Nothing {
        let declaring: Vec<&TableRow> = tables
            .iter()
            .filter(|t| !t.professions.is_empty())
            .collect();
        for t in &declaring {
            for p in &t.professions {
                *professions
                    .entry((profession_rank(known, p), p.clone()))
                    .or_default() += 1;
            }
        }
        if declaring.is_empty() {
            (CountedFrom::Nothing, 0)
        } else {
            (CountedFrom::Tables, declaring.len())
        }
    } else {
        for p in &counted {
            *professions
                .entry((profession_rank(known, &p.profession), p.profession.clone()))
                .or_default() += 1;
            *areas.entry(p.area.trim().to_string()).or_default() += 1;
        }
        (from, counted.len())
    };
    let mut builtin: BTreeMap<(usize, String), usize> = BTreeMap::new();
    let mut declared_counted = false;
    for ((_, id), count) in &professions {
        let counts_as = known.counts_as(id);
        declared_counted |= counts_as != id;
        *builtin
            .entry((profession_rank(known, counts_as), counts_as.to_string()))
            .or_default() += count;
    }
    let counts = |map: BTreeMap<(usize, String), usize>| -> Vec<Count> {
        map.into_iter()
            .map(|((_, id), count)| Count {
                label: profession_label(known, &id, lang),
                id,
                count,
            })
            .collect()
    };
    let by_builtin = if declared_counted {
        counts(builtin)
    } else {
        Vec::new()
    };
    let by_profession = counts(professions);
    let mut by_area: Vec<Count> = areas
        .into_iter()
        .map(|(id, count)| Count {
            label: if id.is_empty() {
                crate::i18n::format(lang, "report.area_none", &[])
            } else {
                id.clone()
            },
            id,
            count,
        })
        .collect();
    // Most people first; "not given" last.
    by_area.sort_by(|a, b| {
        a.id.is_empty()
            .cmp(&b.id.is_empty())
            .then(b.count.cmp(&a.count))
            .then(a.id.cmp(&b.id))
    });
    Participants {
        counted_from,
        total,
        by_profession,
        by_builtin,
        by_area,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn person(
        seq: i64,
        profession: &str,
        area: &str,
        table: Option<i64>,
        arrived: bool,
    ) -> ParticipantRow {
        ParticipantRow {
            id: seq,
            seq,
            name: String::new(),
            profession: profession.into(),
            organization: String::new(),
            area: area.into(),
            side: crate::seating::Side::None,
            table_number: table,
            pinned: false,
            late: false,
            checked_in_at: arrived.then_some(1),
            created_at: 0,
        }
    }

    pub(crate) fn table(number: i64, professions: &[&str]) -> TableRow {
        TableRow {
            id: number * 10,
            session_id: "s".into(),
            number,
            token: String::new(),
            professions: professions.iter().map(|p| p.to_string()).collect(),
            joined_at: None,
        }
    }

    #[test]
    fn checked_in_people_count_when_anyone_checked_in() {
        let people = [
            person(1, "pharmacist", "北部", Some(1), true),
            person(2, "visiting-nurse", "南部", Some(1), true),
            person(3, "visiting-nurse", "", Some(2), true),
            person(4, "dentist", "北部", Some(2), false),
        ];
        let p = participants(&people, &[], Lang::Ja, &Professions::default());
        assert_eq!(p.counted_from, CountedFrom::CheckedIn);
        assert_eq!(p.total, 3);
        let prof: Vec<_> = p
            .by_profession
            .iter()
            .map(|c| (c.label.as_str(), c.count))
            .collect();
        // The usual order: 薬剤師 before 訪問看護師; the dentist did not come.
        assert_eq!(prof, [("薬剤師", 1), ("訪問看護師", 2)]);
        let areas: Vec<_> = p.by_area.iter().map(|c| (c.id.as_str(), c.count)).collect();
        assert_eq!(areas, [("北部", 1), ("南部", 1), ("", 1)]);
        assert_eq!(p.by_area[2].label, "（地区の記入なし）");
    }

    #[test]
    fn the_whole_roster_counts_without_check_in_and_tables_without_a_roster() {
        let people = [
            person(1, "dentist", "北部", None, false),
            person(2, "dentist", "北部", None, false),
        ];
        let p = participants(
            &people,
            &[table(1, &["msw"])],
            Lang::En,
            &Professions::default(),
        );
        assert_eq!((p.counted_from, p.total), (CountedFrom::Roster, 2));
        assert_eq!(p.by_profession[0].label, "Dentist");
        let p = participants(
            &[],
            &[
                table(1, &["msw", "dentist"]),
                table(2, &["msw"]),
                table(3, &[]),
            ],
            Lang::Ja,
            &Professions::default(),
        );
        assert_eq!((p.counted_from, p.total), (CountedFrom::Tables, 2));
        let prof: Vec<_> = p
            .by_profession
            .iter()
            .map(|c| (c.id.as_str(), c.count))
            .collect();
        assert_eq!(prof, [("dentist", 1), ("msw", 2)]);
        assert!(p.by_area.is_empty());
        let p = participants(&[], &[table(1, &[])], Lang::Ja, &Professions::default());
        assert_eq!((p.counted_from, p.total), (CountedFrom::Nothing, 0));
    }
}
