//! Plain query functions over a connection (a `Transaction` works too).

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::{DbError, now_ms};
use crate::content::Sources;

/// A session as stored.
#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    /// UUID.
    pub id: String,
    /// Curriculum it runs.
    pub curriculum_id: String,
    /// Hash of the content snapshot it started with.
    pub content_hash: String,
    /// Title given by the organizer.
    pub title: String,
    /// Date, YYYY-MM-DD.
    pub held_on: String,
    /// Place.
    pub place: String,
    /// Number of tables.
    pub table_count: i64,
    /// Code tables type to join.
    pub join_code: String,
    /// Secret in the facilitator's link.
    pub facilitator_key: String,
    /// Index of the current step.
    pub current_step: i64,
    /// `open` or `closed`.
    pub status: String,
    /// When it was created.
    pub created_at: i64,
    /// When it was closed.
    pub closed_at: Option<i64>,
    /// Secret in the projector's read-only link.
    pub projector_key: String,
    /// `hold` (tables wait for the facilitator) or `free` (self-paced case walks).
    pub pace: String,
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
        self.status == "closed"
    }
}

const SESSION_COLUMNS: &str = "id, curriculum_id, content_hash, title, held_on, place, table_count, join_code, facilitator_key, current_step, status, created_at, closed_at, projector_key, pace, spotlight, rehearsal, seats_per_table, purged_at, notes";

fn session_row(row: &Row) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        id: row.get(0)?,
        curriculum_id: row.get(1)?,
        content_hash: row.get(2)?,
        title: row.get(3)?,
        held_on: row.get(4)?,
        place: row.get(5)?,
        table_count: row.get(6)?,
        join_code: row.get(7)?,
        facilitator_key: row.get(8)?,
        current_step: row.get(9)?,
        status: row.get(10)?,
        created_at: row.get(11)?,
        closed_at: row.get(12)?,
        projector_key: row.get::<_, Option<String>>(13)?.unwrap_or_default(),
        pace: row.get(14)?,
        spotlight: serde_json::from_str(&row.get::<_, String>(15)?).unwrap_or_default(),
        rehearsal: row.get::<_, i64>(16)? != 0,
        seats_per_table: row.get(17)?,
        purged_at: row.get(18)?,
        notes: row.get(19)?,
    })
}

/// A table of a session.
#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    /// Row id.
    pub id: i64,
    /// Session it belongs to.
    pub session_id: String,
    /// Table number shown in the room (1-based).
    pub number: i64,
    /// The table's capability token.
    pub token: String,
    /// Profession ids seated at the table.
    pub professions: Vec<String>,
    /// When the table first joined.
    pub joined_at: Option<i64>,
}

const TABLE_COLUMNS: &str = "id, session_id, number, token, professions, joined_at";

fn table_row(row: &Row) -> rusqlite::Result<TableRow> {
    let professions: String = row.get(4)?;
    Ok(TableRow {
        id: row.get(0)?,
        session_id: row.get(1)?,
        number: row.get(2)?,
        token: row.get(3)?,
        professions: serde_json::from_str(&professions).unwrap_or_default(),
        joined_at: row.get(5)?,
    })
}

/// The newest version of one table's answer to one prompt.
#[derive(Debug, Clone, Serialize)]
pub struct ConclusionRow {
    /// Table row id.
    pub table_id: i64,
    /// Prompt key.
    pub prompt_key: String,
    /// Version number, from 1.
    pub version: i64,
    /// The answer JSON.
    pub answer: serde_json::Value,
    /// Step index it was saved in.
    pub step_index: i64,
    /// When it was saved.
    pub saved_at: i64,
}

fn conclusion_row(row: &Row) -> rusqlite::Result<ConclusionRow> {
    let answer: String = row.get(3)?;
    Ok(ConclusionRow {
        table_id: row.get(0)?,
        prompt_key: row.get(1)?,
        version: row.get(2)?,
        answer: serde_json::from_str(&answer).unwrap_or(serde_json::Value::Null),
        step_index: row.get(4)?,
        saved_at: row.get(5)?,
    })
}

