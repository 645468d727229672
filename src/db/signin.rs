//! Organizer sign-in rows: one per signed-in browser, kept only as a hash of its token.
//!
//! The token itself and its hashing belong to `server::auth`; this file stores and
//! finds the hashes.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;

/// True when a sign-in with this token hash exists and has not expired at `now` (ms).
pub fn is_signed_in(conn: &Connection, token_hash: &str, now: i64) -> Result<bool, DbError> {
    let expires: Option<i64> = conn
        .query_row(
            "SELECT expires_at FROM organizer_login WHERE token_hash = ?1",
            [token_hash],
            |r| r.get("expires_at"),
        )
        .optional()?;
    Ok(expires.is_some_and(|expires| expires > now))
}

/// Stores a new sign-in valid until `expires_at`, dropping every sign-in that had
/// expired by `now` (so the table never grows past a day's browsers).
pub fn add_login(
    conn: &Connection,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), DbError> {
    conn.execute("DELETE FROM organizer_login WHERE expires_at < ?1", [now])?;
    conn.execute(
        "INSERT INTO organizer_login (token_hash, created_at, expires_at) VALUES (?1, ?2, ?3)",
        params![token_hash, now, expires_at],
    )?;
    Ok(())
}

/// Ends the sign-in with this token hash (nothing happens when there is none).
pub fn remove_login(conn: &Connection, token_hash: &str) -> Result<(), DbError> {
    conn.execute(
        "DELETE FROM organizer_login WHERE token_hash = ?1",
        [token_hash],
    )?;
    Ok(())
}
