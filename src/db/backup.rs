//! Whole-database operations for `backup` and `restore`: an online copy and the check
//! that a file is a database this version can open.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, backup::Backup};

use super::MIGRATIONS;

/// Pages copied per step: small steps let the server's saves go on between them.
const PAGES_PER_STEP: std::ffi::c_int = 256;

/// Copies a live database page by page into another connection.
pub fn copy(from: &Connection, to: &mut Connection) -> Result<(), rusqlite::Error> {
    let backup = Backup::new(from, to)?;
    backup.run_to_completion(PAGES_PER_STEP, Duration::from_millis(5), None)
}

/// Checks that a file is an acp-workbook database this version can open.
pub fn check_database(path: &Path) -> Result<(), String> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("{} cannot be opened as a database: {e}", path.display()))?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| format!("{} is not a SQLite database: {e}", path.display()))?;
    if integrity != "ok" {
        return Err(format!("{} is damaged: {integrity}", path.display()));
    }
    let has_sessions: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'session'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n == 1)
        .unwrap_or(false);
    if !has_sessions {
        return Err(format!(
            "{} is not an acp-workbook database (it has no sessions table)",
            path.display()
        ));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap_or(0);
    let known = i64::try_from(migration_count()).unwrap_or(i64::MAX);
    if version > known {
        return Err(format!(
            "{} was written by a newer acp-workbook (schema {version}, this one knows {known}); upgrade acp-workbook first",
            path.display()
        ));
    }
    Ok(())
}

/// How many migrations this build knows.
pub fn migration_count() -> usize {
    // Applying the migrations to an empty database tells how many this build has.
    let mut conn = match Connection::open_in_memory() {
        Ok(c) => c,
        Err(_) => return 0,
    };
    if MIGRATIONS.to_latest(&mut conn).is_err() {
        return 0;
    }
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map_or(0, |v| v as usize)
}