/// One scene on a table's path.
#[derive(Debug, Clone, Serialize)]
pub struct VisitRow {
    /// Table row id.
    pub table_id: i64,
    /// Step index of the case walk.
    pub step_index: i64,
    /// Position on the path, from 0.
    pub seq: i64,
    /// Case id.
    pub case_id: String,
    /// Scene id.
    pub scene_id: String,
    /// Branch option that led here.
    pub via_option: Option<String>,
}

fn visit_row(r: &Row) -> rusqlite::Result<VisitRow> {
    Ok(VisitRow {
        table_id: r.get(0)?,
        step_index: r.get(1)?,
        seq: r.get(2)?,
        case_id: r.get(3)?,
        scene_id: r.get(4)?,
        via_option: r.get(5)?,
    })
}

/// What a new session needs.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// Curriculum id.
    pub curriculum_id: String,
    /// The snapshot of files it runs on.
    pub sources: Sources,
    /// Hash of `sources`.
    pub content_hash: String,
    /// Title.
    pub title: String,
    /// Date.
    pub held_on: String,
    /// Place.
    pub place: String,
    /// Number of tables.
    pub table_count: i64,
    /// Whether this is a rehearsal (the facilitator meeting).
    pub rehearsal: bool,
}

/// Creates a session, its tables and its snapshot in one transaction.
pub fn create_session(conn: &mut Connection, new: &NewSession) -> Result<SessionRow, DbError> {
    let tx = conn.transaction()?;
    let now = now_ms();
    tx.execute(
        "INSERT OR IGNORE INTO content_snapshot (hash, files, created_at) VALUES (?1, ?2, ?3)",
        params![
            new.content_hash,
            serde_json::to_string(&new.sources.files).unwrap_or_default(),
            now
        ],
    )?;
    let id = uuid::Uuid::new_v4().to_string();
    let join_code = new_join_code(&tx)?;
    tx.execute(
        "INSERT INTO session (id, curriculum_id, content_hash, title, held_on, place, table_count, join_code, facilitator_key, created_at, projector_key, rehearsal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            new.curriculum_id,
            new.content_hash,
            new.title,
            new.held_on,
            new.place,
            new.table_count,
            join_code,
            crate::token::secret(),
            now,
            crate::token::secret(),
            new.rehearsal as i64
        ],
    )?;
    for number in 1..=new.table_count {
        tx.execute(
            "INSERT INTO session_table (session_id, number, token) VALUES (?1, ?2, ?3)",
            params![id, number, crate::token::secret()],
        )?;
    }
    append_event(
        &tx,
        &id,
        "organizer",
        None,
        "session.created",
        &serde_json::json!({"title": new.title, "tables": new.table_count, "rehearsal": new.rehearsal}),
    )?;
    let row = tx.query_row(
        &format!("SELECT {SESSION_COLUMNS} FROM session WHERE id = ?1"),
        [&id],
        session_row,
    )?;
    tx.commit()?;
    Ok(row)
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
fn session_by(conn: &Connection, column: &str, value: &str) -> Result<Option<SessionRow>, DbError> {
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
    let mut stmt = conn.prepare("SELECT join_code FROM session WHERE status <> 'closed'")?;
    let codes = stmt
        .query_map([], |r| r.get(0))?
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
        "step.changed",
        serde_json::json!({"from": from, "to": to}),
    )
}

/// Closes a session: no more saves, the record stays.
pub fn close_session(conn: &mut Connection, session_id: &str) -> Result<(), DbError> {
    facilitator_change(
        conn,
        session_id,
        "UPDATE session SET status = 'closed', closed_at = ?2 WHERE id = ?1 AND status = 'open'",
        &now_ms(),
        "session.closed",
        serde_json::json!({}),
    )
}

/// Changes one thing about a session and logs it as the facilitator's, in one transaction.
pub(crate) fn facilitator_change(
    conn: &mut Connection,
    session_id: &str,
    sql: &str,
    value: &dyn rusqlite::ToSql,
    kind: &str,
    data: serde_json::Value,
) -> Result<(), DbError> {
    let tx = conn.transaction()?;
    tx.execute(sql, params![session_id, value])?;
    append_event(&tx, session_id, "facilitator", None, kind, &data)?;
    tx.commit()?;
    Ok(())
}

