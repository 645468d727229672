//! Live load benchmark for `acp-workbook serve`.
//!
//! Launches the release server as a child process on a free 127.0.0.1 port with a
//! temporary database, creates sessions and tables over HTTP, opens the live streams
//! (table screens, projectors, one facilitator per session), moves every session to
//! its group-work step and then drives autosaves at a fixed total rate spread over the
//! tables. It measures the time from sending a save until the session's facilitator
//! stream carries that save's `saved` event (matched on table, prompt key and version),
//! the save's own HTTP time, how many events arrived for the acknowledged saves, server
//! memory and CPU, and finally, after killing the server, that every acknowledged save
//! is in the database.
//!
//! ```text
//! cargo build --release                                   # the server it launches
//! cargo bench --bench live_load                           # every shape, 20 s each
//! cargo bench --bench live_load -- --shape worst --seconds 10
//! ```
//!
//! Options after `--`: `--shape meeting|hall|worst|rush` (or `a|b|c|d`; repeat or separate
//! with commas), `--seconds N` (1..=300) and `--rate N` saves per second (1..=1000) for every
//! shape (default: 100/s for 20 s; `rush` 1,000/s for 10 s), `--build`
//! (run `cargo build --release` first even if the server binary exists), `--quiet-wait S`
//! (wait up to S seconds, default 120, for the machine to be idle before each shape; 0: don't),
//! `--db-dir DIR` (where the temporary database goes; `/dev/shm` takes the disk out).
//!
//! The server is started with a random `ACP_ORGANIZER_PASSWORD` so the benchmark can sign
//! in as the organizer to create sessions. Each screen connects from its own loopback
//! address (127.1.x.y), as every device in a hall has its own address and the server limits
//! streams per client address; all traffic stays on the loopback interface.
//!
//! The client is plain tokio TCP with hand-written HTTP/1.1, so thousands of streams
//! cost the client little. Facilitator streams and the saves run on their own thread,
//! the thousands of other streams on another, so the measuring side is not queued
//! behind the load it generates (both still share the machine's cores with the server).

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail, ensure};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

mod http;
mod live;
#[path = "../common/process.rs"]
mod process;
mod report;
mod saves;
mod server;

use http::*;
use live::*;
use report::*;
use saves::*;
use server::*;

/// The bundled curriculum the sessions run.
const CURRICULUM: &str = "decision-support-basics";
/// The index of its group-work step, the one holding [`PROMPT_KEY`], read from the
/// bundled file so adding a step before it does not break the benchmark.
fn group_work_step() -> i64 {
    static STEP: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *STEP.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let library = acp_workbook::content::Library::load(root)
            .unwrap_or_else(|p| panic!("the bundled content has problems: {p:?}"));
        let prompt = PROMPT_KEY.rsplit(':').next().unwrap_or_default();
        library.curricula[CURRICULUM]
            .steps
            .iter()
            .position(|s| s.prompts.iter().any(|p| p.id == prompt))
            .expect("the benchmark's prompt is in the curriculum") as i64
    })
}
/// The free-text prompt of that step that every save answers.
const PROMPT_KEY: &str = "curriculum:decision-support-basics:gw-q-best";
/// The server refuses more than this many saves a second per table (src/server/limit.rs).
const SERVER_TABLE_LIMIT: f64 = 5.0;
/// The device cookie the benchmark's table screens share: the first device to join a
/// table holds it, and every request to a table must come from one of its devices.
const DEVICE: &str = "acp_device=00112233445566778899aabbccddeeff";

/// Setup requests (sessions, joins, rosters, step moves) in flight at once.
const SETUP_WIDTH: usize = 8;
/// Streams being opened at once (until each has its `hello`).
const CONNECT_WIDTH: usize = 64;
/// Clock ticks per second in /proc/<pid>/stat (100 on every Linux this runs on).
const CLOCK_TICKS: f64 = 100.0;

/// How one session of a shape is attended.
#[derive(Debug, Clone, Copy)]
struct SessionPlan {
    /// Tables of the session (the server allows 1..=60).
    tables: u32,
    /// Screens following each table's stream (phones and tablets at one table).
    devices: u32,
    /// Projector screens; every session also has one facilitator stream.
    projectors: u32,
}

