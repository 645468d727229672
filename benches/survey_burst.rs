//! Survey burst benchmark: a hall of phones sends the closing survey at once.
//!
//! Launches the release server (`target/release/acp-workbook`, rebuilt if stale) on a
//! free 127.0.0.1 port with a temporary database, creates a 30-table session of the
//! bundled 90-minute programme, moves it to its closing survey, opens the facilitator's
//! live stream, and then lets `--phones N` phones (default 215) each open the phone page
//! (which gives them their id) and send the survey, all released at the same instant
//! from `--clients C` threads (default 64). It measures each send's HTTP time, the whole
//! burst's duration, how many `survey` events reached the facilitator, the server's
//! memory, and afterwards that every acknowledged answer is in the database.
//!
//! ```text
//! cargo bench --bench survey_burst
//! cargo bench --bench survey_burst -- --phones 1000 --clients 128
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, ensure};

#[path = "common/process.rs"]
mod process;

/// The bundled programme and the id of its closing survey step.
const CURRICULUM: &str = "decision-support-basics";
const SURVEY_STEP: &str = "survey";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("survey_burst: {e:#}");
            ExitCode::FAILURE
        }
    }
}

struct Options {
    phones: usize,
    clients: usize,
}

fn options() -> anyhow::Result<Options> {
    let mut opts = Options {
        phones: 215,
        clients: 64,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |max: usize| -> anyhow::Result<usize> {
            let value = args.next().ok_or_else(|| anyhow!("{arg} needs a number"))?;
            value
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| anyhow!("{arg} {value}: give a number from 1 to {max}"))
        };
        match arg.as_str() {
            "--phones" => opts.phones = number(5000)?,
            "--clients" => opts.clients = number(512)?,
            // `cargo bench` passes `--bench`; ignore what is not ours.
            _ => {}
        }
    }
    Ok(opts)
}

