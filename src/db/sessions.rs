//! Session rows: creating, finding, moving through steps, closing and purging a session.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::events::append_event;
use super::{Actor, EventKind, Pace, SessionStatus};
use super::{DbError, now_ms};
use crate::content::Sources;

/// A session as stored.
#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    /// UUID.
    pub id: String,
    /// The `id:` of the curriculum it runs (in its content snapshot).
    pub curriculum_id: String,
    /// Hash of the content snapshot it started with.
    pub content_hash: String,
    /// Title given by the organizer.
    pub title: String,
    /// Date, YYYY-MM-DD.
    pub held_on: String,
    /// Where it is held, as the organizer typed it; may be empty.
    pub place: String,
    /// Number of tables, 1–60 (the schema's check).
    pub table_count: i64,
    /// Code tables type to join.
    pub join_code: String,
    /// Secret in the facilitator's link.
    pub facilitator_key: String,
    /// Index of the current step.
    pub current_step: i64,
    /// Whether it still takes saves (templates compare the code, `open` or `closed`).
    pub status: SessionStatus,
    /// When it was created (ms).
    pub created_at: i64,
    /// When the facilitator closed it (ms); `None` while open.
    pub closed_at: Option<i64>,
    /// Secret in the projector's read-only link.
    pub projector_key: String,
    /// Whether tables wait for the facilitator or walk cases at their own pace.
    pub pace: Pace,
    /// Table numbers shown on the projector (at most two).
    pub spotlight: Vec<i64>,
    /// A rehearsal (facilitator meeting): labeled everywhere, left out of reports.
    pub rehearsal: bool,
    /// Seats at each table, the limit of the roster.
    pub seats_per_table: i64,
    /// When personal data was purged, if it was.
    pub purged_at: Option<i64>,
    /// The facilitator's own notes.
    pub notes: String,
}

impl SessionRow {
    /// True once the facilitator has closed the session.
    pub fn is_closed(&self) -> bool {
        self.status == SessionStatus::Closed
    }
}

/// The columns [`session_row`] reads, for `SELECT {SESSION_COLUMNS} FROM session`.
pub(crate) const SESSION_COLUMNS: &str = "id, curriculum_id, content_hash, title, held_on, place, table_count, join_code, facilitator_key, current_step, status, created_at, closed_at, projector_key, pace, spotlight, rehearsal, seats_per_table, purged_at, notes";

/// Reads a session row by column name.
pub(crate) fn session_row(row: &Row) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        id: row.get("id")?,
        curriculum_id: row.get("curriculum_id")?,
        content_hash: row.get("content_hash")?,
        title: row.get("title")?,
        held_on: row.get("held_on")?,
        place: row.get("place")?,
        table_count: row.get("table_count")?,
        join_code: row.get("join_code")?,
        facilitator_key: row.get("facilitator_key")?,
        current_step: row.get("current_step")?,
        status: row.get("status")?,
        created_at: row.get("created_at")?,
        closed_at: row.get("closed_at")?,
        projector_key: row
            .get::<_, Option<String>>("projector_key")?
            .unwrap_or_default(),
        pace: row.get("pace")?,
        spotlight: serde_json::from_str(&row.get::<_, String>("spotlight")?).unwrap_or_default(),
        rehearsal: row.get::<_, i64>("rehearsal")? != 0,
        seats_per_table: row.get("seats_per_table")?,
        purged_at: row.get("purged_at")?,
        notes: row.get("notes")?,
    })
}

/// What a new session needs.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The `id:` of the curriculum it will run.
    pub curriculum_id: String,
    /// The snapshot of files it runs on.
    pub sources: Sources,
    /// Hash of `sources`.
    pub content_hash: String,
    /// The title the organizer gave it, already cleaned.
    pub title: String,
    /// The day it is held, `YYYY-MM-DD`.
    pub held_on: String,
    /// Where it is held; may be empty.
    pub place: String,
    /// Number of tables to make, 1–60.
    pub table_count: i64,
    /// Whether this is a rehearsal (the facilitator meeting).
    pub rehearsal: bool,
}