/// A load shape: sessions and their screens.
struct Shape {
    name: &'static str,
    about: &'static str,
    sessions: Vec<SessionPlan>,
    /// Saves per second and seconds of saving when the command line does not say
    /// (`None`: [`DEFAULT_RATE`], [`DEFAULT_SECONDS`]).
    load: Option<(u64, u64)>,
}

/// Saves per second when neither the shape nor `--rate` says.
const DEFAULT_RATE: u64 = 100;
/// Seconds of saving when neither the shape nor `--seconds` says.
const DEFAULT_SECONDS: u64 = 20;

impl Shape {
    fn screens(&self) -> usize {
        self.sessions
            .iter()
            .map(|s| (s.tables * s.devices + s.projectors + 1) as usize)
            .sum()
    }

    fn tables(&self) -> usize {
        self.sessions.iter().map(|s| s.tables as usize).sum()
    }
}

fn shapes() -> Vec<Shape> {
    vec![
        Shape {
            name: "meeting",
            about: "(a) one meeting: 30 tables, 4 projectors, 1 facilitator",
            sessions: vec![SessionPlan {
                tables: 30,
                devices: 1,
                projectors: 4,
            }],
            load: None,
        },
        Shape {
            name: "hall",
            // 85 × (30 tables + 1 facilitator) = 2,635 screens; 365 projectors make 3,000.
            about: "(b) 85 meetings of 30 tables + 4–5 projectors + 1 facilitator",
            sessions: (0..85)
                .map(|i| SessionPlan {
                    tables: 30,
                    devices: 1,
                    projectors: if i < 25 { 5 } else { 4 },
                })
                .collect(),
            load: None,
        },
        Shape {
            name: "worst",
            about: "(c) one session: 60 tables × 45 devices, 299 projectors, 1 facilitator",
            sessions: vec![SessionPlan {
                tables: 60,
                devices: 45,
                projectors: 299,
            }],
            load: None,
        },
        Shape {
            name: "rush",
            // 3.3 saves/s per table: every table typing without pause, under the
            // server's limit of 5/s a table, so none may be refused.
            about: "(d) 1,000 saves/s from 300 tables (10 meetings of 30) for 10 s",
            sessions: (0..10)
                .map(|_| SessionPlan {
                    tables: 30,
                    devices: 1,
                    projectors: 1,
                })
                .collect(),
            load: Some((1000, 10)),
        },
    ]
}

/// Command-line options (cargo itself adds `--bench`).
struct Options {
    shapes: Vec<String>,
    /// `--seconds`, for every shape; else each shape's own.
    seconds: Option<u64>,
    /// `--rate`, for every shape; else each shape's own.
    rate: Option<u64>,
    build: bool,
    /// Longest wait for an idle machine before each shape (0: do not wait).
    quiet_wait: u64,
    /// Where the temporary database goes (default: the system's temp folder).
    db_dir: Option<PathBuf>,
}

fn options() -> anyhow::Result<Options> {
    let mut opts = Options {
        shapes: Vec::new(),
        seconds: None,
        rate: None,
        build: false,
        quiet_wait: 120,
        db_dir: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| anyhow!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => {}
            "--build" => opts.build = true,
            "--shape" => opts
                .shapes
                .extend(value("--shape")?.split(',').map(|s| s.trim().to_string())),
            "--seconds" => opts.seconds = Some(value("--seconds")?.parse().context("--seconds")?),
            "--rate" => opts.rate = Some(value("--rate")?.parse().context("--rate")?),
            "--db-dir" => opts.db_dir = Some(value("--db-dir")?.into()),
            "--quiet-wait" => {
                opts.quiet_wait = value("--quiet-wait")?.parse().context("--quiet-wait")?
            }
            other => bail!(
                "unknown option {other}; use --shape meeting|hall|worst|rush, --seconds N, --rate N, --build, --quiet-wait S, --db-dir DIR"
            ),
        }
    }
    ensure!(
        opts.seconds.is_none_or(|s| (1..=300).contains(&s)),
        "--seconds must be 1..=300"
    );
    ensure!(
        opts.rate.is_none_or(|r| (1..=1000).contains(&r)),
        "--rate must be 1..=1000"
    );
    Ok(opts)
}

