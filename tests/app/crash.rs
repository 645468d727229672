//! Crash safety: concurrent saves, the server killed with SIGKILL mid-stream, and every
//! save it acknowledged still there after a restart; online backup and restore of a
//! live session.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::server::{Server, agent, free_port};

/// The device cookie of the test's table screens: one browser holds every table here.
const DEVICE: &str = "acp_device=0123456789abcdef0123456789abcdef";

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content")
}

/// Creates a session with `tables` tables at the group-work step; returns the table URLs.
fn prepared_session(server: &Server, tables: usize) -> (String, Vec<String>) {
    let response = agent()
        .post(&format!("{}/sessions", server.url()))
        .header("Cookie", &server.organizer_cookie())
        .send_form([
            ("curriculum", "mini"),
            ("title", "耐障害試験"),
            ("held_on", "2026-11-30"),
            ("place", ""),
            ("tables", &tables.to_string()),
        ])
        .expect("create");
    let facilitator = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_string();
    let mut page = agent()
        .get(&format!("{}{facilitator}", server.url()))
        .call()
        .expect("page");
    let html = page.body_mut().read_to_string().expect("html");
    let code = html
        .split("class=\"join-code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("code")
        .to_string();
    let mut urls = Vec::new();
    for n in 1..=tables {
        let joined = agent()
            .post(&format!("{}/join", server.url()))
            .header("Cookie", DEVICE)
            .send_form([("code", code.as_str()), ("table", &n.to_string())])
            .expect("join");
        let table = joined.headers()["location"]
            .to_str()
            .expect("ascii")
            .to_string();
        agent()
            .post(&format!("{}{table}/roster", server.url()))
            .header("Cookie", DEVICE)
            .send_form([("profession", "citizen")])
            .expect("roster");
        urls.push(format!("{}{table}", server.url()));
    }
    agent()
        .post(&format!("{}{facilitator}/step", server.url()))
        .send_form([("to", "2")])
        .expect("step");
    (facilitator, urls)
}

/// Saves as fast as the table is allowed until the server stops answering; returns
/// every (text, version) the server acknowledged, also counted in `acked` as they come.
fn save_until_gone(table: String, stop: Instant, acked: &AtomicUsize) -> Vec<(String, i64)> {
    let mut acknowledged = Vec::new();
    let mut base = 0;
    let mut n = 0;
    let token = table.rsplit('/').next().unwrap_or_default().to_string();
    while Instant::now() < stop {
        n += 1;
        let text = format!("{token} 版{n}");
        let sent = agent()
            .post(&format!("{table}/answer"))
            .header("Accept", "application/json")
            .header("Cookie", DEVICE)
            .send_form([
                ("prompt", "curriculum:mini:q-wish"),
                ("base", &base.to_string()),
                ("text", &text),
            ]);
        match sent {
            Ok(mut response) if response.status() == 200 => {
                let reply: serde_json::Value = response.body_mut().read_json().expect("json");
                base = reply["version"].as_i64().expect("version");
                acknowledged.push((text, base));
                acked.fetch_add(1, Ordering::Relaxed);
            }
            Ok(response) if response.status() == 429 => {
                std::thread::sleep(Duration::from_millis(100))
            }
            Ok(mut response) if response.status() == 409 => {
                // Someone saved first: carry on from the stored version, as the page would after merging.
                let reply: serde_json::Value = response.body_mut().read_json().expect("json");
                base = reply["version"].as_i64().expect("version");
            }
            Ok(response) => panic!("unexpected status {}", response.status()),
            Err(_) => break, // the server is gone
        }
    }
    acknowledged
}

#[test]
fn every_acknowledged_save_survives_sigkill() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("db.sqlite");
    let mut server = Server::start(free_port(), &db, &fixtures());
    let (_, tables) = prepared_session(&server, 8);
    let stop = Instant::now() + Duration::from_secs(20);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let acked = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = tables
        .iter()
        .cloned()
        .map(|table| {
            let acknowledged = acknowledged.clone();
            let acked = acked.clone();
            std::thread::spawn(move || {
                let acks = save_until_gone(table.clone(), stop, &acked);
                acknowledged
                    .lock()
                    .expect("lock")
                    .extend(acks.into_iter().map(|(text, v)| (table.clone(), text, v)));
            })
        })
        .collect();
    // Mid-stream: after 1.5 s of saves, and (on a loaded machine) not before 20 of them.
    let earliest = Instant::now() + Duration::from_millis(1500);
    while (Instant::now() < earliest || acked.load(Ordering::Relaxed) < 20)
        && Instant::now() < stop - Duration::from_secs(2)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill(); // SIGKILL
    for worker in workers {
        worker.join().expect("worker");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() >= 20,
        "the test made enough saves: {}",
        acknowledged.len()
    );

    let conn = rusqlite::Connection::open(&db).expect("db");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(integrity, "ok");
    for (table, text, version) in &acknowledged {
        let token = table.rsplit('/').next().expect("token");
        let stored: Option<String> = conn
            .query_row(
                "SELECT c.answer FROM conclusion c JOIN session_table t ON t.id = c.table_id
                 WHERE t.token = ?1 AND c.version = ?2 AND c.prompt_key = 'curriculum:mini:q-wish'",
                rusqlite::params![token, version],
                |r| r.get(0),
            )
            .ok();
        let stored =
            stored.unwrap_or_else(|| panic!("acknowledged save lost: {text} (version {version})"));
        assert!(
            stored.contains(text.as_str()),
            "version {version} holds {stored}, not {text}"
        );
    }
    drop(conn);
    // The server comes back on the same file and serves the last acknowledged answers.
    server.restart();
    let (table, text, _) = acknowledged.iter().max_by_key(|(_, _, v)| *v).expect("one");
    let mut page = agent()
        .get(table)
        .header("Cookie", DEVICE)
        .call()
        .expect("table page");
    let html = page.body_mut().read_to_string().expect("html");
    let latest_for_table = acknowledged
        .iter()
        .filter(|(t, _, _)| t == table)
        .max_by_key(|(_, _, v)| *v)
        .expect("latest");
    assert!(
        html.contains(&latest_for_table.1),
        "{text} not shown after restart"
    );
}