/// A table by its token.
pub fn table_by_token(conn: &Connection, token: &str) -> Result<Option<TableRow>, DbError> {
    Ok(conn
        .query_row(
            &format!("SELECT {TABLE_COLUMNS} FROM session_table WHERE token = ?1"),
            [token],
            table_row,
        )
        .optional()?)
}

/// A table by session and number.
pub fn table_by_number(
    conn: &Connection,
    session_id: &str,
    number: i64,
) -> Result<Option<TableRow>, DbError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {TABLE_COLUMNS} FROM session_table WHERE session_id = ?1 AND number = ?2"
            ),
            params![session_id, number],
            table_row,
        )
        .optional()?)
}

/// The tables of a session by number.
pub fn tables(conn: &Connection, session_id: &str) -> Result<Vec<TableRow>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {TABLE_COLUMNS} FROM session_table WHERE session_id = ?1 ORDER BY number"
    ))?;
    let rows = stmt
        .query_map([session_id], table_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Records which professions sit at a table.
pub fn set_professions(
    conn: &mut Connection,
    table: &TableRow,
    professions: &[String],
) -> Result<(), DbError> {
    set_professions_by(conn, table, professions, None)
}

/// [`set_professions`] from one device of the table (its label goes into the log).
pub fn set_professions_by(
    conn: &mut Connection,
    table: &TableRow,
    professions: &[String],
    device: Option<i64>,
) -> Result<(), DbError> {
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE session_table SET professions = ?2, joined_at = COALESCE(joined_at, ?3) WHERE id = ?1",
        params![table.id, serde_json::to_string(professions).unwrap_or_default(), now_ms()],
    )?;
    append_event(
        &tx,
        &table.session_id,
        "table",
        Some(table.id),
        "table.roster",
        &with_device(serde_json::json!({"professions": professions}), device),
    )?;
    tx.commit()?;
    Ok(())
}