fn run() -> anyhow::Result<()> {
    let opts = options()?;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let library = acp_workbook::content::Library::load(&root)
        .map_err(|p| anyhow!("the bundled content has problems: {p:?}"))?;
    let curriculum = &library.curricula[CURRICULUM];
    let (step, survey) = curriculum
        .steps
        .iter()
        .enumerate()
        .find(|(_, s)| s.id == SURVEY_STEP)
        .ok_or_else(|| anyhow!("{CURRICULUM} has no step {SURVEY_STEP}"))?;
    let binary = process::server_binary(&root, true)?;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("burst.sqlite");
    let server = Server::launch(&binary, &root, &db)?;
    let base = format!("http://{}", server.addr);

    // The organizer creates the session; the facilitator moves it to the survey.
    let agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .new_agent();
    let signin = agent
        .post(&format!("{base}/signin"))
        .send_form([("secret", server.password.as_str())])?;
    let cookie = header(&signin, "set-cookie")
        .and_then(|c| c.split(';').next().map(str::to_string))
        .ok_or_else(|| anyhow!("no sign-in cookie"))?;
    let created = agent
        .post(&format!("{base}/sessions"))
        .header("Cookie", &cookie)
        .send_form([
            ("curriculum", CURRICULUM),
            ("title", "survey burst"),
            ("held_on", "2026-12-05"),
            ("tables", "30"),
        ])?;
    let facilitator = header(&created, "location").ok_or_else(|| anyhow!("no session"))?;
    let moved = agent
        .post(&format!("{base}{facilitator}/step"))
        .send_form([("to", step.to_string().as_str())])?;
    ensure!(
        moved.status().as_u16() == 303,
        "could not move to the survey"
    );
    let mut page = agent.get(&format!("{base}{facilitator}")).call()?;
    let html = page.body_mut().read_to_string()?;
    let code = between(&html, "class=\"join-code\">", "<").ok_or_else(|| anyhow!("no code"))?;

    // The facilitator's live stream, counting `survey` events.
    let events = Arc::new(AtomicUsize::new(0));
    let _stream = listen(
        server.addr,
        &format!("{facilitator}/events"),
        events.clone(),
    )?;

    // Each phone opens its page (and gets its id) before the burst.
    let form: Vec<(String, String)> = survey
        .prompts
        .iter()
        .filter_map(|q| match &q.kind {
            acp_workbook::content::PromptKind::Scale { max, .. } => {
                Some((q.id.clone(), max.to_string()))
            }
            acp_workbook::content::PromptKind::Choice { options, .. } => {
                Some((q.id.clone(), options.first()?.clone()))
            }
            acp_workbook::content::PromptKind::Text { .. } => {
                Some((q.id.clone(), "他職種の視点が参考になりました。".into()))
            }
            _ => None,
        })
        .collect();
    let phones: Vec<String> = (0..opts.phones)
        .map(|_| {
            let response = agent.get(&format!("{base}/a/{code}")).call()?;
            header(&response, "set-cookie")
                .and_then(|c| c.split(';').next().map(str::to_string))
                .ok_or_else(|| anyhow!("the phone page gave no id"))
        })
        .collect::<anyhow::Result<_>>()?;
    let rss_before = process::memory(server.child.id()).0;

    let queue = Arc::new(Mutex::new(phones));
    let times = Arc::new(Mutex::new(Vec::with_capacity(opts.phones)));
    let failures = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(opts.clients + 1));
    let path = format!("{base}/a/{code}/survey/{step}");
    let workers: Vec<_> = (0..opts.clients)
        .map(|_| {
            let (queue, times, failures, start) = (
                queue.clone(),
                times.clone(),
                failures.clone(),
                start.clone(),
            );
            let (path, form) = (path.clone(), form.clone());
            let agent = agent.clone();
            std::thread::spawn(move || {
                start.wait();
                loop {
                    let Some(cookie) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let sent = Instant::now();
                    let status = agent
                        .post(&path)
                        .header("Cookie", &cookie)
                        .header("Origin", path.split("/a/").next().unwrap_or_default())
                        .send_form(form.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                        .map(|r| r.status().as_u16());
                    let took = sent.elapsed();
                    match status {
                        Ok(303) => times.lock().unwrap().push(took),
                        _ => {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    start.wait();
    let burst = Instant::now();
    for worker in workers {
        worker
            .join()
            .map_err(|_| anyhow!("a client thread panicked"))?;
    }
    let burst = burst.elapsed();
    // Let the last events arrive.
    let settle = Instant::now();
    while events.load(Ordering::Relaxed) < opts.phones && settle.elapsed() < Duration::from_secs(5)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let rss_after = process::memory(server.child.id()).0;
    drop(server);

    let mut times = Arc::try_unwrap(times)
        .map_err(|_| anyhow!("times still shared"))?
        .into_inner()
        .map_err(|_| anyhow!("times poisoned"))?;
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q) as usize)
            .copied()
            .unwrap_or_default()
    };
    let stored = {
        let conn = rusqlite::Connection::open(&db)?;
        conn.query_row(
            "SELECT count(*) FROM survey_response WHERE step_index = ?1",
            [step as i64],
            |r| r.get::<_, i64>(0),
        )?
    };
    println!(
        "survey burst: {} phones from {} clients, {} questions each",
        opts.phones,
        opts.clients,
        form.len()
    );
    println!(
        "  acknowledged {} (failed {}) in {:.0} ms: {:.0} answers/s",
        times.len(),
        failures.load(Ordering::Relaxed),
        ms(burst),
        times.len() as f64 / burst.as_secs_f64()
    );
    println!(
        "  send HTTP p50 / p99 / max: {:.1} / {:.1} / {:.1} ms",
        ms(pick(0.5)),
        ms(pick(0.99)),
        ms(times.last().copied().unwrap_or_default())
    );
    println!(
        "  facilitator `survey` events: {}",
        events.load(Ordering::Relaxed)
    );
    println!(
        "  server RSS before / after: {} / {} MB",
        rss_before / 1024,
        rss_after / 1024
    );
    println!("  answers in the database: {stored} of {}", times.len());
    ensure!(
        stored as usize == times.len(),
        "acknowledged answers are missing from the database"
    );
    Ok(())
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let to = from + text[from..].find(end)?;
    Some(text[from..to].trim().to_string())
}

/// Reads an SSE stream on its own thread, counting `survey` events.
fn listen(
    addr: SocketAddr,
    path: &str,
    count: Arc<AtomicUsize>,
) -> anyhow::Result<std::thread::JoinHandle<()>> {
    let mut stream = TcpStream::connect(addr)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )?;
    let reader = BufReader::new(stream);
    Ok(std::thread::spawn(move || {
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if line.trim_end() == "event: survey" {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
    }))
}

/// The server child process; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    password: String,
}

impl Server {
    fn launch(binary: &Path, root: &Path, db: &Path) -> anyhow::Result<Self> {
        let addr = process::free_addr()?;
        let password = process::fresh_password("survey-burst");
        let child = process::serve_command(binary, root, db, addr, &password)
            // Every simulated phone sends from 127.0.0.1, where a real room's phones each
            // have their own address: lift the per-address answer limit (20) for the burst.
            .env("ACP_SURVEY_ANSWERS_PER_ADDRESS", "100000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting the server")?;
        let server = Self {
            child,
            addr,
            password,
        };
        let start = Instant::now();
        loop {
            if let Ok(mut s) = TcpStream::connect(addr) {
                let _ = write!(
                    s,
                    "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                );
                let mut reply = String::new();
                if s.read_to_string(&mut reply).is_ok() && reply.contains("200") {
                    return Ok(server);
                }
            }
            ensure!(
                start.elapsed() < Duration::from_secs(20),
                "the server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
