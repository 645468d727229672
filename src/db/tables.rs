//! Table rows: a session's tables, found by token or number, and the professions each declared.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::events::{append_event, with_device};
use super::{Actor, EventKind};
use super::{DbError, now_ms};

/// A table of a session.
#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    /// The `session_table` row id; conclusions and devices refer to it.
    pub id: i64,
    /// The UUID of the session it belongs to.
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

pub(crate) const TABLE_COLUMNS: &str = "id, session_id, number, token, professions, joined_at";

pub(crate) fn table_row(row: &Row) -> rusqlite::Result<TableRow> {
    let professions: String = row.get("professions")?;
    Ok(TableRow {
        id: row.get("id")?,
        session_id: row.get("session_id")?,
        number: row.get("number")?,
        token: row.get("token")?,
        professions: serde_json::from_str(&professions).unwrap_or_default(),
        joined_at: row.get("joined_at")?,
    })
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

/// Stores a table of a session as given; returns its row id. The one INSERT of a table,
/// for a new session and for an import.
pub(crate) fn insert_table(
    conn: &Connection,
    session_id: &str,
    number: i64,
    token: &str,
    professions: &[String],
    joined_at: Option<i64>,
) -> Result<i64, DbError> {
    conn.execute(
        "INSERT INTO session_table (session_id, number, token, professions, joined_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            session_id,
            number,
            token,
            serde_json::to_string(professions).map_err(|e| DbError::Data(e.to_string()))?,
            joined_at
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A table by its row id.
pub fn table_by_id(conn: &Connection, id: i64) -> Result<Option<TableRow>, DbError> {
    Ok(conn
        .query_row(
            &format!("SELECT {TABLE_COLUMNS} FROM session_table WHERE id = ?1"),
            [id],
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
    let tx = conn.savepoint()?;
    tx.execute(
        "UPDATE session_table SET professions = ?2, joined_at = COALESCE(joined_at, ?3) WHERE id = ?1",
        params![table.id, serde_json::to_string(professions).unwrap_or_default(), now_ms()],
    )?;
    append_event(
        &tx,
        &table.session_id,
        Actor::Table,
        Some(table.id),
        EventKind::TableRoster,
        &with_device(serde_json::json!({"professions": professions}), device),
    )?;
    tx.commit()?;
    Ok(())
}
