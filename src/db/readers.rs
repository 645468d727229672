//! The read connections: a small pool of `query_only` connections to the database file.
//!
//! In WAL mode a reader never waits for the writer, and sees everything committed before
//! its read transaction began, so a page rendered after a save's acknowledgement shows it.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};

use rusqlite::Connection;
use tokio::sync::Semaphore;

use super::DbError;

/// The pool; cheap to clone.
#[derive(Clone)]
pub(super) struct Readers {
    inner: Arc<Pool>,
}

struct Pool {
    /// The connections not in use right now.
    free: Mutex<Vec<Connection>>,
    /// Signalled whenever a connection goes back to `free`.
    returned: Condvar,
    /// One permit per connection, so async callers wait here (not on a blocking thread).
    permits: Semaphore,
}

impl Readers {
    /// Opens `count` read connections to the (already migrated) database at `path`.
    pub(super) fn open(path: &Path, count: usize) -> Result<Self, DbError> {
        let mut free = Vec::with_capacity(count);
        for _ in 0..count {
            let conn = Connection::open(path)?;
            conn.pragma_update(None, "query_only", "ON")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            free.push(conn);
        }
        Ok(Self {
            inner: Arc::new(Pool {
                free: Mutex::new(free),
                returned: Condvar::new(),
                permits: Semaphore::new(count),
            }),
        })
    }

    /// Runs `f` on a free connection on a blocking thread.
    pub(super) async fn read<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, DbError> + Send + 'static,
    {
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|e| DbError::Task(e.to_string()))?;
        let readers = self.clone();
        tokio::task::spawn_blocking(move || readers.read_blocking(f))
            .await
            .map_err(|e| DbError::Task(e.to_string()))?
    }

    /// Runs `f` on a free connection on this thread, waiting for one if all are busy.
    pub(super) fn read_blocking<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let conn = {
            // A panic while the list is locked leaves it a valid list: keep using it.
            let mut free = self.inner.free.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                if let Some(conn) = free.pop() {
                    break conn;
                }
                free = self
                    .inner
                    .returned
                    .wait(free)
                    .unwrap_or_else(|p| p.into_inner());
            }
        };
        let back = Back {
            pool: &self.inner,
            conn: Some(conn),
        };
        let conn = back
            .conn
            .as_ref()
            .ok_or_else(|| DbError::Task("no connection".into()))?;
        in_read_transaction(conn, f)
    }
}

/// Puts a connection back into the pool when the read ends, also by a panic.
struct Back<'a> {
    pool: &'a Pool,
    conn: Option<Connection>,
}

impl Drop for Back<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // A read cut short by a panic may have left its transaction open.
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            self.pool
                .free
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(conn);
            self.pool.returned.notify_one();
        }
    }
}

/// Runs `f` in one read transaction on `conn`: every query in it sees the same moment.
pub(super) fn in_read_transaction<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<T, DbError>,
) -> Result<T, DbError> {
    conn.execute_batch("BEGIN")?;
    let out = f(conn);
    if let Err(e) = conn.execute_batch("COMMIT") {
        let _ = conn.execute_batch("ROLLBACK");
        out?;
        return Err(e.into());
    }
    out
}
