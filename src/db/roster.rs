//! Queries for a session's roster (participants) and seating plan.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::events::append_event;
use super::{Actor, EventKind};
use super::{DbError, now_ms};
use crate::roster::Entry;

/// A participant as stored.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantRow {
    /// The `participant` row id (this server's; an export names people by `seq`).
    pub id: i64,
    /// Number in the roster, from 1, in order of entry.
    pub seq: i64,
    /// Name, may be empty.
    pub name: String,
    /// Profession id (`visiting-nurse`, or a role the session's content declares).
    pub profession: String,
    /// Where the person works; seating keeps colleagues apart.
    pub organization: String,
    /// The person's district; seating spreads districts over the tables.
    pub area: String,
    /// Hospital or home side, or neither.
    pub side: crate::seating::Side,
    /// Table number (1-based) once seated.
    pub table_number: Option<i64>,
    /// Moved by hand: a new balanced plan keeps this seat.
    pub pinned: bool,
    /// Added on the day, after the seating plan was made.
    pub late: bool,
    /// When the person arrived (checked in), if they have.
    pub checked_in_at: Option<i64>,
    /// When the person was entered (ms); kept by export and import.
    pub created_at: i64,
}

const COLUMNS: &str = "id, seq, name, profession, organization, area, side, table_number, pinned, late, checked_in_at, created_at";

fn participant_row(row: &Row) -> rusqlite::Result<ParticipantRow> {
    Ok(ParticipantRow {
        id: row.get("id")?,
        seq: row.get("seq")?,
        name: row.get("name")?,
        profession: row.get("profession")?,
        organization: row.get("organization")?,
        area: row.get("area")?,
        side: row.get("side")?,
        table_number: row.get("table_number")?,
        pinned: row.get::<_, i64>("pinned")? != 0,
        late: row.get::<_, i64>("late")? != 0,
        checked_in_at: row.get("checked_in_at")?,
        created_at: row.get("created_at")?,
    })
}

/// A session's participants in roster order.
pub fn participants(conn: &Connection, session_id: &str) -> Result<Vec<ParticipantRow>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM participant WHERE session_id = ?1 ORDER BY seq"
    ))?;
    let rows = stmt
        .query_map([session_id], participant_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Where a person added is to sit, decided before the store call (the roster's
/// seating plan, `crate::roster::plan`): storage stores it and decides nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Placement {
    /// Added on the day, after a seating plan was made.
    pub late: bool,
    /// The table (1-based) the person is seated at at once, if any has room.
    pub table: Option<i64>,
}

/// One seat of a balanced plan, as `crate::roster::plan` made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
    /// The participant's row id.
    pub participant_id: i64,
    /// The table (1-based).
    pub table: i64,
    /// Whether the seat stays pinned (a hand-moved seat the plan kept).
    pub pinned: bool,
}

/// A session's (table count, seats per table): the room a plan has.
pub fn seats(conn: &Connection, session_id: &str) -> Result<(i64, i64), DbError> {
    Ok(conn.query_row(
        "SELECT table_count, seats_per_table FROM session WHERE id = ?1",
        [session_id],
        |r| Ok((r.get("table_count")?, r.get("seats_per_table")?)),
    )?)
}

fn insert(
    conn: &Connection,
    session_id: &str,
    entry: &Entry,
    late: bool,
    table: Option<i64>,
) -> Result<i64, DbError> {
    let seq: i64 = conn.query_row(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM participant WHERE session_id = ?1",
        [session_id],
        |r| r.get(0),
    )?;
    let person = ParticipantRow {
        id: 0,
        seq,
        name: entry.name.clone(),
        profession: entry.profession.id.to_string(),
        organization: entry.organization.clone(),
        area: entry.area.clone(),
        side: entry.side,
        table_number: table,
        // A table the roster file gave is kept when seating is planned again.
        pinned: entry.table.is_some(),
        late,
        checked_in_at: None,
        created_at: now_ms(),
    };
    insert_participant(conn, session_id, &person)?;
    Ok(seq)
}

/// Stores one person as given (`person.id` is ignored: the row gets a new one): the one
/// INSERT of a participant, for the organizer's entries and for an import.
pub(crate) fn insert_participant(
    conn: &Connection,
    session_id: &str,
    person: &ParticipantRow,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO participant (session_id, seq, name, profession, organization, area, side,
             table_number, pinned, late, created_at, checked_in_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            session_id,
            person.seq,
            person.name,
            person.profession,
            person.organization,
            person.area,
            person.side,
            person.table_number,
            person.pinned as i64,
            person.late as i64,
            person.created_at,
            person.checked_in_at
        ],
    )?;
    Ok(())
}

