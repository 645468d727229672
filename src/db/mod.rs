//! Provides access to the SQLite database: one file, WAL, foreign keys on, migrations embedded.
//!
//! Queries are plain functions over `&Connection`, one file per kind of row; [`Db`] runs
//! them: writes on one writer thread that commits what is queued in one transaction
//! (each caller answered only after that commit), reads on a small pool of read
//! connections. Functions that need their own all-or-nothing step use
//! `conn.savepoint()`, never `conn.transaction()`: the writer already holds a transaction.

pub mod backup;
mod checkpoint;
pub mod conclusions;
pub mod devices;
pub mod events;
pub mod exchange;
mod readers;
pub mod roster;
pub mod sessions;
pub mod signin;
pub mod survey;
pub mod tables;
pub mod themes;
pub mod timers;
mod types;
mod writer;

pub use types::{Actor, EventKind, Pace, SessionStatus, TimerState};

use std::path::Path;
use std::sync::{Arc, LazyLock};

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

/// Every migration, in order. Never edit or remove one that has shipped: add a new one.
pub static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_init.sql")),
        M::up(include_str!("migrations/0002_live.sql")),
        M::up(include_str!("migrations/0003_auth.sql")),
        M::up(include_str!("migrations/0004_roster.sql")),
        M::up(include_str!("migrations/0005_purge.sql")),
        M::up(include_str!("migrations/0006_survey.sql")),
        M::up(include_str!("migrations/0007_limits.sql")),
        M::up(include_str!("migrations/0008_devices.sql")),
        M::up(include_str!("migrations/0009_theme_moves.sql")),
    ])
});

/// Errors from opening or migrating the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite refused an operation.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The folder for the database file could not be made.
    #[error("cannot create the folder for the database file {path}: {source}")]
    Folder {
        /// The folder that could not be made.
        path: String,
        /// The operating system's reason (permission, a file in the way…).
        source: std::io::Error,
    },
    /// The blocking task panicked or was cancelled, or the writer thread has stopped.
    #[error("database task failed: {0}")]
    Task(String),
    /// The work itself succeeded but its group's COMMIT failed, so none of it is stored.
    #[error("the change was not stored (the commit failed: {0}); try again")]
    Commit(String),
    /// A stored value could not be read back (a JSON column that does not parse).
    #[error("stored data cannot be read: {0}")]
    Data(String),
}

/// The database handle shared by all handlers; cheap to clone.
///
/// Writes go to one writer thread (`db/writer.rs`) that owns the only write connection and
/// commits whatever is queued in one transaction; reads go to a small pool of
/// `query_only` connections (`db/readers.rs`), so a page or a stream never waits behind an
/// `fsync`. An in-memory database cannot be shared between connections: there the
/// writer's connection serves the reads too, outside its transactions.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    writer: writer::Writer,
    /// `None` for an in-memory database (reads go through the writer).
    readers: Option<readers::Readers>,
    /// `None` for an in-memory database, which has no log. Declared last, so it stops
    /// (with a last checkpoint) after the writer has committed its queue.
    _checkpointer: Option<checkpoint::Checkpointer>,
}