impl Options {
    /// The saves per second and seconds of saving for `shape`.
    fn load(&self, shape: &Shape) -> (u64, u64) {
        let (rate, seconds) = shape.load.unwrap_or((DEFAULT_RATE, DEFAULT_SECONDS));
        (self.rate.unwrap_or(rate), self.seconds.unwrap_or(seconds))
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("live_load: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let opts = options()?;
    let all = shapes();
    let chosen: Vec<&Shape> = if opts.shapes.is_empty() {
        all.iter().collect()
    } else {
        opts.shapes
            .iter()
            .map(|wanted| {
                let name = match wanted.as_str() {
                    "a" => "meeting",
                    "b" => "hall",
                    "c" => "worst",
                    "d" => "rush",
                    other => other,
                };
                all.iter()
                    .find(|s| s.name == name)
                    .ok_or_else(|| anyhow!("no shape {wanted}; use meeting, hall, worst or rush"))
            })
            .collect::<Result<_, _>>()?
    };
    // Thousands of streams need thousands of sockets on this side too.
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit)
            if (limit as usize) < chosen.iter().map(|s| s.screens()).max().unwrap_or(0) + 256 =>
        {
            bail!("the open-files limit is {limit}: too low for the streams of these shapes")
        }
        Ok(_) => {}
        Err(e) => eprintln!("live_load: could not raise the open-files limit: {e}"),
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let binary = process::server_binary(&root, opts.build)?;
    println!("server: {}", binary.display());

    let mut outcomes = Vec::new();
    for shape in chosen {
        let (rate, seconds) = opts.load(shape);
        println!(
            "\n== {} {} — {} screens, {} sessions; {rate} saves/s for {seconds} s",
            shape.name,
            shape.about,
            shape.screens(),
            shape.sessions.len()
        );
        let per_table = rate as f64 / shape.tables() as f64;
        if per_table > SERVER_TABLE_LIMIT * 0.8 {
            eprintln!(
                "warning: {per_table:.1} saves/s per table is close to the server's limit of {SERVER_TABLE_LIMIT}/s"
            );
        }
        if opts.quiet_wait > 0 {
            wait_for_quiet(Duration::from_secs(opts.quiet_wait));
        }
        let main_rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let load_rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("live-load-streams")
            .enable_all()
            .build()?;
        // Ctrl-C or SIGTERM drops the run, and with it the server child (killed on drop).
        let outcome = main_rt.block_on(async {
            tokio::select! {
                outcome = run_shape(shape, &opts, &root, &binary, load_rt.handle().clone()) => outcome,
                signal = interrupted() => Err(anyhow!("stopped by {signal}")),
            }
        });
        load_rt.shutdown_timeout(Duration::from_secs(2));
        drop(main_rt);
        outcomes.push(outcome?);
    }

    print_results(&outcomes);
    let lost: u64 = outcomes.iter().map(|o| o.db_missing).sum();
    Ok(if lost > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Waits for Ctrl-C or SIGTERM; names the signal.
async fn interrupted() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => tokio::select! {
            _ = tokio::signal::ctrl_c() => "Ctrl-C",
            _ = term.recv() => "SIGTERM",
        },
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

// ---------------------------------------------------------------------------------------
// Waiting, and the run of one shape.

/// Polls `done` every 5 ms until it holds or `limit` has passed; whether it held.
async fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + limit;
    while !done() {
        if Instant::now() >= until {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    true
}

async fn run_shape(
    shape: &Shape,
    opts: &Options,
    root: &Path,
    binary: &Path,
    load: tokio::runtime::Handle,
) -> anyhow::Result<Outcome> {
    let dir = match &opts.db_dir {
        Some(parent) => tempfile::tempdir_in(parent)?,
        None => tempfile::tempdir()?,
    };
    let db_path = dir.path().join("live-load.db");
    let mut server = Server::launch(binary, root, &db_path, &dir.path().join("server.log"))?;
    let addr = server.addr;
    // Table screens are devices (issue 13): one device cookie holds every table here.
    let pool = Arc::new(Pool::with_cookies(addr, &[DEVICE.to_string()]));
    server.wait_ready(&pool).await?;
    // Creating sessions is the organizer's; tables and facilitators use their links.
    let organizer = Arc::new(Pool::with_cookies(addr, &server.sign_in(&pool).await?));
    let pid = server.pid();
    let (rss_before_kb, _) = process::memory(pid);

    // Sessions, over HTTP as an organizer would.
    let started = Instant::now();
    let created: Vec<anyhow::Result<String>> =
        futures_util::stream::iter(shape.sessions.iter().enumerate())
            .map(|(i, plan)| {
                let organizer = organizer.clone();
                async move {
                    let body = format!(
                        "curriculum={CURRICULUM}&title={}&held_on=2026-01-15&place={}&tables={}",
                        form_encode(&format!("Live load {i}")),
                        form_encode("bench"),
                        plan.tables
                    );
                    let to = organizer.post_redirect("/sessions", &body).await?;
                    to.strip_prefix("/f/")
                        .map(str::to_string)
                        .ok_or_else(|| anyhow!("new session went to {to}"))
                }
            })
            .buffered(SETUP_WIDTH)
            .collect()
            .await;
    let facilitator_keys: Vec<String> = created.into_iter().collect::<anyhow::Result<_>>()?;
    // The join code and projector link are on the facilitator page; the database is the
    // stable place to read them while templates change.
    let keys: Vec<(String, String)> = {
        let conn = rusqlite::Connection::open(&db_path)?;
        facilitator_keys
            .iter()
            .map(|key| {
                conn.query_row(
                    "SELECT join_code, projector_key FROM session WHERE facilitator_key = ?1",
                    [key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .with_context(|| format!("session of facilitator key {key}"))
            })
            .collect::<anyhow::Result<_>>()?
    };

    // Every table joins with the code and says who sits there.
    let wanted: Vec<(usize, i64)> = shape
        .sessions
        .iter()
        .enumerate()
        .flat_map(|(s, plan)| (1..=i64::from(plan.tables)).map(move |n| (s, n)))
        .collect();
    let joined: Vec<anyhow::Result<Slot>> = futures_util::stream::iter(wanted)
        .map(|(session, number)| {
            let pool = pool.clone();
            let code = keys[session].0.clone();
            async move {
                let to = pool
                    .post_redirect(
                        "/join",
                        &format!("code={}&table={number}", form_encode(&code)),
                    )
                    .await?;
                let token = to
                    .strip_prefix("/t/")
                    .ok_or_else(|| anyhow!("join went to {to}"))?
                    .to_string();
                pool.post_redirect(
                    &format!("/t/{token}/roster"),
                    "profession=visiting-nurse&profession=care-manager",
                )
                .await?;
                Ok(Slot {
                    session,
                    number,
                    token,
                    version: AtomicI64::new(0),
                    busy: AtomicBool::new(false),
                    acked: AtomicU64::new(0),
                })
            }
        })
        .buffered(SETUP_WIDTH)
        .collect()
        .await;
    let mut slots: Vec<Slot> = joined.into_iter().collect::<anyhow::Result<_>>()?;
    // Saves go round the tables number by number across sessions, spreading the load.
    slots.sort_by_key(|s| (s.number, s.session));
    let slots = Arc::new(slots);
    println!(
        "  {} sessions, {} tables joined in {:.1} s",
        keys.len(),
        slots.len(),
        started.elapsed().as_secs_f64()
    );

    // The live connections: facilitators on this thread with the saves, the rest on the load thread.
    let started = Instant::now();
    let live = Arc::new(Live::default());
    let gate = Arc::new(Semaphore::new(CONNECT_WIDTH));
    let mut streams: Vec<(String, Role, usize)> = Vec::with_capacity(shape.screens());
    for (s, plan) in shape.sessions.iter().enumerate() {
        streams.push((
            format!("/f/{}/events", facilitator_keys[s]),
            Role::Facilitator,
            s,
        ));
        streams.extend(
            (0..plan.projectors).map(|_| (format!("/p/{}/events", keys[s].1), Role::Projector, s)),
        );
    }
    for slot in slots.iter() {
        let devices = shape.sessions[slot.session].devices;
        streams.extend((0..devices).map(|_| {
            (
                format!("/t/{}/events", slot.token),
                Role::Table,
                slot.session,
            )
        }));
    }
    let total = streams.len();
    for (i, (path, role, session)) in streams.into_iter().enumerate() {
        let permit = gate.clone().acquire_owned().await?;
        let screen = Screen {
            path,
            role,
            session,
            source: device_address(i),
        };
        let task = follow(addr, screen, live.clone(), permit);
        if role == Role::Facilitator {
            tokio::spawn(task);
        } else {
            load.spawn(task);
        }
        if live.failed.load(Ordering::Relaxed) > 0 {
            break;
        }
    }
    let all_greeted = wait_until(Duration::from_secs(180), || {
        live.hello.load(Ordering::Relaxed) >= total || live.failed.load(Ordering::Relaxed) > 0
    })
    .await;
    if let Some(error) = live
        .first_error
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
    {
        bail!("a live stream failed: {error}\n{}", server.log_tail());
    }
    ensure!(
        all_greeted,
        "only {} of {total} streams said hello within 180 s",
        live.hello.load(Ordering::Relaxed)
    );
    let (rss_connected_kb, _) = process::memory(pid);
    println!(
        "  {total} streams open in {:.1} s; server RSS {:.1} MB",
        started.elapsed().as_secs_f64(),
        rss_connected_kb as f64 / 1024.0
    );

    // Every session moves to the group-work step; every screen must hear of it.
    let step_sent = Instant::now();
    let moved: Vec<anyhow::Result<String>> = futures_util::stream::iter(facilitator_keys.iter())
        .map(|key| {
            let pool = pool.clone();
            async move {
                pool.post_redirect(
                    &format!("/f/{key}/step"),
                    &format!("to={}", group_work_step()),
                )
                .await
            }
        })
        .buffered(SETUP_WIDTH)
        .collect()
        .await;
    moved.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    let stepped = wait_until(Duration::from_secs(30), || {
        live.step.load(Ordering::Relaxed) >= total
    })
    .await;
    let step_to_all = stepped.then(|| step_sent.elapsed());
    if !stepped {
        eprintln!(
            "warning: only {} of {total} screens saw the step change within 30 s",
            live.step.load(Ordering::Relaxed)
        );
    }

    // The saves: one every 1/rate s, round the tables, never two at once for one table.
    pool.warm(16).await?;
    let saves = Arc::new(Saves::default());
    let (rate, seconds) = opts.load(shape);
    let count = rate * seconds;
    let every = Duration::from_secs_f64(1.0 / rate as f64);
    let client = std::process::id().to_string();
    let (server_cpu0, client_cpu0) = (cpu_time(&pid.to_string()), cpu_time(&client));
    let machine0 = machine_busy();
    let drive_start = Instant::now();
    let mut cursor = 0;
    for i in 0..count {
        tokio::time::sleep_until(tokio::time::Instant::from_std(
            drive_start + every * i as u32,
        ))
        .await;
        let free = (0..slots.len())
            .map(|k| (cursor + k) % slots.len())
            .find(|&k| !slots[k].busy.swap(true, Ordering::AcqRel));
        let Some(index) = free else {
            saves.skipped.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        cursor = (index + 1) % slots.len();
        saves.sent.fetch_add(1, Ordering::Relaxed);
        saves.inflight.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(save(
            pool.clone(),
            live.clone(),
            saves.clone(),
            slots.clone(),
            index,
            i,
        ));
    }
    wait_until(Duration::from_secs(15), || {
        saves.inflight.load(Ordering::Relaxed) == 0
    })
    .await;
    let drive_wall = drive_start.elapsed();
    let (server_cpu, client_cpu) = (
        (cpu_time(&pid.to_string()) - server_cpu0).as_secs_f64() / drive_wall.as_secs_f64(),
        (cpu_time(&client) - client_cpu0).as_secs_f64() / drive_wall.as_secs_f64(),
    );
    // What else ran on the machine meanwhile (a build, another test) makes the numbers noisy.
    let machine = (machine_busy() - machine0).as_secs_f64() / drive_wall.as_secs_f64();
    let other_cpu = (machine - server_cpu - client_cpu).max(0.0);
    // Let the last events arrive.
    wait_until(Duration::from_secs(5), || {
        live.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_empty()
    })
    .await;
    let mut projector_expected = 0;
    let mut table_expected = 0;
    for slot in slots.iter() {
        let plan = shape.sessions[slot.session];
        let acked = slot.acked.load(Ordering::Relaxed);
        projector_expected += acked * u64::from(plan.projectors);
        table_expected += acked * u64::from(plan.devices);
    }
    wait_until(Duration::from_secs(5), || {
        live.projector_saved.load(Ordering::Relaxed) >= projector_expected
            && live.table_saved.load(Ordering::Relaxed) >= table_expected
    })
    .await;
    let (rss_end_kb, hwm_kb) = process::memory(pid);

    // Kill the server (no graceful shutdown): only committed saves can be in the file.
    server.stop();
    let rows: HashMap<String, u64> = {
        let conn = rusqlite::Connection::open(&db_path)?;
        let mut stmt = conn.prepare(
            "SELECT t.token, COUNT(*) FROM conclusion c JOIN session_table t ON t.id = c.table_id
             WHERE c.prompt_key = ?1 GROUP BY t.token",
        )?;
        stmt.query_map([PROMPT_KEY], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?
        .collect::<Result<_, _>>()?
    };
    let db_missing = slots
        .iter()
        .map(|s| {
            s.acked
                .load(Ordering::Relaxed)
                .saturating_sub(rows.get(&s.token).copied().unwrap_or(0))
        })
        .sum();
    if let Some(error) = saves
        .first_error
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
    {
        eprintln!("  first save problem: {error}");
    }

    let timed = std::mem::take(&mut *live.latencies.lock().unwrap_or_else(|p| p.into_inner()));
    let quarter = drive_wall.as_secs_f64() / 4.0;
    let quarters = (0..4)
        .map(|q| {
            let mut part: Vec<Duration> = timed
                .iter()
                .filter(|(sent, _)| {
                    (sent.saturating_duration_since(drive_start).as_secs_f64() / quarter) as usize
                        == q
                })
                .map(|(_, took)| *took)
                .collect();
            part.sort_unstable();
            (percentile(&part, 0.5), percentile(&part, 0.99))
        })
        .collect();
    let mut latency: Vec<Duration> = timed.into_iter().map(|(_, took)| took).collect();
    let mut http = std::mem::take(&mut *saves.http.lock().unwrap_or_else(|p| p.into_inner()));
    latency.sort_unstable();
    http.sort_unstable();
    let load_of = |a: &AtomicU64| a.load(Ordering::Relaxed);
    Ok(Outcome {
        shape: shape.name,
        load: (rate, seconds),
        screens: total,
        sessions: shape.sessions.len(),
        tables: slots.len(),
        sent: load_of(&saves.sent),
        acked: load_of(&saves.acked),
        limited: load_of(&saves.limited),
        conflicts: load_of(&saves.conflicts),
        refused: load_of(&saves.refused) + load_of(&saves.odd_version),
        io_errors: load_of(&saves.io_errors),
        skipped: load_of(&saves.skipped),
        matched: load_of(&live.staff_matched),
        unmatched: load_of(&live.staff_unmatched),
        latency,
        quarters,
        http,
        projector_saved: (load_of(&live.projector_saved), projector_expected),
        table_saved: (load_of(&live.table_saved), table_expected),
        resync: load_of(&live.resync),
        step_to_all,
        rss_before_kb,
        rss_connected_kb,
        rss_end_kb,
        hwm_kb,
        server_cpu,
        client_cpu,
        other_cpu,
        db_rows: rows.values().sum(),
        db_missing,
    })
}
