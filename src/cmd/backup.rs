//! `acp-workbook backup` and `restore`: a consistent copy of the database, taken while
//! the server keeps running, and the way back from one.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, backup::Backup};

use crate::cli::{BackupArgs, RestoreArgs};
use crate::db::{DbError, MIGRATIONS};

/// Pages copied per step: small steps let the server's saves go on between them.
const PAGES_PER_STEP: std::ffi::c_int = 256;

fn copy(from: &Connection, to: &mut Connection) -> Result<(), rusqlite::Error> {
    let backup = Backup::new(from, to)?;
    backup.run_to_completion(PAGES_PER_STEP, Duration::from_millis(5), None)
}

/// Checks that a file is an acp-workbook database this version can open.
fn check_database(path: &Path) -> Result<(), String> {
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

fn migration_count() -> usize {
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

fn run_backup(args: &BackupArgs) -> Result<(), String> {
    if args.out.exists() {
        return Err(format!(
            "{} already exists; choose a new file name (e.g. with the date in it)",
            args.out.display()
        ));
    }
    if !args.db.exists() {
        return Err(format!("there is no database at {}", args.db.display()));
    }
    let source = Connection::open_with_flags(&args.db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("cannot open {}: {e}", args.db.display()))?;
    let mut target = Connection::open(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let copied = copy(&source, &mut target).map_err(|e| format!("the copy failed: {e}"));
    drop(target);
    let checked = copied.and_then(|()| check_database(&args.out));
    if checked.is_err() {
        // A half-written copy must not be mistaken for a backup later.
        let _ = std::fs::remove_file(&args.out);
    }
    checked
}

/// Copies the database while the server may be writing to it.
pub fn backup(args: &BackupArgs) -> ExitCode {
    match run_backup(args) {
        Ok(()) => {
            println!("backup written to {} (checked: ok)", args.out.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("backup failed: {message}");
            ExitCode::from(super::EXIT_FAILURE)
        }
    }
}

fn run_restore(args: &RestoreArgs) -> Result<Option<std::path::PathBuf>, String> {
    check_database(&args.from)?;
    // A running server holds this lock; restoring under it would lose its saves.
    let _lock = crate::db::lock_file(&args.db)?;
    let mut kept = None;
    if args.db.exists() {
        let mut current = Connection::open(&args.db)
            .map_err(|e| format!("cannot open {}: {e}", args.db.display()))?;
        // Keep what is there now beside it, so a restore never loses data.
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let aside = args.db.with_extension(format!("before-restore-{stamp}.db"));
        let mut copy_to = Connection::open(&aside)
            .map_err(|e| format!("cannot create {}: {e}", aside.display()))?;
        copy(&current, &mut copy_to)
            .map_err(|e| format!("keeping the current database failed: {e}"))?;
        let source = Connection::open_with_flags(&args.from, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| e.to_string())?;
        copy(&source, &mut current).map_err(|e| format!("the restore failed: {e}"))?;
        kept = Some(aside);
    } else {
        if let Some(parent) = args.db.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        let source = Connection::open_with_flags(&args.from, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| e.to_string())?;
        let mut target = Connection::open(&args.db).map_err(|e| e.to_string())?;
        copy(&source, &mut target).map_err(|e| format!("the restore failed: {e}"))?;
    }
    // Bring an older backup up to this version's schema.
    crate::db::Db::open(&args.db).map_err(|e: DbError| e.to_string())?;
    Ok(kept)
}

/// Replaces the database with a backup, keeping the current one beside it.
pub fn restore(args: &RestoreArgs) -> ExitCode {
    match run_restore(args) {
        Ok(kept) => {
            println!(
                "restored {} from {}",
                args.db.display(),
                args.from.display()
            );
            if let Some(kept) = kept {
                println!(
                    "the database as it was before is kept at {}",
                    kept.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("restore failed: {message}");
            ExitCode::from(super::EXIT_FAILURE)
        }
    }
}