/// Creates a session, its tables and its snapshot in one transaction.
pub fn create_session(conn: &mut Connection, new: &NewSession) -> Result<SessionRow, DbError> {
    let tx = conn.savepoint()?;
    let now = now_ms();
    insert_snapshot(
        &tx,
        &SnapshotRow {
            hash: new.content_hash.clone(),
            files: new.sources.files.clone(),
            created_at: now,
        },
    )?;
    let id = uuid::Uuid::new_v4().to_string();
    let join_code = new_join_code(&tx)?;
    // The values a new session starts with (the columns' defaults in the schema).
    let row = SessionRow {
        id: id.clone(),
        curriculum_id: new.curriculum_id.clone(),
        content_hash: new.content_hash.clone(),
        title: new.title.clone(),
        held_on: new.held_on.clone(),
        place: new.place.clone(),
        table_count: new.table_count,
        join_code,
        facilitator_key: crate::token::secret(),
        current_step: 0,
        status: SessionStatus::Open,
        created_at: now,
        closed_at: None,
        projector_key: crate::token::secret(),
        pace: Pace::Free,
        spotlight: Vec::new(),
        rehearsal: new.rehearsal,
        seats_per_table: 8,
        purged_at: None,
        notes: String::new(),
    };
    insert_session(&tx, &row)?;
    for number in 1..=new.table_count {
        super::tables::insert_table(&tx, &id, number, &crate::token::secret(), &[], None)?;
    }
    append_event(
        &tx,
        &id,
        Actor::Organizer,
        None,
        EventKind::SessionCreated,
        &serde_json::json!({"title": new.title, "tables": new.table_count, "rehearsal": new.rehearsal}),
    )?;
    let row = session(&tx, &id)?.ok_or_else(|| DbError::Data(format!("session {id} vanished")))?;
    tx.commit()?;
    Ok(row)
}

/// Stores a session row as given, secrets included: the one INSERT of a session, for a
/// new session and for an import.
pub(crate) fn insert_session(conn: &Connection, s: &SessionRow) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO session (id, curriculum_id, content_hash, title, held_on, place, table_count,
             join_code, facilitator_key, current_step, status, created_at, closed_at, projector_key,
             pace, spotlight, rehearsal, seats_per_table, purged_at, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
            s.id,
            s.curriculum_id,
            s.content_hash,
            s.title,
            s.held_on,
            s.place,
            s.table_count,
            s.join_code,
            s.facilitator_key,
            s.current_step,
            s.status,
            s.created_at,
            s.closed_at,
            s.projector_key,
            s.pace,
            serde_json::to_string(&s.spotlight).map_err(|e| DbError::Data(e.to_string()))?,
            s.rehearsal as i64,
            s.seats_per_table,
            s.purged_at,
            s.notes
        ],
    )?;
    Ok(())
}

/// A content snapshot as stored: the exact files sessions started with.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotRow {
    /// SHA-256 of the files ([`Sources::hash`]); sessions refer to it.
    pub hash: String,
    /// `curricula/x.md` or `cases/y.md` → the file's text.
    pub files: std::collections::BTreeMap<String, String>,
    /// When the snapshot was first stored (ms); a later session on the same files keeps it.
    pub created_at: i64,
}

/// Stores a snapshot unless one with its hash is already stored (the same files).
pub(crate) fn insert_snapshot(conn: &Connection, snapshot: &SnapshotRow) -> Result<(), DbError> {
    conn.execute(
        "INSERT OR IGNORE INTO content_snapshot (hash, files, created_at) VALUES (?1, ?2, ?3)",
        params![
            snapshot.hash,
            serde_json::to_string(&snapshot.files).map_err(|e| DbError::Data(e.to_string()))?,
            snapshot.created_at
        ],
    )?;
    Ok(())
}

/// The snapshot with this hash; an error when its files cannot be read back.
pub fn snapshot_row(conn: &Connection, hash: &str) -> Result<Option<SnapshotRow>, DbError> {
    let found: Option<(String, i64)> = conn
        .query_row(
            "SELECT files, created_at FROM content_snapshot WHERE hash = ?1",
            [hash],
            |r| Ok((r.get("files")?, r.get("created_at")?)),
        )
        .optional()?;
    let Some((files, created_at)) = found else {
        return Ok(None);
    };
    Ok(Some(SnapshotRow {
        files: serde_json::from_str(&files)
            .map_err(|e| DbError::Data(format!("content snapshot {hash}: {e}")))?,
        hash: hash.to_string(),
        created_at,
    }))
}