/// Stores imported people in one transaction, all of them or none; with `replace`, the
/// current roster is removed first. The caller has checked them
/// (`roster::plan::check_against`): duplicates and seats are rules, not storage.
pub fn import(
    conn: &mut Connection,
    session_id: &str,
    entries: &[Entry],
    replace: bool,
) -> Result<usize, DbError> {
    let tx = conn.savepoint()?;
    if replace {
        tx.execute(
            "DELETE FROM participant WHERE session_id = ?1",
            [session_id],
        )?;
    }
    for entry in entries {
        insert(&tx, session_id, entry, false, entry.table)?;
    }
    append_event(
        &tx,
        session_id,
        Actor::Organizer,
        None,
        EventKind::RosterImported,
        &serde_json::json!({
            "people": entries.len(),
            "replace": replace,
            "seated": entries.iter().filter(|e| e.table.is_some()).count(),
        }),
    )?;
    tx.commit()?;
    Ok(entries.len())
}

/// A person added: their number in the roster and, on the day, their table.
pub type Added = (i64, Option<i64>);

/// Adds one person, seated as `placement` says (planned by the caller: a late arrival
/// on the day is seated at once, and checked by it for duplicates and seats); returns
/// (seq, table).
pub fn add(
    conn: &mut Connection,
    session_id: &str,
    entry: &Entry,
    placement: Placement,
) -> Result<Added, DbError> {
    let tx = conn.savepoint()?;
    let Placement { late, table } = placement;
    let seq = insert(&tx, session_id, entry, late, table)?;
    append_event(
        &tx,
        session_id,
        Actor::Organizer,
        None,
        EventKind::RosterAdded,
        &serde_json::json!({"seq": seq, "profession": entry.profession.id, "table": table, "late": late}),
    )?;
    tx.commit()?;
    Ok((seq, table))
}

/// Removes one person from the roster; false if there was no such person.
pub fn remove(conn: &mut Connection, session_id: &str, id: i64) -> Result<bool, DbError> {
    let tx = conn.savepoint()?;
    let seq: Option<i64> = tx
        .query_row(
            "SELECT seq FROM participant WHERE session_id = ?1 AND id = ?2",
            params![session_id, id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(seq) = seq else {
        return Ok(false);
    };
    tx.execute("DELETE FROM participant WHERE id = ?1", [id])?;
    append_event(
        &tx,
        session_id,
        Actor::Organizer,
        None,
        EventKind::RosterRemoved,
        &serde_json::json!({"seq": seq}),
    )?;
    tx.commit()?;
    Ok(true)
}

/// Sets the seats per table.
pub fn set_seats(conn: &mut Connection, session_id: &str, seats: i64) -> Result<(), DbError> {
    let tx = conn.savepoint()?;
    tx.execute(
        "UPDATE session SET seats_per_table = ?2 WHERE id = ?1",
        params![session_id, seats],
    )?;
    append_event(
        &tx,
        session_id,
        Actor::Organizer,
        None,
        EventKind::RosterSeats,
        &serde_json::json!({"seats": seats}),
    )?;
    tx.commit()?;
    Ok(())
}

/// Stores a seating plan made by the caller (`crate::roster::plan::balanced`), one
/// seat per person, and logs it; `keep_pinned` says whether hand-moved seats were kept.
/// Returns the number of people seated.
pub fn store_plan(
    conn: &mut Connection,
    session_id: &str,
    plan: &[Seat],
    keep_pinned: bool,
) -> Result<usize, DbError> {
    let tx = conn.savepoint()?;
    let (tables, _) = seats(&tx, session_id)?;
    for seat in plan {
        tx.execute(
            "UPDATE participant SET table_number = ?2, pinned = ?3 WHERE id = ?1",
            params![seat.participant_id, seat.table, seat.pinned as i64],
        )?;
    }
    append_event(
        &tx,
        session_id,
        Actor::Organizer,
        None,
        EventKind::SeatingAssigned,
        &serde_json::json!({"people": plan.len(), "tables": tables, "keep_pinned": keep_pinned}),
    )?;
    tx.commit()?;
    Ok(plan.len())
}

/// Moves one person to a table (1-based) and pins them there; false if no such person.
pub fn move_to(
    conn: &mut Connection,
    session_id: &str,
    id: i64,
    table: i64,
) -> Result<bool, DbError> {
    let tx = conn.savepoint()?;
    let found: Option<(i64, Option<i64>)> = tx
        .query_row(
            "SELECT seq, table_number FROM participant WHERE session_id = ?1 AND id = ?2",
            params![session_id, id],
            |r| Ok((r.get("seq")?, r.get("table_number")?)),
        )
        .optional()?;
    let Some((seq, from)) = found else {
        return Ok(false);
    };
    tx.execute(
        "UPDATE participant SET table_number = ?2, pinned = 1 WHERE id = ?1",
        params![id, table],
    )?;
    append_event(
        &tx,
        session_id,
        Actor::Organizer,
        None,
        EventKind::SeatingMoved,
        // The roster number, which an exported session keeps (row ids are this server's).
        &serde_json::json!({"seq": seq, "from": from, "to": table}),
    )?;
    tx.commit()?;
    Ok(true)
}

/// The professions of the people seated at one table, in roster order without repeats:
/// what a table screen offers to confirm when the table first joins.
pub fn seated_professions(
    conn: &Connection,
    session_id: &str,
    table: i64,
) -> Result<Vec<String>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT profession FROM participant WHERE session_id = ?1 AND table_number = ?2 ORDER BY seq",
    )?;
    let mut out: Vec<String> = Vec::new();
    for profession in stmt.query_map(params![session_id, table], |r| r.get::<_, String>(0))? {
        let profession = profession?;
        if !out.contains(&profession) {
            out.push(profession);
        }
    }
    Ok(out)
}

