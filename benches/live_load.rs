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
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, anyhow, bail, ensure};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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
    let binary = server_binary(&root, opts.build)?;
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

/// The release server binary next to this benchmark (`target/release/acp-workbook`),
/// built first when missing or when asked.
fn server_binary(root: &Path, build: bool) -> anyhow::Result<PathBuf> {
    // This executable is target/release/deps/live_load-<hash>.
    let release = std::env::current_exe()?
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("target/release"));
    let binary = release.join("acp-workbook");
    if build || !binary.exists() {
        println!("building the release server (cargo build --release --bin acp-workbook)…");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--release", "--bin", "acp-workbook"])
            .current_dir(root)
            .status()
            .context("running cargo build --release")?;
        ensure!(status.success(), "cargo build --release failed");
    }
    ensure!(
        binary.exists(),
        "{} is missing: run cargo build --release",
        binary.display()
    );
    let built = std::fs::metadata(&binary)?.modified()?;
    let newest = ["src", "templates"]
        .iter()
        .filter_map(|dir| newest_file(&root.join(dir)))
        .max();
    if newest.is_some_and(|newest| newest > built) {
        eprintln!(
            "warning: src/ or templates/ changed after {} was built; run with --build to measure the current code",
            binary.display()
        );
    }
    Ok(binary)
}

fn newest_file(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let time = if path.is_dir() {
            newest_file(&path)
        } else {
            entry.metadata().ok().and_then(|m| m.modified().ok())
        };
        newest = newest.max(time);
    }
    newest
}

/// The server child process; killed when dropped, whatever happened.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
    /// The organizer password the server was started with.
    password: String,
}

