//! Step timer rows: the server-owned clock of each step.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::DbError;
use super::events::append_event;
use super::{Actor, EventKind};

/// The timer of one step, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimerRow {
    /// The step's index in the curriculum, from 0.
    pub step_index: i64,
    /// The time box the facilitator set (ms).
    pub duration_ms: i64,
    /// Time run before the current start.
    pub elapsed_ms: i64,
    /// When the current run started (ms), while running.
    pub started_at: Option<i64>,
    /// `ready`, `running`, `paused` or `ended`.
    pub state: super::TimerState,
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
            &format!(
                "SELECT {TIMER_COLUMNS} FROM step_timer WHERE session_id = ?1 AND step_index = ?2"
            ),
            params![session_id, step_index],
            timer_row,
        )
        .optional()?)
}

/// Every stored timer of a session, by step.
pub fn timers(conn: &Connection, session_id: &str) -> Result<Vec<TimerRow>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {TIMER_COLUMNS} FROM step_timer WHERE session_id = ?1 ORDER BY step_index"
    ))?;
    let rows = stmt
        .query_map([session_id], timer_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

const TIMER_COLUMNS: &str =
    "step_index, duration_ms, elapsed_ms, started_at, state, locked, updated_at";

fn timer_row(r: &Row) -> rusqlite::Result<TimerRow> {
    Ok(TimerRow {
        step_index: r.get("step_index")?,
        duration_ms: r.get("duration_ms")?,
        elapsed_ms: r.get("elapsed_ms")?,
        started_at: r.get("started_at")?,
        state: r.get("state")?,
        locked: r.get::<_, i64>("locked")? != 0,
        updated_at: r.get("updated_at")?,
    })
}

/// Stores a step's timer as given, replacing the one stored: the one write of a timer
/// row, for the facilitator's changes and for an import.
pub(crate) fn store_timer(
    conn: &Connection,
    session_id: &str,
    timer: &TimerRow,
) -> Result<(), DbError> {
    conn.execute(
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
    Ok(())
}

/// Stores a step's timer and logs what the facilitator did.
pub fn put_timer(
    conn: &mut Connection,
    session_id: &str,
    timer: &TimerRow,
    action: &str,
) -> Result<(), DbError> {
    let tx = conn.savepoint()?;
    store_timer(&tx, session_id, timer)?;
    let actor = if action == "expired" {
        Actor::System
    } else {
        Actor::Facilitator
    };
    append_event(
        &tx,
        session_id,
        actor,
        None,
        EventKind::TimerChanged,
        &serde_json::json!({"step": timer.step_index, "action": action, "state": timer.state, "locked": timer.locked}),
    )?;
    tx.commit()?;
    Ok(())
}
