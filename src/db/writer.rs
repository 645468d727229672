//! The writer thread: owns the one write connection and commits queued work in groups.
//!
//! Each turn takes everything queued (up to [`GROUP`] jobs), opens one `BEGIN IMMEDIATE`,
//! runs every job inside its own `SAVEPOINT` (released when the job returns `Ok`, rolled
//! back when it returns `Err` or panics, so one failing job never undoes another), and
//! commits once. Only then is each job answered: an acknowledged save is on disk. With
//! `synchronous=FULL` one commit costs ~0.15 ms, so grouping is what keeps a burst of
//! saves from queueing behind each other's `fsync`.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::Connection;

use super::DbError;

/// Most jobs committed together: enough to absorb a burst, few enough that the first
/// job of a group does not wait long for the last.
const GROUP: usize = 64;

/// One piece of queued work with the way to answer its caller.
trait Job: Send {
    /// Whether it runs inside the group transaction (a write) or alone, outside any
    /// transaction (a read of an in-memory database, which has no read connections).
    fn grouped(&self) -> bool;
    /// Runs the work; `true` if it returned `Ok`.
    fn run(&mut self, conn: &mut Connection) -> bool;
    /// Answers the caller (also a job that never ran); `failed` is why the group's
    /// transaction did not commit.
    fn answer(self: Box<Self>, failed: Option<&str>);
}

struct Work<T, F, R> {
    grouped: bool,
    work: Option<F>,
    out: Option<Result<T, DbError>>,
    reply: R,
}

impl<T, F, R> Job for Work<T, F, R>
where
    T: Send,
    F: FnOnce(&mut Connection) -> Result<T, DbError> + Send,
    R: FnOnce(Result<T, DbError>) + Send,
{
    fn grouped(&self) -> bool {
        self.grouped
    }

    fn run(&mut self, conn: &mut Connection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        // A panic must not take the writer (and every later save) down with it.
        let out = match catch_unwind(AssertUnwindSafe(|| work(conn))) {
            Ok(out) => out,
            Err(panic) => Err(DbError::Task(format!(
                "a database job panicked: {}",
                panic_text(panic.as_ref())
            ))),
        };
        let ok = out.is_ok();
        self.out = Some(out);
        ok
    }

    fn answer(self: Box<Self>, failed: Option<&str>) {
        let this = *self;
        let out = match (this.out, failed) {
            (Some(Ok(_)), Some(why)) => Err(DbError::Commit(why.to_string())),
            (Some(out), _) => out,
            (None, Some(why)) => Err(DbError::Commit(why.to_string())),
            (None, None) => Err(DbError::Task("the database job never ran".into())),
        };
        (this.reply)(out);
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_string()
    }
}

/// The error a caller gets when the writer thread is gone.
pub(super) fn stopped() -> DbError {
    DbError::Task("the database writer has stopped; restart the server".into())
}

/// The handle to the writer thread; dropping it lets the thread finish the queue and
/// close the connection, and waits for that.
pub(super) struct Writer {
    queue: Option<mpsc::Sender<Box<dyn Job>>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts the thread that owns `conn` from now on.
    pub(super) fn start(conn: Connection) -> Result<Self, DbError> {
        let (queue, jobs) = mpsc::channel::<Box<dyn Job>>();
        let thread = std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || run(conn, jobs))
            .map_err(|e| DbError::Task(format!("cannot start the database writer: {e}")))?;
        Ok(Self {
            queue: Some(queue),
            thread: Some(thread),
        })
    }

    /// Queues `work`; `reply` gets its result once it is committed (or has failed).
    pub(super) fn send<T, F, R>(&self, grouped: bool, work: F, reply: R) -> Result<(), DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
        R: FnOnce(Result<T, DbError>) + Send + 'static,
    {
        let job = Box::new(Work {
            grouped,
            work: Some(work),
            out: None,
            reply,
        });
        self.queue
            .as_ref()
            .ok_or_else(stopped)?
            .send(job)
            .map_err(|_| stopped())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.queue.take();
        if let Some(thread) = self.thread.take()
            // The last handle may be dropped by a job on the writer itself.
            && thread.thread().id() != std::thread::current().id()
        {
            let _ = thread.join();
        }
    }
}

/// The writer thread's loop: until every handle is gone, take what is queued and run it.
fn run(mut conn: Connection, jobs: mpsc::Receiver<Box<dyn Job>>) {
    let mut queued: VecDeque<Box<dyn Job>> = VecDeque::new();
    loop {
        if queued.is_empty() {
            match jobs.recv() {
                Ok(job) => queued.push_back(job),
                Err(_) => return,
            }
        }
        while queued.len() < GROUP {
            match jobs.try_recv() {
                Ok(job) => queued.push_back(job),
                Err(_) => break,
            }
        }
        let Some(first) = queued.pop_front() else {
            continue;
        };
        if !first.grouped() {
            let mut job = first;
            job.run(&mut conn);
            // A read that panicked may have left its transaction open or writes refused.
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            let _ = conn.pragma_update(None, "query_only", "OFF");
            job.answer(None);
            continue;
        }
        // The group: this job and the writes queued right behind it, up to the cap.
        let mut group = vec![first];
        while group.len() < GROUP && queued.front().is_some_and(|j| j.grouped()) {
            if let Some(job) = queued.pop_front() {
                group.push(job);
            }
        }
        let rest = commit_group(&mut conn, group);
        // Jobs a broken transaction left unrun go first in the next turn.
        for job in rest.into_iter().rev() {
            queued.push_front(job);
        }
    }
}

/// Runs `group` in one transaction and answers every job after the commit. Returns the
/// jobs it did not run because SQLite itself abandoned the transaction midway.
fn commit_group(conn: &mut Connection, group: Vec<Box<dyn Job>>) -> Vec<Box<dyn Job>> {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        let why = format!("cannot begin a transaction: {e}");
        for job in group {
            job.answer(Some(&why));
        }
        return Vec::new();
    }
    let mut done: Vec<Box<dyn Job>> = Vec::with_capacity(group.len());
    let mut jobs = group.into_iter();
    let mut aborted: Option<String> = None;
    for mut job in jobs.by_ref() {
        if let Err(e) = conn.execute_batch("SAVEPOINT acp_job") {
            aborted = Some(format!("cannot open a savepoint: {e}"));
            done.push(job);
            break;
        }
        let ok = job.run(conn);
        let step = if ok {
            conn.execute_batch("RELEASE acp_job")
        } else {
            conn.execute_batch("ROLLBACK TO acp_job; RELEASE acp_job")
        };
        done.push(job);
        if let Err(e) = step {
            aborted = Some(format!("cannot end a savepoint: {e}"));
            break;
        }
        if conn.is_autocommit() {
            // SQLite rolled the whole transaction back (disk full, I/O error).
            aborted = Some("SQLite rolled the transaction back".into());
            break;
        }
    }
    let rest: Vec<Box<dyn Job>> = jobs.collect();
    let failed = match aborted {
        Some(why) => {
            let _ = conn.execute_batch("ROLLBACK");
            Some(why)
        }
        None => match conn.execute_batch("COMMIT") {
            Ok(()) => None,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Some(e.to_string())
            }
        },
    };
    for job in done {
        job.answer(failed.as_deref());
    }
    rest
}