impl Server {
    fn launch(binary: &Path, root: &Path, db: &Path, log: &Path) -> anyhow::Result<Self> {
        // A free port: bind, note it, let go (the server binds with SO_REUSEADDR).
        let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let password = format!("live-load-{nanos}");
        let child = Command::new(binary)
            .arg("serve")
            .arg("--addr")
            .arg(addr.to_string())
            .arg("--db")
            .arg(db)
            .arg("--content")
            .arg(root)
            .env("ACP_LOG", "acp_workbook=warn")
            .env("ACP_ORGANIZER_PASSWORD", &password)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log)?)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        Ok(Self {
            child,
            addr,
            log: log.to_path_buf(),
            password,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    async fn wait_ready(&mut self, pool: &Pool) -> anyhow::Result<()> {
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the server exited ({status}) before it was ready:\n{}",
                    self.log_tail()
                );
            }
            if let Ok(reply) = pool.get("/healthz").await
                && reply.status == 200
            {
                return Ok(());
            }
            ensure!(
                Instant::now() < until,
                "the server did not answer /healthz within 30 s:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Signs in as the organizer; the cookies to send (none for a server without sign-in).
    async fn sign_in(&self, pool: &Pool) -> anyhow::Result<Vec<String>> {
        let body = format!("secret={}", form_encode(&self.password));
        let reply = pool.post("/signin", &body, false).await?;
        match reply.status {
            303 if !reply.cookies.is_empty() => Ok(reply.cookies),
            404 | 405 => Ok(Vec::new()),
            status => {
                // Creating sessions will say whether the server insists.
                eprintln!("  warning: organizer sign-in answered {status}; going on without it");
                Ok(Vec::new())
            }
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

// ---------------------------------------------------------------------------------------
// Hand-written HTTP/1.1 over tokio's TcpStream (readiness + try_read/try_write, which
// need no extra tokio features).

async fn write_all(stream: &TcpStream, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        stream.writable().await?;
        match stream.try_write(buf) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => buf = &buf[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Appends what the socket has (waiting for at least one byte); `Ok(0)` at its end.
async fn read_more(stream: &TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
    loop {
        stream.readable().await?;
        // Declared after the await so it is not kept in every idle stream's future.
        let mut chunk = [0u8; 8192];
        match stream.try_read(&mut chunk) {
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return Ok(n);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn bad(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// Reads until the end of the response head; returns its length.
async fn read_head(stream: &TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
    loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            return Ok(i + 4);
        }
        if buf.len() > 64 * 1024 {
            return Err(bad("response head over 64 KB"));
        }
        if read_more(stream, buf).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
}

/// What the client needs from a response head.
struct Head {
    status: u16,
    length: Option<usize>,
    chunked: bool,
    close: bool,
    location: Option<String>,
    /// `name=value` of each `Set-Cookie`.
    cookies: Vec<String>,
}

fn parse_head(head: &[u8]) -> io::Result<Head> {
    let text = std::str::from_utf8(head).map_err(|_| bad("response head is not UTF-8"))?;
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| bad("no status line"))?;
    let mut head = Head {
        status,
        length: None,
        chunked: false,
        close: false,
        location: None,
        cookies: Vec::new(),
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => head.length = value.parse().ok(),
            "transfer-encoding" => head.chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => head.close = value.eq_ignore_ascii_case("close"),
            "location" => head.location = Some(value.to_string()),
            "set-cookie" => head
                .cookies
                .extend(value.split(';').next().map(|c| c.trim().to_string())),
            _ => {}
        }
    }
    Ok(head)
}

/// Incremental decoder of a chunked body: feed `raw`, take the payload out.
#[derive(Default)]
struct Chunked {
    raw: Vec<u8>,
    state: ChunkState,
}

#[derive(Default, Clone, Copy)]
enum ChunkState {
    #[default]
    Size,
    Data(usize),
    DataEnd,
    Done,
}

impl Chunked {
    /// Moves every complete piece of payload from `raw` to `out`; true at the last chunk.
    fn decode(&mut self, out: &mut Vec<u8>) -> io::Result<bool> {
        let mut at = 0;
        let done = loop {
            let rest = &self.raw[at..];
            match self.state {
                ChunkState::Size => {
                    let Some(end) = find(rest, b"\r\n") else {
                        break false;
                    };
                    let line = std::str::from_utf8(&rest[..end]).map_err(|_| bad("chunk size"))?;
                    let hex = line.split(';').next().unwrap_or("").trim();
                    let size = usize::from_str_radix(hex, 16)
                        .map_err(|_| bad(format!("chunk size {hex:?}")))?;
                    at += end + 2;
                    self.state = if size == 0 {
                        ChunkState::Done
                    } else {
                        ChunkState::Data(size)
                    };
                }
                ChunkState::Data(left) => {
                    if rest.is_empty() {
                        break false;
                    }
                    let n = left.min(rest.len());
                    out.extend_from_slice(&rest[..n]);
                    at += n;
                    self.state = if n == left {
                        ChunkState::DataEnd
                    } else {
                        ChunkState::Data(left - n)
                    };
                }
                ChunkState::DataEnd => {
                    if rest.len() < 2 {
                        break false;
                    }
                    at += 2;
                    self.state = ChunkState::Size;
                }
                ChunkState::Done => break true,
            }
        };
        self.raw.drain(..at);
        Ok(done)
    }
}

/// A response read whole.
struct Reply {
    status: u16,
    location: Option<String>,
    cookies: Vec<String>,
    body: Vec<u8>,
}

/// Sends one request and reads its response; the flag says whether the connection may be reused.
async fn exchange(stream: &TcpStream, request: &[u8]) -> io::Result<(Reply, bool)> {
    write_all(stream, request).await?;
    let mut buf = Vec::new();
    let head_end = read_head(stream, &mut buf).await?;
    let head = parse_head(&buf[..head_end])?;
    let mut body = buf.split_off(head_end);
    let mut keep = !head.close;
    if head.chunked {
        let mut chunks = Chunked {
            raw: body,
            state: ChunkState::Size,
        };
        let mut out = Vec::new();
        while !chunks.decode(&mut out)? {
            if read_more(stream, &mut chunks.raw).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        body = out;
    } else if let Some(length) = head.length {
        while body.len() < length {
            if read_more(stream, &mut body).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        body.truncate(length);
    } else {
        while read_more(stream, &mut body).await? > 0 {}
        keep = false;
    }
    Ok((
        Reply {
            status: head.status,
            location: head.location,
            cookies: head.cookies,
            body,
        },
        keep,
    ))
}

/// Keep-alive connections for plain requests.
struct Pool {
    addr: SocketAddr,
    idle: Mutex<Vec<TcpStream>>,
    /// A `Cookie` header line sent with every request (the organizer's sign-in).
    cookie: String,
}

impl Pool {
    fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            idle: Mutex::new(Vec::new()),
            cookie: String::new(),
        }
    }

    /// A pool whose requests carry `cookies`.
    fn with_cookies(addr: SocketAddr, cookies: &[String]) -> Self {
        let cookie = if cookies.is_empty() {
            String::new()
        } else {
            format!("Cookie: {}\r\n", cookies.join("; "))
        };
        Self {
            cookie,
            ..Self::new(addr)
        }
    }

    async fn connect(&self) -> io::Result<TcpStream> {
        let stream = TcpStream::connect(self.addr).await?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    /// Opens `n` connections ahead, so measured saves do not pay for a handshake.
    async fn warm(&self, n: usize) -> io::Result<()> {
        for _ in 0..n {
            let stream = self.connect().await?;
            self.idle
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(stream);
        }
        Ok(())
    }

    async fn request(&self, request: &[u8]) -> io::Result<Reply> {
        let mut attempt = 0;
        loop {
            // A retry takes a fresh connection: the next kept one may be as stale as the
            // last (the server closes a connection idle for its header timeout, 10 s).
            let pooled = if attempt == 0 {
                self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop()
            } else {
                None
            };
            let reused = pooled.is_some();
            let stream = match pooled {
                Some(stream) => stream,
                None => self.connect().await?,
            };
            match exchange(&stream, request).await {
                Ok((reply, keep)) => {
                    if keep {
                        self.idle
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(stream);
                    }
                    return Ok(reply);
                }
                // A kept connection the server had closed: try once on a fresh one. Saves
                // are safe to repeat (the same text on the same base is not a new version).
                Err(_) if reused && attempt == 0 => attempt += 1,
                Err(e) => return Err(e),
            }
        }
    }

    async fn get(&self, path: &str) -> io::Result<Reply> {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n{}\r\n",
            self.addr, self.cookie
        );
        self.request(request.as_bytes()).await
    }

    async fn post(&self, path: &str, body: &str, json: bool) -> io::Result<Reply> {
        let accept = if json {
            "application/json"
        } else {
            "text/html"
        };
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\n{}Content-Type: application/x-www-form-urlencoded\r\nAccept: {accept}\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            self.cookie,
            body.len()
        );
        self.request(request.as_bytes()).await
    }

    /// Posts a form that must answer 303; returns where it points.
    async fn post_redirect(&self, path: &str, body: &str) -> anyhow::Result<String> {
        let reply = self
            .post(path, body, false)
            .await
            .with_context(|| format!("POST {path}"))?;
        ensure!(
            reply.status == 303,
            "POST {path}: status {} (wanted 303): {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
                .chars()
                .take(300)
                .collect::<String>()
        );
        reply
            .location
            .ok_or_else(|| anyhow!("POST {path}: 303 without Location"))
    }
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Server-Sent Events.

/// Splits a stream of bytes into SSE events (`event:` and `data:` lines, blank line ends one).
#[derive(Default)]
struct SseParser {
    pending: Vec<u8>,
    name: String,
    data: String,
}

impl SseParser {
    fn push(&mut self, bytes: &[u8], mut on_event: impl FnMut(&str, &str)) {
        self.pending.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(offset) = self.pending[start..].iter().position(|&b| b == b'\n') {
            let end = start + offset;
            let line = &self.pending[start..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                if !self.name.is_empty() || !self.data.is_empty() {
                    let name = if self.name.is_empty() {
                        "message"
                    } else {
                        self.name.as_str()
                    };
                    on_event(name, &self.data);
                }
                self.name.clear();
                self.data.clear();
            } else if line[0] != b':' {
                let (field, value) = match line.iter().position(|&b| b == b':') {
                    Some(i) => (
                        &line[..i],
                        line[i + 1..].strip_prefix(b" ").unwrap_or(&line[i + 1..]),
                    ),
                    None => (line, &b""[..]),
                };
                let value = String::from_utf8_lossy(value);
                match field {
                    b"event" => {
                        self.name.clear();
                        self.name.push_str(&value);
                    }
                    b"data" => {
                        if !self.data.is_empty() {
                            self.data.push('\n');
                        }
                        self.data.push_str(&value);
                    }
                    _ => {}
                }
            }
            start = end + 1;
        }
        self.pending.drain(..start);
    }
}

/// Which screen a stream stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Facilitator,
    Projector,
    Table,
}

/// The staff `saved` event's data (its rendered `html` is not needed here).
#[derive(Deserialize)]
struct SavedEvent {
    table: i64,
    key: String,
    version: i64,
}

/// What every stream reports.
#[derive(Default)]
struct Live {
    hello: AtomicUsize,
    step: AtomicUsize,
    failed: AtomicUsize,
    resync: AtomicU64,
    projector_saved: AtomicU64,
    table_saved: AtomicU64,
    staff_matched: AtomicU64,
    staff_unmatched: AtomicU64,
    /// Saves sent and not yet seen by their facilitator: (session, table, version) → sent at.
    pending: Mutex<HashMap<(usize, i64, i64), Instant>>,
    /// Save → facilitator event times, with when the save was sent.
    latencies: Mutex<Vec<(Instant, Duration)>>,
    first_error: Mutex<Option<String>>,
}

impl Live {
    fn fail(&self, what: String) {
        self.failed.fetch_add(1, Ordering::Relaxed);
        self.first_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(what);
    }

    fn on_event(&self, role: Role, session: usize, name: &str, data: &str, at: Instant) {
        match name {
            "hello" => {
                self.hello.fetch_add(1, Ordering::Relaxed);
            }
            "step" => {
                self.step.fetch_add(1, Ordering::Relaxed);
            }
            "resync" => {
                self.resync.fetch_add(1, Ordering::Relaxed);
            }
            "saved" => match role {
                Role::Facilitator => {
                    let sent = serde_json::from_str::<SavedEvent>(data)
                        .ok()
                        .filter(|e| e.key == PROMPT_KEY)
                        .and_then(|e| {
                            self.pending
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .remove(&(session, e.table, e.version))
                        });
                    match sent {
                        Some(sent) => {
                            self.staff_matched.fetch_add(1, Ordering::Relaxed);
                            let took = at.saturating_duration_since(sent);
                            self.latencies
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .push((sent, took));
                        }
                        None => {
                            self.staff_unmatched.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                Role::Projector => {
                    self.projector_saved.fetch_add(1, Ordering::Relaxed);
                }
                Role::Table => {
                    self.table_saved.fetch_add(1, Ordering::Relaxed);
                }
            },
            _ => {}
        }
    }
}

/// One screen's live stream.
struct Screen {
    path: String,
    role: Role,
    session: usize,
    /// The device's own address: the server allows a few dozen streams per client
    /// address, and in a hall every device has its own. All of 127.0.0.0/8 is loopback.
    source: Ipv4Addr,
}

/// A loopback address per device: 127.1.0.1, 127.1.0.2, … (250 per third octet).
fn device_address(i: usize) -> Ipv4Addr {
    Ipv4Addr::new(
        127,
        1 + (i / 62_500) as u8,
        ((i / 250) % 250) as u8,
        (i % 250 + 1) as u8,
    )
}

/// Follows one live stream until the server ends it; the permit is let go at `hello`.
async fn follow(addr: SocketAddr, screen: Screen, live: Arc<Live>, permit: OwnedSemaphorePermit) {
    if let Err(e) = follow_stream(addr, &screen, &live, permit).await {
        live.fail(format!("{} from {}: {e}", screen.path, screen.source));
    }
}

async fn follow_stream(
    addr: SocketAddr,
    screen: &Screen,
    live: &Live,
    permit: OwnedSemaphorePermit,
) -> io::Result<()> {
    let Screen {
        path,
        role,
        session,
        source,
    } = screen;
    let (role, session) = (*role, *session);
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((*source, 0)))?;
    let stream = socket.connect(addr).await?;
    stream.set_nodelay(true)?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\nCookie: {DEVICE}\r\n\r\n"
    );
    write_all(&stream, request.as_bytes()).await?;
    let mut buf = Vec::new();
    let head_end = read_head(&stream, &mut buf).await?;
    let head = parse_head(&buf[..head_end])?;
    if head.status != 200 || !head.chunked {
        return Err(bad(format!(
            "status {} (chunked: {})",
            head.status, head.chunked
        )));
    }
    let mut chunks = Chunked {
        raw: buf.split_off(head_end),
        state: ChunkState::Size,
    };
    let mut sse = SseParser::default();
    let mut payload = Vec::new();
    let mut permit = Some(permit);
    let mut at = Instant::now();
    loop {
        payload.clear();
        let done = chunks.decode(&mut payload)?;
        let mut greeted = false;
        sse.push(&payload, |name, data| {
            greeted |= name == "hello";
            live.on_event(role, session, name, data, at);
        });
        if greeted {
            permit.take();
        }
        if done || read_more(&stream, &mut chunks.raw).await? == 0 {
            return Ok(());
        }
        at = Instant::now();
    }
}

// ---------------------------------------------------------------------------------------
// The run of one shape.

/// A table that saves.
struct Slot {
    session: usize,
    number: i64,
    token: String,
    version: AtomicI64,
    busy: AtomicBool,
    acked: AtomicU64,
}

/// What the saves report.
#[derive(Default)]
struct Saves {
    sent: AtomicU64,
    acked: AtomicU64,
    limited: AtomicU64,
    conflicts: AtomicU64,
    refused: AtomicU64,
    io_errors: AtomicU64,
    /// Acknowledged with another version than base + 1.
    odd_version: AtomicU64,
    /// Due while every table still had a save in flight.
    skipped: AtomicU64,
    inflight: AtomicUsize,
    http: Mutex<Vec<Duration>>,
    first_error: Mutex<Option<String>>,
}

#[derive(Deserialize)]
struct SaveReply {
    version: i64,
}

/// A realistic autosave text (~300 characters), different for every save.
fn answer_text(i: u64, table: i64) -> String {
    format!(
        "第{i}稿（テーブル{table}）: フミさんの人生にとっての最善は、好きなものを口から味わう時間を守ることだと考えた。\
         医学的な見通し（嚥下機能の低下と誤嚥性肺炎のくり返し）、本人が元気なころに語った「管につながれてまで生きたくない」という言葉、\
         長女の「少しでも長く生きてほしい」という思いを分けて整理し、期間を決めた試行と再度の話し合いをチームとして提案する。\
         訪問看護師は食事場面を観察し、ケアマネジャーは家族の負担を確かめ、主治医は見通しを説明する。save {i}"
    )
}

async fn save(
    pool: Arc<Pool>,
    live: Arc<Live>,
    saves: Arc<Saves>,
    slots: Arc<Vec<Slot>>,
    index: usize,
    i: u64,
) {
    let slot = &slots[index];
    let base = slot.version.load(Ordering::Relaxed);
    let expected = base + 1;
    let body = format!(
        "prompt={}&base={base}&text={}",
        form_encode(PROMPT_KEY),
        form_encode(&answer_text(i, slot.number))
    );
    let path = format!("/t/{}/answer", slot.token);
    let key = (slot.session, slot.number, expected);
    let sent = Instant::now();
    live.pending
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, sent);
    let result = pool.post(&path, &body, true).await;
    let took = sent.elapsed();
    let forget = || {
        live.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key);
    };
    let note = |what: String| {
        saves
            .first_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(what);
    };
    match result {
        Ok(reply) if reply.status == 200 => {
            match serde_json::from_slice::<SaveReply>(&reply.body) {
                Ok(saved) => {
                    saves.acked.fetch_add(1, Ordering::Relaxed);
                    slot.acked.fetch_add(1, Ordering::Relaxed);
                    saves
                        .http
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(took);
                    if saved.version != expected {
                        saves.odd_version.fetch_add(1, Ordering::Relaxed);
                        forget();
                    }
                    slot.version.store(saved.version, Ordering::Relaxed);
                }
                Err(e) => {
                    saves.refused.fetch_add(1, Ordering::Relaxed);
                    note(format!("save reply is not the expected JSON: {e}"));
                    forget();
                }
            }
        }
        Ok(reply) => {
            forget();
            let counter = match reply.status {
                429 => &saves.limited,
                409 => &saves.conflicts,
                _ => &saves.refused,
            };
            counter.fetch_add(1, Ordering::Relaxed);
            note(format!(
                "save refused: {} {}",
                reply.status,
                String::from_utf8_lossy(&reply.body)
                    .chars()
                    .take(200)
                    .collect::<String>()
            ));
            // A conflict names the current version: continue from there.
            if let Ok(current) = serde_json::from_slice::<SaveReply>(&reply.body) {
                slot.version.store(current.version, Ordering::Relaxed);
            }
        }
        Err(e) => {
            forget();
            saves.io_errors.fetch_add(1, Ordering::Relaxed);
            note(format!("save failed: {e}"));
        }
    }
    slot.busy.store(false, Ordering::Release);
    saves.inflight.fetch_sub(1, Ordering::Relaxed);
}

/// Memory of a process from /proc/<pid>/status, in KB: (VmRSS, VmHWM).
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time of a process (user + system) from /proc/<pid>/stat.
fn cpu_time(pid: &str) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_secs_f64((ticks(11) + ticks(12)) as f64 / CLOCK_TICKS)
}

/// CPU time the whole machine spent busy (all cores), from /proc/stat.
fn machine_busy() -> Duration {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
    let total: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    Duration::from_secs_f64(total.saturating_sub(idle) as f64 / CLOCK_TICKS)
}

/// Waits (up to `limit`) until the machine has been nearly idle for three seconds in a row,
/// so a build running beside the benchmark does not end up in its numbers.
fn wait_for_quiet(limit: Duration) {
    let until = Instant::now() + limit;
    let mut quiet = 0;
    let mut told = false;
    while quiet < 3 {
        let before = machine_busy();
        std::thread::sleep(Duration::from_secs(1));
        let busy = (machine_busy() - before).as_secs_f64();
        quiet = if busy < 0.25 { quiet + 1 } else { 0 };
        if quiet == 0 && Instant::now() >= until {
            eprintln!("  warning: the machine is still busy ({busy:.1} cores); measuring anyway");
            return;
        }
        if quiet == 0 && !told {
            println!("  waiting for the machine to quiet down (it is using {busy:.1} cores)…");
            told = true;
        }
    }
}

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

/// Everything measured for one shape.
struct Outcome {
    shape: &'static str,
    /// Saves per second driven, and for how many seconds.
    load: (u64, u64),
    screens: usize,
    sessions: usize,
    tables: usize,
    sent: u64,
    acked: u64,
    limited: u64,
    conflicts: u64,
    refused: u64,
    io_errors: u64,
    skipped: u64,
    matched: u64,
    unmatched: u64,
    latency: Vec<Duration>,
    /// Save → event p50 and p99 for each quarter of the run, to tell a steady state from a queue.
    quarters: Vec<(Option<Duration>, Option<Duration>)>,
    http: Vec<Duration>,
    projector_saved: (u64, u64),
    table_saved: (u64, u64),
    resync: u64,
    step_to_all: Option<Duration>,
    rss_before_kb: u64,
    rss_connected_kb: u64,
    rss_end_kb: u64,
    hwm_kb: u64,
    server_cpu: f64,
    client_cpu: f64,
    other_cpu: f64,
    db_rows: u64,
    db_missing: u64,
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
    let (rss_before_kb, _) = memory(pid);

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
    let (rss_connected_kb, _) = memory(pid);
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
    let (rss_end_kb, hwm_kb) = memory(pid);

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

// ---------------------------------------------------------------------------------------
// Report.

fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    let n = sorted.len();
    (n > 0).then(|| sorted[((p * n as f64).ceil() as usize).clamp(1, n) - 1])
}

fn ms(d: Option<Duration>) -> String {
    match d {
        Some(d) => {
            let ms = d.as_secs_f64() * 1000.0;
            if ms < 10.0 {
                format!("{ms:.2}")
            } else {
                format!("{ms:.0}")
            }
        }
        None => "–".to_string(),
    }
}

fn mb(kb: u64) -> String {
    format!("{:.0}", kb as f64 / 1024.0)
}

fn print_results(outcomes: &[Outcome]) {
    println!("\n### Live load\n");
    println!(
        "| shape | saves/s × s | screens (sessions, tables) | saves sent / acked | facilitator `saved` events for them | save → event p50 / p99 / max (ms) | save HTTP p50 / p99 (ms) | server RSS idle / all connected / end, peak (MB) | server CPU | acked saves in DB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for o in outcomes {
        println!(
            "| {} | {} × {} | {} ({}, {}) | {} / {} | {} | {} / {} / {} | {} / {} | {} / {} / {}, {} | {:.0} % | {} of {} |",
            o.shape,
            o.load.0,
            o.load.1,
            o.screens,
            o.sessions,
            o.tables,
            o.sent,
            o.acked,
            o.matched,
            ms(percentile(&o.latency, 0.5)),
            ms(percentile(&o.latency, 0.99)),
            ms(o.latency.last().copied()),
            ms(percentile(&o.http, 0.5)),
            ms(percentile(&o.http, 0.99)),
            mb(o.rss_before_kb),
            mb(o.rss_connected_kb),
            mb(o.rss_end_kb),
            mb(o.hwm_kb),
            o.server_cpu * 100.0,
            o.acked - o.db_missing.min(o.acked),
            o.acked,
        );
    }
    println!(
        "\n| shape | projector `saved` got / expected | table-screen `saved` got / expected | `resync` | step change → every screen | refused 429 / 409 / other, I/O errors, skipped | unmatched events | client CPU / other CPU on the machine | DB rows |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for o in outcomes {
        println!(
            "| {} | {} / {} | {} / {} | {} | {} ms | {} / {} / {}, {}, {} | {} | {:.0} % / {:.0} % | {} |",
            o.shape,
            o.projector_saved.0,
            o.projector_saved.1,
            o.table_saved.0,
            o.table_saved.1,
            o.resync,
            ms(o.step_to_all),
            o.limited,
            o.conflicts,
            o.refused,
            o.io_errors,
            o.skipped,
            o.unmatched,
            o.client_cpu * 100.0,
            o.other_cpu * 100.0,
            o.db_rows,
        );
    }

    println!("\nSave → event p50 / p99 (ms) by quarter of the run:");
    for o in outcomes {
        let parts: Vec<String> = o
            .quarters
            .iter()
            .map(|(p50, p99)| format!("{} / {}", ms(*p50), ms(*p99)))
            .collect();
        println!("  {}: {}", o.shape, parts.join(" · "));
    }

    println!("\nTargets:");
    let check =
        |ok: bool, what: String| println!("  [{}] {what}", if ok { "ok" } else { "MISSED" });
    for o in outcomes {
        let p99 = percentile(&o.latency, 0.99);
        let p99_ms = p99.map_or(f64::INFINITY, |d| d.as_secs_f64() * 1000.0);
        // The targets of issue 14, on this 2-core machine with nothing else running.
        match o.shape {
            "hall" => check(
                p99_ms < 5.0,
                format!("hall: save → event p99 {} ms < 5 ms", ms(p99)),
            ),
            "worst" => check(
                p99_ms < 30.0,
                format!("worst: save → event p99 {} ms < 30 ms", ms(p99)),
            ),
            "rush" => check(
                o.acked == o.sent
                    && o.sent == o.load.0 * o.load.1
                    && o.limited + o.conflicts + o.refused + o.io_errors + o.skipped == 0,
                format!(
                    "rush: {} of {} saves sent and acknowledged, none refused, failed or skipped",
                    o.acked,
                    o.load.0 * o.load.1
                ),
            ),
            _ => {}
        }
        if o.screens >= 3000 {
            let rss = o.rss_end_kb.max(o.rss_connected_kb);
            check(
                rss < 100 * 1024 && o.hwm_kb < 120 * 1024,
                format!(
                    "{}: RSS {} MB < 100 MB at {} connections, peak {} MB < 120 MB",
                    o.shape,
                    mb(rss),
                    o.screens,
                    mb(o.hwm_kb)
                ),
            );
        }
        check(
            o.matched == o.acked,
            format!(
                "{}: a facilitator event for every acknowledged save ({} of {})",
                o.shape, o.matched, o.acked
            ),
        );
        check(
            o.db_missing == 0,
            format!(
                "{}: every acknowledged save in the database ({} missing)",
                o.shape, o.db_missing
            ),
        );
    }
}