/// The newest version of every conclusion in a session.
pub fn latest_conclusions(
    conn: &Connection,
    session_id: &str,
) -> Result<Vec<ConclusionRow>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT c.table_id, c.prompt_key, c.version, c.answer, c.step_index, c.saved_at
         FROM conclusion c JOIN session_table t ON t.id = c.table_id
         WHERE t.session_id = ?1
           AND c.version = (SELECT MAX(version) FROM conclusion WHERE table_id = c.table_id AND prompt_key = c.prompt_key)
         ORDER BY t.number, c.prompt_key",
    )?;
    let rows = stmt
        .query_map([session_id], conclusion_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The newest version of each of one table's conclusions.
pub fn latest_conclusions_of_table(
    conn: &Connection,
    table_id: i64,
) -> Result<Vec<ConclusionRow>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.table_id, c.prompt_key, c.version, c.answer, c.step_index, c.saved_at
         FROM conclusion c
         WHERE c.table_id = ?1
           AND c.version = (SELECT MAX(version) FROM conclusion WHERE table_id = c.table_id AND prompt_key = c.prompt_key)
         ORDER BY c.prompt_key",
    )?;
    let rows = stmt
        .query_map([table_id], conclusion_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// One table's scene visits, in path order.
pub fn visits_of_table(conn: &Connection, table_id: i64) -> Result<Vec<VisitRow>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT table_id, step_index, seq, case_id, scene_id, via_option FROM scene_visit
         WHERE table_id = ?1 ORDER BY step_index, seq",
    )?;
    let rows = stmt
        .query_map([table_id], visit_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Every version of one table's answer to one prompt, oldest first.
pub fn conclusion_history(
    conn: &Connection,
    table_id: i64,
    prompt_key: &str,
) -> Result<Vec<ConclusionRow>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT table_id, prompt_key, version, answer, step_index, saved_at FROM conclusion
         WHERE table_id = ?1 AND prompt_key = ?2 ORDER BY version",
    )?;
    let rows = stmt
        .query_map(params![table_id, prompt_key], conclusion_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The outcome of a save.
#[derive(Debug)]
pub enum SaveOutcome {
    /// Stored as this version.
    Saved(ConclusionRow),
    /// The table's save was based on an older version; nothing was stored.
    Conflict {
        /// The version that is stored now.
        current: ConclusionRow,
    },
}

/// Stores a new version of a conclusion unless it is based on an outdated one.
/// `base_version` is the version the table was editing (0 for a first answer).
pub fn save_conclusion(
    conn: &mut Connection,
    table: &TableRow,
    prompt_key: &str,
    base_version: i64,
    answer: &serde_json::Value,
    step_index: i64,
) -> Result<SaveOutcome, DbError> {
    save_conclusion_by(
        conn,
        table,
        prompt_key,
        base_version,
        answer,
        step_index,
        None,
    )
}

/// [`save_conclusion`] from one device of the table (its label goes into the log).
pub fn save_conclusion_by(
    conn: &mut Connection,
    table: &TableRow,
    prompt_key: &str,
    base_version: i64,
    answer: &serde_json::Value,
    step_index: i64,
    device: Option<i64>,
) -> Result<SaveOutcome, DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let current = tx
        .query_row(
            "SELECT table_id, prompt_key, version, answer, step_index, saved_at FROM conclusion
             WHERE table_id = ?1 AND prompt_key = ?2 ORDER BY version DESC LIMIT 1",
            params![table.id, prompt_key],
            conclusion_row,
        )
        .optional()?;
    let latest = current.as_ref().map_or(0, |c| c.version);
    if let Some(current) = current {
        if current.version != base_version {
            return Ok(SaveOutcome::Conflict { current });
        }
        if current.answer == *answer {
            // Saving the same text again (a double click, a retried request) is not a new version.
            return Ok(SaveOutcome::Saved(current));
        }
    }
    let row = ConclusionRow {
        table_id: table.id,
        prompt_key: prompt_key.to_string(),
        version: latest + 1,
        answer: answer.clone(),
        step_index,
        saved_at: now_ms(),
    };
    tx.execute(
        "INSERT INTO conclusion (table_id, prompt_key, version, answer, step_index, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![row.table_id, row.prompt_key, row.version, row.answer.to_string(), row.step_index, row.saved_at],
    )?;
    append_event(
        &tx,
        &table.session_id,
        "table",
        Some(table.id),
        "conclusion.saved",
        &with_device(
            serde_json::json!({"prompt": prompt_key, "version": row.version}),
            device,
        ),
    )?;
    tx.commit()?;
    Ok(SaveOutcome::Saved(row))
}