impl Db {
    /// Opens (creating if missing) the database file and applies migrations.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
        let conn = Self::setup(Connection::open(path)?)?;
        // The checkpoint thread copies the log back; the writer only if it falls behind.
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::WRITER_SAFETY_PAGES)?;
        let writer = writer::Writer::start(conn)?;
        // Opened after the migrations, so every reader sees the current schema.
        let readers = readers::Readers::open(path, READERS)?;
        let checkpointer = checkpoint::Checkpointer::start(path)?;
        Ok(Self {
            inner: Arc::new(Inner {
                writer,
                readers: Some(readers),
                _checkpointer: Some(checkpointer),
            }),
        })
    }

    /// An empty in-memory database, for tests.
    pub fn open_in_memory() -> Result<Self, DbError> {
        let writer = writer::Writer::start(Self::setup(Connection::open_in_memory()?)?)?;
        Ok(Self {
            inner: Arc::new(Inner {
                writer,
                readers: None,
                _checkpointer: None,
            }),
        })
    }

    fn setup(mut conn: Connection) -> Result<Connection, DbError> {
        // WAL lets readers go on while a save commits; FULL makes every acknowledged
        // save survive a power cut (it costs ~0.15 ms a commit on this hardware).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        MIGRATIONS.to_latest(&mut conn)?;
        Ok(conn)
    }

    /// Runs `f` on the writer thread inside the current group's transaction and waits,
    /// without blocking the runtime, until that transaction has committed. An `Err` from
    /// `f` (or a panic) undoes only what `f` did. Use it for anything that changes rows.
    pub async fn write<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.inner.writer.send(true, f, move |out| {
            let _ = tx.send(out);
        })?;
        rx.await.map_err(|_| writer::stopped())?
    }

    /// [`Db::write`] for code without a runtime (CLI, tests, benches): blocks this thread
    /// until the commit.
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.inner.writer.send(true, f, move |out| {
            let _ = tx.send(out);
        })?;
        rx.recv().map_err(|_| writer::stopped())?
    }

    /// Runs `f` on a read connection, in one read transaction (a consistent picture even
    /// while saves commit), on a blocking thread. It sees every write whose `write` has
    /// returned. The connection is `query_only`: a statement that changes rows fails.
    pub async fn read<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, DbError> + Send + 'static,
    {
        match &self.inner.readers {
            Some(readers) => readers.read(f).await,
            None => {
                let (tx, rx) = tokio::sync::oneshot::channel();
                self.inner.writer.send(
                    false,
                    move |conn: &mut Connection| {
                        // Refused writes, as on a read connection, so tests catch a
                        // write sent to `read`.
                        conn.pragma_update(None, "query_only", "ON")?;
                        readers::in_read_transaction(conn, f)
                    },
                    move |out| {
                        let _ = tx.send(out);
                    },
                )?;
                rx.await.map_err(|_| writer::stopped())?
            }
        }
    }

    /// [`Db::read`] on the current thread (CLI, tests, benches).
    pub fn read_blocking<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, DbError> + Send + 'static,
    {
        match &self.inner.readers {
            Some(readers) => readers.read_blocking(f),
            None => {
                let (tx, rx) = std::sync::mpsc::sync_channel(1);
                self.inner.writer.send(
                    false,
                    move |conn: &mut Connection| {
                        // Refused writes, as on a read connection, so tests catch a
                        // write sent to `read`.
                        conn.pragma_update(None, "query_only", "ON")?;
                        readers::in_read_transaction(conn, f)
                    },
                    move |out| {
                        let _ = tx.send(out);
                    },
                )?;
                rx.recv().map_err(|_| writer::stopped())?
            }
        }
    }
}

/// Read connections of a database file: enough for pages, streams and reports to run
/// beside each other on two cores, few enough to keep their page caches small.
const READERS: usize = 4;