/// A join code no session on this server uses yet.
pub fn new_join_code(conn: &Connection) -> Result<String, DbError> {
    // A fresh code each try: a clash with another session's code is astronomically rare.
    loop {
        let code = crate::token::join_code();
        let taken = conn
            .query_row(
                "SELECT 1 FROM session WHERE join_code = ?1",
                [&code],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !taken {
            return Ok(code);
        }
    }
}

/// The files of a snapshot.
pub fn snapshot(conn: &Connection, hash: &str) -> Result<Option<Sources>, DbError> {
    let files: Option<String> = conn
        .query_row(
            "SELECT files FROM content_snapshot WHERE hash = ?1",
            [hash],
            |r| r.get(0),
        )
        .optional()?;
    Ok(files
        .and_then(|f| serde_json::from_str(&f).ok())
        .map(|files| Sources { files }))
}

/// Looks a session up by one of its unique columns.
pub(crate) fn session_by(
    conn: &Connection,
    column: &str,
    value: &str,
) -> Result<Option<SessionRow>, DbError> {
    Ok(conn
        .query_row(
            &format!("SELECT {SESSION_COLUMNS} FROM session WHERE {column} = ?1"),
            [value],
            session_row,
        )
        .optional()?)
}

/// A session by id.
pub fn session(conn: &Connection, id: &str) -> Result<Option<SessionRow>, DbError> {
    session_by(conn, "id", id)
}

/// A session by its facilitator key.
pub fn session_by_facilitator_key(
    conn: &Connection,
    key: &str,
) -> Result<Option<SessionRow>, DbError> {
    session_by(conn, "facilitator_key", key)
}

/// A session by its projector key.
pub fn session_by_projector_key(
    conn: &Connection,
    key: &str,
) -> Result<Option<SessionRow>, DbError> {
    session_by(conn, "projector_key", key)
}

/// A session by join code (codes are matched without case or spaces).
pub fn session_by_join_code(conn: &Connection, code: &str) -> Result<Option<SessionRow>, DbError> {
    session_by(conn, "join_code", code)
}

/// The join codes of sessions that are not closed (to recognise a typo of one).
pub fn open_join_codes(conn: &Connection) -> Result<Vec<String>, DbError> {
    let mut stmt = conn.prepare("SELECT join_code FROM session WHERE status <> ?1")?;
    let codes = stmt
        .query_map([SessionStatus::Closed], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(codes)
}

/// Every session, newest first.
pub fn sessions(conn: &Connection) -> Result<Vec<SessionRow>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {SESSION_COLUMNS} FROM session ORDER BY held_on DESC, created_at DESC"
    ))?;
    let rows = stmt.query_map([], session_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Rehearsals of a curriculum, other than `except`, whose facilitators wrote notes:
/// what a real session's facilitator may copy in. Newest first.
pub fn rehearsals_with_notes(
    conn: &Connection,
    curriculum_id: &str,
    except: &str,
) -> Result<Vec<SessionRow>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {SESSION_COLUMNS} FROM session
         WHERE rehearsal = 1 AND curriculum_id = ?1 AND id <> ?2 AND trim(notes, ' ' || char(9, 10, 11, 12, 13, 12288)) <> ''
         ORDER BY held_on DESC, created_at DESC"
    ))?;
    let rows = stmt
        .query_map(params![curriculum_id, except], session_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Moves a session to another step. The projector's spotlight belongs to the step it
/// was chosen for, so it is cleared: a later step starts with no table spotlighted.
pub fn set_current_step(
    conn: &mut Connection,
    session_id: &str,
    from: i64,
    to: i64,
) -> Result<(), DbError> {
    facilitator_change(
        conn,
        session_id,
        "UPDATE session SET current_step = ?2, spotlight = '[]' WHERE id = ?1",
        &to,
        EventKind::StepChanged,
        serde_json::json!({"from": from, "to": to}),
    )
}

/// Closes a session: no more saves, the record stays.
pub fn close_session(conn: &mut Connection, session_id: &str) -> Result<(), DbError> {
    let tx = conn.savepoint()?;
    tx.execute(
        "UPDATE session SET status = ?3, closed_at = ?2 WHERE id = ?1 AND status = ?4",
        params![
            session_id,
            now_ms(),
            SessionStatus::Closed,
            SessionStatus::Open
        ],
    )?;
    let data = serde_json::json!({});
    append_event(
        &tx,
        session_id,
        Actor::Facilitator,
        None,
        EventKind::SessionClosed,
        &data,
    )?;
    tx.commit()?;
    Ok(())
}

/// Changes one thing about a session and logs it as the facilitator's, in one transaction.
pub(crate) fn facilitator_change(
    conn: &mut Connection,
    session_id: &str,
    sql: &str,
    value: &dyn rusqlite::ToSql,
    kind: EventKind,
    data: serde_json::Value,
) -> Result<(), DbError> {
    let tx = conn.savepoint()?;
    tx.execute(sql, params![session_id, value])?;
    append_event(&tx, session_id, Actor::Facilitator, None, kind, &data)?;
    tx.commit()?;
    Ok(())
}

/// Sets whether tables walk cases at their own pace.
pub fn set_pace(conn: &mut Connection, session_id: &str, pace: Pace) -> Result<(), DbError> {
    facilitator_change(
        conn,
        session_id,
        "UPDATE session SET pace = ?2 WHERE id = ?1",
        &pace,
        EventKind::PaceChanged,
        serde_json::json!({"pace": pace}),
    )
}

/// Sets the tables shown on the projector.
pub fn set_spotlight(
    conn: &mut Connection,
    session_id: &str,
    tables: &[i64],
) -> Result<(), DbError> {
    facilitator_change(
        conn,
        session_id,
        "UPDATE session SET spotlight = ?2 WHERE id = ?1",
        &serde_json::to_string(tables).unwrap_or_default(),
        EventKind::SpotlightChanged,
        serde_json::json!({"tables": tables}),
    )
}

/// Removes a session's personal data: participants' names and every free text its
/// tables wrote, in every version of every conclusion. Choices, scales, ratings, card
/// ranks and the event log stay. Conclusions may only be changed while a purge permit
/// row exists, inside this transaction.
pub fn purge_personal_data(conn: &mut Connection, session_id: &str) -> Result<(), DbError> {
    let tx = conn.savepoint()?;
    tx.execute(
        "INSERT INTO purge_permit (session_id) VALUES (?1)",
        [session_id],
    )?;
    let rows: Vec<(i64, String)> = {
        let mut stmt = tx.prepare(
            "SELECT c.id, c.answer FROM conclusion c JOIN session_table t ON t.id = c.table_id
             WHERE t.session_id = ?1",
        )?;
        stmt.query_map([session_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    for (id, answer) in rows {
        let data = |e: serde_json::Error| {
            DbError::Data(format!(
                "conclusion {id} of session {session_id} cannot be purged: its answer is \
                 not JSON ({e}); restore the database from a backup"
            ))
        };
        let purged = crate::answer::StoredAnswer::from_json(&answer)
            .map_err(data)?
            .without_free_text();
        tx.execute(
            "UPDATE conclusion SET answer = ?2 WHERE id = ?1",
            params![id, purged.to_json().map_err(data)?],
        )?;
    }
    // Survey comments are free text too; scale points and chosen options stay.
    tx.execute(
        "UPDATE survey_response SET answers = (
             SELECT json_group_object(key, CASE WHEN json_type(value, '$.text') IS NOT NULL
                                                THEN json_object('text', '') ELSE json(value) END)
             FROM json_each(survey_response.answers))
         WHERE session_id = ?1",
        [session_id],
    )?;
    tx.execute(
        "DELETE FROM purge_permit WHERE session_id = ?1",
        [session_id],
    )?;
    tx.execute(
        "UPDATE participant SET name = '' WHERE session_id = ?1",
        [session_id],
    )?;
    tx.execute("UPDATE session SET notes = '' WHERE id = ?1", [session_id])?;
    // The organizer's theme moves keep the items' text: they go with it.
    super::themes::delete_session_moves(&tx, session_id)?;
    tx.execute(
        "UPDATE session SET purged_at = ?2 WHERE id = ?1",
        params![session_id, now_ms()],
    )?;
    append_event(
        &tx,
        session_id,
        Actor::Organizer,
        None,
        EventKind::SessionPurged,
        &serde_json::json!({}),
    )?;
    tx.commit()?;
    Ok(())
}

/// The facilitator's notes of a session.
pub fn notes(conn: &Connection, session_id: &str) -> Result<String, DbError> {
    Ok(conn
        .query_row(
            "SELECT notes FROM session WHERE id = ?1",
            [session_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// Replaces the facilitator's notes of a session.
pub fn set_notes(conn: &mut Connection, session_id: &str, notes: &str) -> Result<(), DbError> {
    facilitator_change(
        conn,
        session_id,
        "UPDATE session SET notes = ?2 WHERE id = ?1",
        &notes,
        EventKind::NotesSaved,
        serde_json::json!({ "chars": notes.chars().count() }),
    )
}