#[test]
fn backup_while_serving_and_restore_round_trip() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("live.sqlite");
    let server = Server::start(free_port(), &db, &fixtures());
    let (_, tables) = prepared_session(&server, 3);
    for (i, table) in tables.iter().enumerate() {
        let response = agent()
            .post(&format!("{table}/answer"))
            .header("Accept", "application/json")
            .header("Cookie", DEVICE)
            .send_form([
                ("prompt", "curriculum:mini:q-wish"),
                ("base", "0"),
                ("text", &format!("バックアップ前の答え{i}")),
            ])
            .expect("save");
        assert_eq!(response.status(), 200);
    }
    // Saves keep coming while the backup runs.
    let busy_table = tables[0].clone();
    let writer = std::thread::spawn(move || {
        save_until_gone(
            busy_table,
            Instant::now() + Duration::from_millis(1500),
            &AtomicUsize::new(0),
        )
    });
    let backup = dir.path().join("nightly.sqlite");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
        .args(["backup", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&backup)
        .output()
        .expect("backup runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    writer.join().expect("writer");
    // A second backup to the same file is refused rather than overwriting it.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
        .args(["backup", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&backup)
        .output()
        .expect("backup runs");
    assert!(
        !again.status.success()
            && String::from_utf8_lossy(&again.stderr).contains("already exists")
    );

    // Restoring under a running server is refused; after stopping it, it works.
    let restored = dir.path().join("restored/acp.sqlite");
    let restore = |target: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
            .args(["restore", "--from"])
            .arg(&backup)
            .arg("--db")
            .arg(target)
            .output()
            .expect("restore runs")
    };
    let busy = restore(&db);
    assert!(
        !busy.status.success() && String::from_utf8_lossy(&busy.stderr).contains("stop it first"),
        "{}",
        String::from_utf8_lossy(&busy.stderr)
    );
    let out = restore(&restored);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(&restored).expect("restored db");
    let answers: i64 = conn
        .query_row(
            "SELECT count(*) FROM conclusion WHERE answer LIKE '%バックアップ前の答え%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert!(
        answers >= 2,
        "the restored copy holds the session's answers ({answers})"
    );
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(integrity, "ok");
    drop(server);
    // A file that is not a database is refused with a clear message.
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not a database").expect("junk");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
        .args(["restore", "--from"])
        .arg(&junk)
        .arg("--db")
        .arg(dir.path().join("x.sqlite"))
        .output()
        .expect("restore runs");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a SQLite database"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