/// Takes the lock that marks a database file as in use by one server (or one restore).
/// Held for as long as the returned file lives; the lock file sits beside the database.
pub fn lock_file(db: &Path) -> Result<std::fs::File, String> {
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let path = db.with_extension("lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "the database {} is in use by a running acp-workbook server; stop it first (Ctrl-C)",
            db.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    fn file_db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = Db::open(&dir.path().join("test.sqlite")).expect("the database opens");
        db.write_blocking(|conn| Ok(conn.execute_batch("CREATE TABLE t (x INTEGER)")?))
            .expect("the table is made");
        (dir, db)
    }

    fn rows(db: &Db) -> Vec<i64> {
        db.read_blocking(|conn| {
            let mut stmt = conn.prepare("SELECT x FROM t ORDER BY x")?;
            let xs = stmt
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(xs)
        })
        .expect("the rows read")
    }

    /// Queues a job that holds the writer until `go` gets a message, so what is queued
    /// meanwhile forms one group.
    fn hold_writer(db: &Db) -> mpsc::Sender<()> {
        let (go, wait) = mpsc::channel::<()>();
        db.inner
            .writer
            .send(
                true,
                move |_: &mut Connection| {
                    let _ = wait.recv();
                    Ok(())
                },
                |_: Result<(), DbError>| {},
            )
            .expect("queued");
        go
    }

    #[test]
    fn a_failing_job_in_a_group_does_not_undo_the_others() {
        let (_dir, db) = file_db();
        let go = hold_writer(&db);
        let (done, answers) = mpsc::channel::<(i64, Result<(), DbError>)>();
        for x in 1..=4_i64 {
            let done = done.clone();
            db.inner
                .writer
                .send(
                    true,
                    move |conn: &mut Connection| {
                        conn.execute("INSERT INTO t (x) VALUES (?1)", [x])?;
                        match x {
                            2 => Err(DbError::Data("refused on purpose".into())),
                            3 => panic!("job 3 panics on purpose"),
                            _ => Ok(()),
                        }
                    },
                    move |out| {
                        let _ = done.send((x, out));
                    },
                )
                .expect("queued");
        }
        go.send(()).expect("the writer waits");
        let mut got: Vec<(i64, Result<(), DbError>)> = (0..4)
            .map(|_| {
                answers
                    .recv_timeout(Duration::from_secs(10))
                    .expect("an answer")
            })
            .collect();
        got.sort_by_key(|(x, _)| *x);
        assert!(got[0].1.is_ok() && got[3].1.is_ok(), "{got:?}");
        assert!(matches!(got[1].1, Err(DbError::Data(_))), "{got:?}");
        assert!(matches!(got[2].1, Err(DbError::Task(_))), "{got:?}");
        assert_eq!(rows(&db), vec![1, 4]);
        // The writer survived the panic.
        db.write_blocking(|conn| Ok(conn.execute("INSERT INTO t (x) VALUES (5)", [])?))
            .expect("the writer still writes");
        assert_eq!(rows(&db), vec![1, 4, 5]);
    }

    #[test]
    fn a_job_is_answered_only_after_its_group_commits() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("test.sqlite");
        let db = Db::open(&path).expect("the database opens");
        db.write_blocking(|conn| Ok(conn.execute_batch("CREATE TABLE t (x INTEGER)")?))
            .expect("the table is made");
        let go = hold_writer(&db);
        let (seen, answer) = mpsc::channel::<i64>();
        let outside = path.clone();
        db.inner
            .writer
            .send(
                true,
                |conn: &mut Connection| Ok(conn.execute("INSERT INTO t (x) VALUES (1)", [])?),
                move |out: Result<usize, DbError>| {
                    // Another connection must already see the row when the answer comes.
                    let count = out
                        .and_then(|_| {
                            Ok(Connection::open(&outside)?.query_row(
                                "SELECT count(*) FROM t",
                                [],
                                |r| r.get::<_, i64>(0),
                            )?)
                        })
                        .unwrap_or(i64::MAX);
                    let _ = seen.send(count);
                },
            )
            .expect("queued");
        // A later job of the same group keeps the transaction open.
        let (release, held) = mpsc::channel::<()>();
        db.inner
            .writer
            .send(
                true,
                move |_: &mut Connection| {
                    let _ = held.recv();
                    Ok(())
                },
                |_: Result<(), DbError>| {},
            )
            .expect("queued");
        go.send(()).expect("the writer waits");
        assert!(
            answer.recv_timeout(Duration::from_millis(300)).is_err(),
            "answered before the commit"
        );
        release.send(()).expect("the job waits");
        assert_eq!(answer.recv_timeout(Duration::from_secs(10)), Ok(1));
        // And through the API: once write() returned, a reader sees the row.
        db.write_blocking(|conn| Ok(conn.execute("INSERT INTO t (x) VALUES (2)", [])?))
            .expect("written");
        assert_eq!(rows(&db), vec![1, 2]);
    }

    #[test]
    fn reads_refuse_writes_also_in_memory() {
        let db = Db::open_in_memory().expect("the database opens");
        let tried = db.read_blocking(|conn| Ok(conn.execute_batch("CREATE TABLE t (x INTEGER)")?));
        assert!(tried.is_err());
        db.write_blocking(|conn| Ok(conn.execute_batch("CREATE TABLE t (x INTEGER)")?))
            .expect("the writer still writes after a read");
    }
}
