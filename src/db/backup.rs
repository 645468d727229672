//! Whole-database operations for `backup` and `restore`: an online copy and the check
//! that a file is a database this version can open.

use std::path::{Path, PathBuf};
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

/// Why a file is not a database this version can open; each says which file and what
/// to do.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// SQLite could not open the file at all.
    #[error("{} cannot be opened as a database: {source}", path.display())]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The file opened but is not SQLite (an integrity check cannot even run).
    #[error("{} is not a SQLite database: {source}", path.display())]
    NotSqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// `PRAGMA integrity_check` found damage; `report` is its first line.
    #[error("{} is damaged: {report}", path.display())]
    Damaged { path: PathBuf, report: String },
    /// A SQLite file of some other program.
    #[error("{} is not an acp-workbook database (it has no sessions table)", path.display())]
    NotOurs { path: PathBuf },
    /// Written by a later version with migrations this build does not have.
    #[error(
        "{} was written by a newer acp-workbook (schema {version}, this one knows {known}); upgrade acp-workbook first",
        path.display()
    )]
    Newer {
        path: PathBuf,
        version: i64,
        known: i64,
    },
}

/// Checks that a file is an acp-workbook database this version can open.
pub fn check_database(path: &Path) -> Result<(), CheckError> {
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|source| {
            CheckError::Open {
                path: path.to_path_buf(),
                source,
            }
        })?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|source| CheckError::NotSqlite {
            path: path.to_path_buf(),
            source,
        })?;
    if integrity != "ok" {
        return Err(CheckError::Damaged {
            path: path.to_path_buf(),
            report: integrity,
        });
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
        return Err(CheckError::NotOurs {
            path: path.to_path_buf(),
        });
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap_or(0);
    let known = i64::try_from(migration_count()).unwrap_or(i64::MAX);
    if version > known {
        return Err(CheckError::Newer {
            path: path.to_path_buf(),
            version,
            known,
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_wrong_file_is_named() {
        let dir = tempfile::tempdir().expect("dir");
        let text = dir.path().join("notes.txt");
        std::fs::write(
            &text,
            "this is a text file, not a database, and longer than a header",
        )
        .expect("write");
        assert!(matches!(
            check_database(&text),
            Err(CheckError::NotSqlite { .. })
        ));

        let other = dir.path().join("other.sqlite");
        Connection::open(&other)
            .and_then(|c| c.execute_batch("CREATE TABLE t (x)"))
            .expect("other db");
        let e = check_database(&other).expect_err("not ours");
        assert!(matches!(e, CheckError::NotOurs { .. }), "{e}");
        assert!(e.to_string().contains("other.sqlite"), "{e}");

        let newer = dir.path().join("newer.sqlite");
        crate::db::Db::open(&newer).expect("ours");
        let known = i64::try_from(migration_count()).expect("count");
        Connection::open(&newer)
            .and_then(|c| c.pragma_update(None, "user_version", known + 1))
            .expect("bump version");
        match check_database(&newer) {
            Err(CheckError::Newer {
                version, known: k, ..
            }) => {
                assert_eq!((version, k), (known + 1, known));
            }
            other => panic!("expected Newer, got {other:?}"),
        }
        Connection::open(&newer)
            .and_then(|c| c.pragma_update(None, "user_version", known))
            .expect("version back");
        check_database(&newer).expect("a database of this version checks");
    }
}