/// Every scene visit of a session's tables, in path order.
pub fn visits(conn: &Connection, session_id: &str) -> Result<Vec<VisitRow>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT v.table_id, v.step_index, v.seq, v.case_id, v.scene_id, v.via_option
         FROM scene_visit v JOIN session_table t ON t.id = v.table_id
         WHERE t.session_id = ?1 ORDER BY t.number, v.step_index, v.seq",
    )?;
    let rows = stmt
        .query_map([session_id], visit_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Appends a scene to a table's path, unless `expected_seq` is already taken
/// (another device of the same table moved first); returns whether it was added.
pub fn append_visit(
    conn: &mut Connection,
    table: &TableRow,
    step_index: i64,
    expected_seq: i64,
    case_id: &str,
    scene_id: &str,
    via_option: Option<&str>,
) -> Result<bool, DbError> {
    append_visit_by(
        conn,
        table,
        step_index,
        expected_seq,
        case_id,
        scene_id,
        via_option,
        None,
    )
}

/// [`append_visit`] from one device of the table (its label goes into the log).
#[allow(clippy::too_many_arguments)]
pub fn append_visit_by(
    conn: &mut Connection,
    table: &TableRow,
    step_index: i64,
    expected_seq: i64,
    case_id: &str,
    scene_id: &str,
    via_option: Option<&str>,
    device: Option<i64>,
) -> Result<bool, DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let next: i64 = tx.query_row(
        "SELECT COALESCE(MAX(seq) + 1, 0) FROM scene_visit WHERE table_id = ?1 AND step_index = ?2",
        params![table.id, step_index],
        |r| r.get(0),
    )?;
    if next != expected_seq {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO scene_visit (table_id, step_index, seq, case_id, scene_id, via_option, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![table.id, step_index, next, case_id, scene_id, via_option, now_ms()],
    )?;
    append_event(
        &tx,
        &table.session_id,
        "table",
        Some(table.id),
        "scene.entered",
        &with_device(
            serde_json::json!({"step": step_index, "scene": scene_id, "via": via_option}),
            device,
        ),
    )?;
    tx.commit()?;
    Ok(true)
}

/// Adds the label of the device that did it (端末N) to an event's details.
fn with_device(mut data: serde_json::Value, device: Option<i64>) -> serde_json::Value {
    if let (Some(label), Some(map)) = (device, data.as_object_mut()) {
        map.insert("device".into(), label.into());
    }
    data
}

/// Appends to the event log.
pub fn append_event(
    conn: &Connection,
    session_id: &str,
    actor: &str,
    table_id: Option<i64>,
    kind: &str,
    data: &serde_json::Value,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO event (session_id, at, actor, table_id, kind, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![session_id, now_ms(), actor, table_id, kind, data.to_string()],
    )?;
    Ok(())
}

/// Sets whether tables walk cases at their own pace.
pub fn set_pace(conn: &mut Connection, session_id: &str, pace: &str) -> Result<(), DbError> {
    facilitator_change(
        conn,
        session_id,
        "UPDATE session SET pace = ?2 WHERE id = ?1",
        &pace,
        "pace.changed",
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
        "spotlight.changed",
        serde_json::json!({"tables": tables}),
    )
}

/// The timer of one step, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimerRow {
    /// Step index.
    pub step_index: i64,
    /// The time box.
    pub duration_ms: i64,
    /// Time run before the current start.
    pub elapsed_ms: i64,
    /// When the current run started (ms), while running.
    pub started_at: Option<i64>,
    /// `ready`, `running`, `paused` or `ended`.
    pub state: String,
    /// Whether the step's answers are locked.
    pub locked: bool,
    /// Last change (ms); a stale expiry task compares it.
    pub updated_at: i64,
}

