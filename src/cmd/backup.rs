//! `acp-workbook backup` and `restore`: a consistent copy of the database, taken while
//! the server keeps running, and the way back from one.

use std::process::ExitCode;

use rusqlite::{Connection, OpenFlags};

use crate::cli::{BackupArgs, RestoreArgs};
use crate::db::DbError;
use crate::db::backup::{check_database, copy};

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
    let checked = copied.and_then(|()| check_database(&args.out).map_err(|e| e.to_string()));
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
    check_database(&args.from).map_err(|e| e.to_string())?;
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
