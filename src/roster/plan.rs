//! Rules for a stored roster, run before the store call: who may be added (no one twice,
//! no more people than seats) and seating plans. The roster pages read
//! the people, plan here with [`crate::seating`], and hand the plan to `db::roster` to
//! store (storage runs no domain rule).

use crate::content::Professions;
use crate::db::roster::{ParticipantRow, Placement, Seat};
use crate::roster::{Entry, Problem, person_key};
use crate::seating;

/// A stored person as the seating algorithm sees them; `keep_pinned` fixes hand-moved
/// seats at their table. A declared role is seated as the built-in it counts as (a
/// 腎臓内科医 as a hospital physician), so tables mix professions across districts alike.
pub fn person(p: &ParticipantRow, keep_pinned: bool, professions: &Professions) -> seating::Person {
    seating::Person {
        profession: professions.counts_as(&p.profession).to_string(),
        organization: p.organization.clone(),
        area: p.area.clone(),
        side: p.side,
        fixed: p
            .table_number
            .filter(|_| keep_pinned && p.pinned)
            .and_then(|t| usize::try_from(t - 1).ok()),
    }
}

/// A balanced plan for everyone over `tables` tables; with `keep_pinned`, people moved
/// by hand keep their seats (and stay pinned).
pub fn balanced(
    people: &[ParticipantRow],
    tables: i64,
    keep_pinned: bool,
    professions: &Professions,
) -> Vec<Seat> {
    let plan = seating::assign(
        &people
            .iter()
            .map(|p| person(p, keep_pinned, professions))
            .collect::<Vec<_>>(),
        usize::try_from(tables).unwrap_or(0),
    );
    people
        .iter()
        .zip(&plan)
        .map(|(p, table)| Seat {
            participant_id: p.id,
            table: *table as i64 + 1,
            pinned: keep_pinned && p.pinned,
        })
        .collect()
}

/// Where a person added to `existing` sits: once a seating plan exists (someone is
/// seated), it is a late arrival seated at once at the best table that has room;
/// before that, nowhere yet.
pub fn newcomer(
    existing: &[ParticipantRow],
    tables: i64,
    per_table: i64,
    entry: &Entry,
    professions: &Professions,
) -> Placement {
    if !existing.iter().any(|p| p.table_number.is_some()) {
        return Placement::default();
    }
    let people: Vec<_> = existing
        .iter()
        .map(|p| person(p, false, professions))
        .collect();
    let plan: Vec<usize> = existing
        .iter()
        .map(|p| {
            p.table_number
                .and_then(|t| usize::try_from(t - 1).ok())
                .unwrap_or(usize::MAX)
        })
        .collect();
    let newcomer = seating::Person {
        profession: entry.profession.counts_as.to_string(),
        organization: entry.organization.clone(),
        area: entry.area.clone(),
        side: entry.side,
        fixed: None,
    };
    let table = seating::place_one(
        &people,
        &plan,
        usize::try_from(tables).unwrap_or(0),
        usize::try_from(per_table).unwrap_or(0),
        &newcomer,
    )
    .and_then(|t| i64::try_from(t + 1).ok());
    Placement { late: true, table }
}

/// Checks entries against the people already on the roster (unless they are to be
/// replaced) and the seats of the session (`tables` × `per_table`): duplicates, people
/// over the limit, and a table the file names that the session does not have or that
/// the people seated there would overfill.
pub fn check_against(
    existing: &[ParticipantRow],
    entries: &[Entry],
    tables: i64,
    per_table: i64,
) -> Vec<Problem> {
    let capacity = tables * per_table;
    let mut problems = Vec::new();
    let mut at_table: std::collections::BTreeMap<i64, i64> = Default::default();
    for p in existing {
        if let Some(t) = p.table_number {
            *at_table.entry(t).or_default() += 1;
        }
    }
    for entry in entries {
        let Some(table) = entry.table else { continue };
        if table > tables {
            problems.push(Problem::at_line(
                entry.line,
                "roster.err_table_over",
                &[&table, &tables],
            ));
            continue;
        }
        let seated = at_table.entry(table).or_default();
        *seated += 1;
        if *seated == per_table + 1 {
            problems.push(Problem::at_line(
                entry.line,
                "roster.err_table_full",
                &[&table, &per_table],
            ));
        }
    }
    for entry in entries {
        let Some(key) = person_key(&entry.name, &entry.organization) else {
            continue;
        };
        if let Some(other) = existing
            .iter()
            .find(|p| person_key(&p.name, &p.organization).as_deref() == Some(key.as_str()))
        {
            problems.push(Problem::at_line(
                entry.line,
                "roster.err_already",
                &[&entry.name, &other.seq],
            ));
        }
    }
    let room = usize::try_from(capacity).unwrap_or(0);
    if existing.len() + entries.len() > room {
        let first_over = room.saturating_sub(existing.len());
        let line = entries.get(first_over).map_or(0, |e| e.line);
        problems.push(Problem::at_line(
            line,
            "roster.err_seats",
            &[&(existing.len() + entries.len()), &capacity],
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Profession;
    use crate::seating::Side;

    fn entry(line: usize, table: Option<i64>) -> Entry {
        Entry {
            line,
            name: format!("参加者{line}"),
            profession: Profession::builtin("pharmacist").expect("built-in"),
            organization: format!("事業所{line}"),
            area: String::new(),
            side: Side::None,
            table,
        }
    }

    #[test]
    fn tables_a_file_gives_must_exist_and_have_room() {
        // Three tables of two seats: table 4 does not exist, table 1 gets a third person.
        let entries = [
            entry(2, Some(1)),
            entry(3, Some(1)),
            entry(4, Some(4)),
            entry(5, Some(1)),
            entry(6, None),
        ];
        let problems = check_against(&[], &entries, 3, 2);
        let keys: Vec<(usize, &str)> = problems.iter().map(|p| (p.line(), p.key)).collect();
        assert_eq!(
            keys,
            vec![(4, "roster.err_table_over"), (5, "roster.err_table_full")]
        );
        assert!(check_against(&[], &entries[..2], 3, 2).is_empty());
    }
}