/// The stored timer of a step, if it was ever touched.
pub fn timer(
    conn: &Connection,
    session_id: &str,
    step_index: i64,
) -> Result<Option<TimerRow>, DbError> {
    Ok(conn
        .query_row(
            "SELECT step_index, duration_ms, elapsed_ms, started_at, state, locked, updated_at FROM step_timer
             WHERE session_id = ?1 AND step_index = ?2",
            params![session_id, step_index],
            |r| {
                Ok(TimerRow {
                    step_index: r.get(0)?,
                    duration_ms: r.get(1)?,
                    elapsed_ms: r.get(2)?,
                    started_at: r.get(3)?,
                    state: r.get(4)?,
                    locked: r.get::<_, i64>(5)? != 0,
                    updated_at: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// Stores a step's timer and logs what the facilitator did.
pub fn put_timer(
    conn: &mut Connection,
    session_id: &str,
    timer: &TimerRow,
    action: &str,
) -> Result<(), DbError> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO step_timer (session_id, step_index, duration_ms, elapsed_ms, started_at, state, locked, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (session_id, step_index) DO UPDATE SET duration_ms = ?3, elapsed_ms = ?4, started_at = ?5,
             state = ?6, locked = ?7, updated_at = ?8",
        params![
            session_id,
            timer.step_index,
            timer.duration_ms,
            timer.elapsed_ms,
            timer.started_at,
            timer.state,
            timer.locked as i64,
            timer.updated_at
        ],
    )?;
    let actor = if action == "expired" {
        "system"
    } else {
        "facilitator"
    };
    append_event(
        &tx,
        session_id,
        actor,
        None,
        "timer.changed",
        &serde_json::json!({"step": timer.step_index, "action": action, "state": timer.state, "locked": timer.locked}),
    )?;
    tx.commit()?;
    Ok(())
}

/// When each step change happened: (time, from, to), oldest first.
pub fn step_changes(conn: &Connection, session_id: &str) -> Result<Vec<(i64, i64, i64)>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT at, data FROM event WHERE session_id = ?1 AND kind = 'step.changed' ORDER BY id",
    )?;
    let rows = stmt
        .query_map([session_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(at, data)| {
            let v: serde_json::Value = serde_json::from_str(&data).ok()?;
            Some((at, v["from"].as_i64()?, v["to"].as_i64()?))
        })
        .collect())
}

/// One entry of the event log.
#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    /// When (ms).
    pub at: i64,
    /// organizer, facilitator, table or system.
    pub actor: String,
    /// Table number, for a table's events.
    pub table: Option<i64>,
    /// What happened.
    pub kind: String,
    /// Details (JSON).
    pub data: String,
    /// Which device of the table did it (端末N), when known.
    pub device: Option<i64>,
}

/// A session's event log, oldest first.
pub fn events(conn: &Connection, session_id: &str) -> Result<Vec<EventRow>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT e.at, e.actor, t.number, e.kind, e.data, json_extract(e.data, '$.device') FROM event e
         LEFT JOIN session_table t ON t.id = e.table_id
         WHERE e.session_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt
        .query_map([session_id], |r| {
            Ok(EventRow {
                at: r.get(0)?,
                actor: r.get(1)?,
                table: r.get(2)?,
                kind: r.get(3)?,
                data: r.get(4)?,
                device: r.get::<_, Option<i64>>(5).ok().flatten(),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// What the projector's spotlight showed: (step index current at the time, table
/// numbers shown), in the order the facilitator chose them.
pub fn spotlights(conn: &Connection, session_id: &str) -> Result<Vec<(i64, Vec<i64>)>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT kind, data FROM event WHERE session_id = ?1
         AND kind IN ('step.changed', 'spotlight.changed') ORDER BY id",
    )?;
    let rows = stmt
        .query_map([session_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    // Replayed in log order: the step current when each spotlight was set.
    let mut step = 0;
    let mut out = Vec::new();
    for (kind, data) in rows {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&data) else {
            continue;
        };
        if kind == "step.changed" {
            step = v["to"].as_i64().unwrap_or(step);
        } else if let Some(tables) = v["tables"].as_array() {
            out.push((step, tables.iter().filter_map(|t| t.as_i64()).collect()));
        }
    }
    Ok(out)
}

/// Removes a session's personal data: participants' names and every free text its
/// tables wrote, in every version of every conclusion. Choices, scales, ratings, card
/// ranks and the event log stay. Conclusions may only be changed while a purge permit
/// row exists, inside this transaction.
pub fn purge_personal_data(conn: &mut Connection, session_id: &str) -> Result<(), DbError> {
    let tx = conn.transaction()?;
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
        let mut value: serde_json::Value =
            serde_json::from_str(&answer).unwrap_or(serde_json::Value::Null);
        blank_free_text(&mut value);
        tx.execute(
            "UPDATE conclusion SET answer = ?2 WHERE id = ?1",
            params![id, value.to_string()],
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
    tx.execute(
        "UPDATE session SET purged_at = ?2 WHERE id = ?1",
        params![session_id, now_ms()],
    )?;
    append_event(
        &tx,
        session_id,
        "organizer",
        None,
        "session.purged",
        &serde_json::json!({}),
    )?;
    tx.commit()?;
    Ok(())
}

/// Blanks the free text of a stored answer and keeps its shape: strings become empty,
/// lists of strings (four-box items) empty lists; the kind, the sheet view, person keys
/// and ratings, and every number and choice stay. A typed name (`other:…`) is cut to
/// `other:`.
fn blank_free_text(value: &mut serde_json::Value) {
    use serde_json::Value;
    const KEEP: [&str; 4] = ["kind", "view", "rating", "who"];
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if key == "who" => {
                        if s.starts_with("other:") {
                            *s = "other:".into();
                        }
                    }
                    Value::String(_) if KEEP.contains(&key.as_str()) => {}
                    Value::String(s) => s.clear(),
                    Value::Array(items) if items.iter().all(Value::is_string) => items.clear(),
                    other => blank_free_text(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(blank_free_text),
        _ => {}
    }
}