/// Marks a roster person as arrived (or not). Returns false if no such person.
pub fn set_checked_in(
    conn: &mut Connection,
    session_id: &str,
    participant_id: i64,
    arrived: bool,
    actor: Actor,
) -> Result<bool, DbError> {
    let tx = conn.savepoint()?;
    let seq: Option<i64> = tx
        .query_row(
            "UPDATE participant SET checked_in_at = CASE WHEN ?3 THEN coalesce(checked_in_at, ?4) ELSE NULL END,
             checked_in_by = CASE WHEN ?3 THEN checked_in_by ELSE NULL END
             WHERE session_id = ?1 AND id = ?2 RETURNING seq",
            params![session_id, participant_id, arrived, now_ms()],
            |r| r.get(0),
        )
        .optional()?;
    let Some(seq) = seq else {
        return Ok(false);
    };
    append_event(
        &tx,
        session_id,
        actor,
        None,
        if arrived {
            EventKind::RosterCheckedIn
        } else {
            EventKind::RosterCheckInUndone
        },
        // The roster number, which an exported session keeps (row ids are this server's).
        &serde_json::json!({ "seq": seq }),
    )?;
    tx.commit()?;
    Ok(true)
}

/// What became of a check-in from a phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneCheckIn {
    /// Checked in by this phone (now or before).
    Mine,
    /// Already checked in at the desk or by another phone: nothing is told.
    Taken,
}

/// Checks a person in from a phone, remembering which phone (`by`, a hash).
pub fn phone_check_in(
    conn: &mut Connection,
    session_id: &str,
    participant_id: i64,
    by: &str,
) -> Result<PhoneCheckIn, DbError> {
    let tx = conn.savepoint()?;
    let (checked_in, earlier_by): (Option<i64>, Option<String>) = tx.query_row(
        "SELECT checked_in_at, checked_in_by FROM participant WHERE session_id = ?1 AND id = ?2",
        params![session_id, participant_id],
        |r| Ok((r.get("checked_in_at")?, r.get("checked_in_by")?)),
    )?;
    if checked_in.is_some() {
        return Ok(if earlier_by.as_deref() == Some(by) {
            PhoneCheckIn::Mine
        } else {
            PhoneCheckIn::Taken
        });
    }
    tx.execute(
        "UPDATE participant SET checked_in_at = ?3, checked_in_by = ?4 WHERE session_id = ?1 AND id = ?2",
        params![session_id, participant_id, now_ms(), by],
    )?;
    let seq: i64 = tx.query_row(
        "SELECT seq FROM participant WHERE id = ?1",
        [participant_id],
        |r| r.get(0),
    )?;
    append_event(
        &tx,
        session_id,
        Actor::Participant,
        None,
        EventKind::RosterCheckedIn,
        &serde_json::json!({ "seq": seq }),
    )?;
    tx.commit()?;
    Ok(PhoneCheckIn::Mine)
}

/// The phone (hash) that checked in roster number `seq`, if a phone did.
pub fn checked_in_by(
    conn: &Connection,
    session_id: &str,
    seq: i64,
) -> Result<Option<String>, DbError> {
    Ok(conn
        .query_row(
            "SELECT checked_in_by FROM participant WHERE session_id = ?1 AND seq = ?2 AND checked_in_at IS NOT NULL",
            params![session_id, seq],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Arrival times of a session's roster: (participant id, checked in at).
pub fn check_ins(conn: &Connection, session_id: &str) -> Result<Vec<(i64, i64)>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT id, checked_in_at FROM participant
         WHERE session_id = ?1 AND checked_in_at IS NOT NULL ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([session_id], |r| {
            Ok((r.get("id")?, r.get("checked_in_at")?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
