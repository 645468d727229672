//! The organizer's theme moves: an item of the cross-session report put under another
//! theme than the report chose (`theme_move`, one row per item a table wrote).
//!
//! Storage knows rows, not rules: which theme the report chose, and so whether a move
//! is a move or a move back, is decided by `report::moves` before these are called.

use rusqlite::{Connection, Row, params};

use super::events::append_event;
use super::{Actor, DbError, EventKind, now_ms};

/// One stored move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRow {
    /// The session the item was written in.
    pub session_id: String,
    /// The three-field prompt it answers (`curriculum:<id>:<prompt>` or `case:…`).
    pub prompt_key: String,
    /// The table that wrote it, by number.
    pub table_number: i64,
    /// The item's normalised text (`report::items::normalize`).
    pub item: String,
    /// The item as it read when it was moved, to name the move once the text is gone.
    pub text: String,
    /// The theme it was moved to (a theme id, or `other`).
    pub theme: String,
    /// Who moved it (an actor code: always the organizer today).
    pub moved_by: String,
    /// When (ms).
    pub moved_at: i64,
}

fn move_row(r: &Row) -> rusqlite::Result<MoveRow> {
    Ok(MoveRow {
        session_id: r.get("session_id")?,
        prompt_key: r.get("prompt_key")?,
        table_number: r.get("table_number")?,
        item: r.get("item")?,
        text: r.get("text")?,
        theme: r.get("theme")?,
        moved_by: r.get("moved_by")?,
        moved_at: r.get("moved_at")?,
    })
}

const COLUMNS: &str = "session_id, prompt_key, table_number, item, text, theme, moved_by, moved_at";

/// Stores a row as given (the one INSERT of a move): for a move and for an import.
/// A move of the same item replaces the earlier one.
pub(crate) fn insert_move(conn: &Connection, m: &MoveRow) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO theme_move (session_id, prompt_key, table_number, item, text, theme, moved_by, moved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (session_id, prompt_key, table_number, item)
         DO UPDATE SET theme = excluded.theme, text = excluded.text,
                       moved_by = excluded.moved_by, moved_at = excluded.moved_at",
        params![
            m.session_id,
            m.prompt_key,
            m.table_number,
            m.item,
            m.text,
            m.theme,
            m.moved_by,
            m.moved_at
        ],
    )?;
    Ok(())
}

/// What the organizer asked for one item a table wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Put it under this theme (a row is stored or replaced).
    Put {
        /// The item's text as shown.
        text: String,
        /// The theme id.
        theme: String,
    },
    /// Put it back where the report places it (its row, if any, goes).
    Back,
}

/// Where one change applies: an item a table wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Session id.
    pub session_id: String,
    /// Prompt key.
    pub prompt_key: String,
    /// Table number.
    pub table_number: i64,
    /// Normalised item text.
    pub item: String,
}

/// Applies the organizer's changes (all or none), logging each in its session's event
/// log. The log names the prompt, table and theme, never the text: a purge removes the
/// free text and keeps the log. Returns how many rows changed.
pub fn apply(conn: &mut Connection, changes: &[(Target, Change)]) -> Result<usize, DbError> {
    let tx = conn.savepoint()?;
    let mut changed = 0;
    for (t, change) in changes {
        match change {
            Change::Put { text, theme } => {
                insert_move(
                    &tx,
                    &MoveRow {
                        session_id: t.session_id.clone(),
                        prompt_key: t.prompt_key.clone(),
                        table_number: t.table_number,
                        item: t.item.clone(),
                        text: text.clone(),
                        theme: theme.clone(),
                        moved_by: Actor::Organizer.code().to_string(),
                        moved_at: now_ms(),
                    },
                )?;
                append_event(
                    &tx,
                    &t.session_id,
                    Actor::Organizer,
                    None,
                    EventKind::ThemeMoved,
                    &serde_json::json!({
                        "prompt": t.prompt_key,
                        "table": t.table_number,
                        "theme": theme,
                    }),
                )?;
                changed += 1;
            }
            Change::Back => {
                let gone = tx.execute(
                    "DELETE FROM theme_move
                     WHERE session_id = ?1 AND prompt_key = ?2 AND table_number = ?3 AND item = ?4",
                    params![t.session_id, t.prompt_key, t.table_number, t.item],
                )?;
                if gone > 0 {
                    append_event(
                        &tx,
                        &t.session_id,
                        Actor::Organizer,
                        None,
                        EventKind::ThemeMoveUndone,
                        &serde_json::json!({"prompt": t.prompt_key, "table": t.table_number}),
                    )?;
                    changed += gone;
                }
            }
        }
    }
    tx.commit()?;
    Ok(changed)
}

/// Every move of one session, by prompt, table and item.
pub fn session_moves(conn: &Connection, session_id: &str) -> Result<Vec<MoveRow>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM theme_move WHERE session_id = ?1
         ORDER BY prompt_key, table_number, item"
    ))?;
    let rows = stmt
        .query_map([session_id], move_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every move of the given sessions, session by session in the order given.
pub fn moves_of(conn: &Connection, session_ids: &[String]) -> Result<Vec<MoveRow>, DbError> {
    let mut out = Vec::new();
    for id in session_ids {
        out.extend(session_moves(conn, id)?);
    }
    Ok(out)
}

/// Removes every move of a session (its purge: the rows hold the tables' text).
pub(crate) fn delete_session_moves(conn: &Connection, session_id: &str) -> Result<(), DbError> {
    conn.execute("DELETE FROM theme_move WHERE session_id = ?1", [session_id])?;
    Ok(())
}
