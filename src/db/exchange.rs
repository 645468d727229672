//! A whole session as rows, for export and import (`crate::exchange` turns them into
//! the session file and back).
//!
//! Both directions go through the row functions of the other files (the one INSERT of
//! each kind of row, the same row readers), so a column added later is added once.
//! Rows that belong to a table name it by its number, never by this server's row id.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::DbError;
use super::conclusions::{self, VisitRow};
use super::events::{self, EventRow};
use super::roster::{self, ParticipantRow};
use super::sessions::{self, SessionRow, SnapshotRow};
use super::survey::{self, ResponseRow};
use super::tables::{self, TableRow};
use super::timers::{self, TimerRow};

/// Everything a session is, as stored.
#[derive(Debug, Clone)]
pub struct SessionRows {
    /// The session, with its secrets (an import brings fresh ones).
    pub session: SessionRow,
    /// The content files it runs on.
    pub snapshot: SnapshotRow,
    /// Its tables by number; `id` is ignored on import, `token` is stored as given.
    pub tables: Vec<TableRow>,
    /// Every version of every conclusion, by table number, prompt and version.
    pub conclusions: Vec<VersionRow>,
    /// Every scene visit as (table number, visit), in path order; the visit's
    /// `table_id` is ignored on import.
    pub visits: Vec<(i64, VisitRow)>,
    /// The step timers that were ever touched, by step.
    pub timers: Vec<TimerRow>,
    /// The event log, oldest first; `table` is a table number.
    pub events: Vec<EventRow>,
    /// The roster by roster number; `id` is ignored on import.
    pub roster: Vec<ParticipantRow>,
    /// The survey responses in the order they came.
    pub responses: Vec<ResponseRow>,
    /// The organizer's theme moves of the session's items.
    pub theme_moves: Vec<super::themes::MoveRow>,
}

/// One stored version of one table's answer, its answer as the stored JSON text (an
/// export hands on exactly what is stored, even an answer this build would not take).
#[derive(Debug, Clone, PartialEq)]
pub struct VersionRow {
    /// The table's number in its session.
    pub table: i64,
    /// `curriculum:<id>:<prompt>` or `case:<id>:<prompt>`.
    pub prompt_key: String,
    /// Version, from 1.
    pub version: i64,
    /// The answer's JSON text, as stored.
    pub answer: String,
    /// The step current when it was saved.
    pub step_index: i64,
    /// When it was saved (ms).
    pub saved_at: i64,
}

/// Reads a whole session, or `None` when there is no such session. Run it in one read
/// transaction (`Db::read` does) for a consistent picture while a server keeps writing.
pub fn read_session(conn: &Connection, session_id: &str) -> Result<Option<SessionRows>, DbError> {
    let Some(session) = sessions::session(conn, session_id)? else {
        return Ok(None);
    };
    let snapshot = sessions::snapshot_row(conn, &session.content_hash)?.ok_or_else(|| {
        DbError::Data(format!(
            "the content snapshot {} is missing",
            session.content_hash
        ))
    })?;
    let tables = tables::tables(conn, session_id)?;
    let number: HashMap<i64, i64> = tables.iter().map(|t| (t.id, t.number)).collect();
    let conclusions = conn
        .prepare(
            "SELECT t.number, c.prompt_key, c.version, c.answer, c.step_index, c.saved_at
             FROM conclusion c JOIN session_table t ON t.id = c.table_id
             WHERE t.session_id = ?1 ORDER BY t.number, c.prompt_key, c.version",
        )?
        .query_map([session_id], |r| {
            Ok(VersionRow {
                table: r.get("number")?,
                prompt_key: r.get("prompt_key")?,
                version: r.get("version")?,
                answer: r.get("answer")?,
                step_index: r.get("step_index")?,
                saved_at: r.get("saved_at")?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let visits = conclusions::visits(conn, session_id)?
        .into_iter()
        .map(|v| (number.get(&v.table_id).copied().unwrap_or(0), v))
        .collect();
    Ok(Some(SessionRows {
        snapshot,
        tables,
        conclusions,
        visits,
        timers: timers::timers(conn, session_id)?,
        events: events::events(conn, session_id)?,
        roster: roster::participants(conn, session_id)?,
        responses: survey::responses(conn, session_id)?,
        theme_moves: super::themes::session_moves(conn, session_id)?,
        session,
    }))
}

/// The title and date of the session holding the survey response `uid`, if one does.
pub fn session_of_response(
    conn: &Connection,
    uid: &str,
) -> Result<Option<(String, String)>, DbError> {
    Ok(conn
        .query_row(
            "SELECT s.title, s.held_on FROM survey_response r JOIN session s ON s.id = r.session_id
             WHERE r.uid = ?1",
            [uid],
            |row| Ok((row.get("title")?, row.get("held_on")?)),
        )
        .optional()?)
}

/// Stores a whole session as given (the snapshot unless already here). Every table a
/// row names by number must be in `rows.tables`; the caller checked that, and runs this
/// in one transaction so a failure stores nothing.
pub fn write_session(conn: &Connection, rows: &SessionRows) -> Result<(), DbError> {
    let id = rows.session.id.as_str();
    sessions::insert_snapshot(conn, &rows.snapshot)?;
    sessions::insert_session(conn, &rows.session)?;
    let mut table_ids: HashMap<i64, i64> = HashMap::new();
    for t in &rows.tables {
        let row_id =
            tables::insert_table(conn, id, t.number, &t.token, &t.professions, t.joined_at)?;
        table_ids.insert(t.number, row_id);
    }
    let table_id = |number: i64| {
        table_ids
            .get(&number)
            .copied()
            .ok_or_else(|| DbError::Data(format!("there is no table {number} in the session")))
    };
    for c in &rows.conclusions {
        conclusions::insert_version(
            conn,
            table_id(c.table)?,
            &c.prompt_key,
            c.version,
            &c.answer,
            c.step_index,
            c.saved_at,
        )?;
    }
    for (number, v) in &rows.visits {
        conclusions::insert_visit(
            conn,
            &VisitRow {
                table_id: table_id(*number)?,
                ..v.clone()
            },
        )?;
    }
    for t in &rows.timers {
        timers::store_timer(conn, id, t)?;
    }
    for e in &rows.events {
        let table = e.table.map(table_id).transpose()?;
        events::insert_event(conn, id, e.at, &e.actor, table, &e.kind, &e.data)?;
    }
    for p in &rows.roster {
        roster::insert_participant(conn, id, p)?;
    }
    for r in &rows.responses {
        if !survey::insert_response(conn, id, r)? {
            return Err(DbError::Data(format!(
                "survey response {} answers step {} a second time for one respondent",
                r.uid, r.step_index
            )));
        }
    }
    for m in &rows.theme_moves {
        super::themes::insert_move(conn, m)?;
    }
    Ok(())
}
