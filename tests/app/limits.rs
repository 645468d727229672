//! Limits that cost nothing to trigger (issue 13): sign-ins under a flood, a held
//! connection flood from one address, redirect targets, join-code guessing and a room
//! behind one address, survey stuffing and check-in probing.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use crate::server::{Server, agent, free_port};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content")
}

/// Every byte percent-encoded except letters and digits, as a hostile link would be.
fn encode_all(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn the_language_switch_returns_only_to_paths_of_this_server() {
    let app = crate::helpers::TestApp::new();
    let long = format!("/{}", "a".repeat(5000));
    let hostile = [
        "/\t/evil.example/phish",
        "//evil",
        "/\\evil",
        "\\\\evil",
        "https://evil",
        "http:evil",
        "javascript:alert(1)",
        "//evil/%2F..",
        "/%2F%2Fevil",
        "/%2F/evil",
        "/%5Cevil",
        "/%252F%252Fevil",
        "/%09/evil",
        "/\n/evil",
        "/\r\nLocation: https://evil",
        "/%0D%0ASet-Cookie:%20x=1",
        " /evil",
        "evil",
        "",
        long.as_str(),
    ];
    for back in hostile {
        let page = app
            .get(&format!("/lang/en?back={}", encode_all(back)))
            .await;
        assert_eq!(
            page.status,
            axum::http::StatusCode::SEE_OTHER,
            "{back:?}: {}",
            page.body
        );
        assert_eq!(page.location.as_deref(), Some("/"), "back={back:?}");
    }
    // Raw (not percent-encoded) forms of the same in the query.
    for raw in [
        "/%09/evil.example/phish",
        "/%0A/evil",
        "%2F%2Fevil",
        "/%0D%0Ax",
    ] {
        let page = app.get(&format!("/lang/en?back={raw}")).await;
        assert_eq!(
            page.status,
            axum::http::StatusCode::SEE_OTHER,
            "{raw}: {}",
            page.body
        );
        assert_eq!(page.location.as_deref(), Some("/"), "back={raw}");
    }
    for fine in ["/join", "/f/abc?x=1#top", "/s/x/checkin?q=%E5%90%8D"] {
        let page = app
            .get(&format!("/lang/en?back={}", encode_all(fine)))
            .await;
        assert_eq!(page.location.as_deref(), Some(fine));
    }
    println!(
        "language switch: {} hostile targets all sent to /",
        hostile.len() + 4
    );
}

/// VmHWM (peak) and VmRSS of a process, in kB.
fn memory_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .expect("a memory field")
    };
    (field("VmHWM:"), field("VmRSS:"))
}

#[test]
fn simultaneous_wrong_sign_ins_are_refused_at_once_and_memory_stays_flat() {
    let dir = tempfile::tempdir().expect("dir");
    let server = Server::start(free_port(), &dir.path().join("db.sqlite"), &fixtures());
    let pid = server.pid().expect("running");
    let (peak_before, rss_before) = memory_kb(pid);
    let n = 400;
    let barrier = Arc::new(Barrier::new(n));
    let url = format!("{}/signin", server.url());
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let barrier = barrier.clone();
            let url = url.clone();
            std::thread::spawn(move || {
                let agent = agent();
                barrier.wait();
                let mut response = agent
                    .post(&url)
                    .send_form([("secret", format!("wrong-password-{i}").as_str())])
                    .expect("an answer");
                let body = response.body_mut().read_to_string().unwrap_or_default();
                (response.status().as_u16(), body)
            })
        })
        .collect();
    let results: Vec<(u16, String)> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    let (peak_after, rss_after) = memory_kb(pid);
    let count = |s: u16| results.iter().filter(|(status, _)| *status == s).count();
    println!(
        "{n} simultaneous wrong sign-ins: {} hashed (403), {} refused at once (429), others {}; \
         server memory peak {} MB -> {} MB, resident {} MB -> {} MB",
        count(403),
        count(429),
        n - count(403) - count(429),
        peak_before / 1024,
        peak_after / 1024,
        rss_before / 1024,
        rss_after / 1024
    );
    assert_eq!(
        count(403) + count(429),
        n,
        "every attempt is answered 403 or 429"
    );
    assert!(
        count(403) <= 10,
        "at most the ten allowed attempts were evaluated"
    );
    assert!(
        count(429) >= n * 9 / 10,
        "most were refused without hashing"
    );
    let refused = results.iter().find(|(s, _)| *s == 429).expect("a refusal");
    assert!(
        refused.1.contains("<html"),
        "a rendered error page: {}",
        refused.1
    );
    assert!(
        peak_after < 200 * 1024,
        "peak memory stays flat: {peak_after} kB"
    );
    // Only evaluated attempts count: after the flood the right password still works
    // unless all ten were used up.
    let late = agent()
        .post(&url)
        .send_form([("secret", crate::server::ORGANIZER_PASSWORD)])
        .expect("answer");
    let expected = if count(403) < 10 { 303 } else { 429 };
    assert_eq!(late.status().as_u16(), expected);
}

/// Reads until the server closes the connection or `until`; returns what was read and
/// whether it closed.
fn read_until_closed(stream: &mut TcpStream, until: Instant) -> (String, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return (String::from_utf8_lossy(&got).into_owned(), false);
        }
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return (String::from_utf8_lossy(&got).into_owned(), false);
            }
            // A reset is the server closing too.
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), true),
        }
    }
}

/// GET / from a given local address (127.0.0.2 is another client on loopback).
fn get_from(local: [u8; 4], port: u16) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind(SocketAddr::from((local, 0)))
            .expect("bind the client address");
        let mut stream = tokio::time::timeout(
            Duration::from_secs(10),
            socket.connect(SocketAddr::from(([127, 0, 0, 1], port))),
        )
        .await
        .expect("connects in time")
        .expect("connects");
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .await
            .expect("send");
        let mut body = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut body))
            .await
            .expect("answered in time")
            .expect("read");
        String::from_utf8_lossy(&body).into_owned()
    })
}

#[test]
fn a_connection_flood_from_one_address_is_closed_in_time_and_others_still_get_in() {
    // 1,500 sockets here and as many in the server: well within this machine's limit.
    let _ = rlimit::increase_nofile_limit(8192);
    let dir = tempfile::tempdir().expect("dir");
    let header_timeout = 2;
    let server = Server::start_with_env(
        free_port(),
        &dir.path().join("db.sqlite"),
        &fixtures(),
        &[
            ("ACP_HEADER_TIMEOUT_SECS", "2"),
            ("ACP_BODY_TIMEOUT_SECS", "2"),
            ("ACP_CONNECTIONS_PER_ADDRESS", "1000"),
        ],
    );
    let addr = SocketAddr::from(([127, 0, 0, 1], server.port));
    let connect = || TcpStream::connect_timeout(&addr, Duration::from_secs(10)).expect("connect");
    let started = Instant::now();
    let mut idle: Vec<TcpStream> = (0..400).map(|_| connect()).collect();
    let mut slow_header: Vec<TcpStream> = (0..400)
        .map(|_| {
            let mut s = connect();
            s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .expect("send");
            s
        })
        .collect();
    let mut slow_body: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut s = connect();
            s.write_all(
                b"POST /join HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncode=ABCD",
            )
            .expect("send");
            s
        })
        .collect();
    // Over the cap of 1,000: refused with a short message, at once.
    let mut over: Vec<TcpStream> = (0..500).map(|_| connect()).collect();
    let opened = started.elapsed();
    // While the flood is held: another address gets the home page.
    let other = get_from([127, 0, 0, 2], server.port);
    let held_for = started.elapsed();
    assert!(
        other.starts_with("HTTP/1.1 200"),
        "127.0.0.2 is served: {other:.200}"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    let refused: Vec<(String, bool)> = over
        .iter_mut()
        .map(|s| read_until_closed(s, deadline))
        .collect();
    let refused_ok = refused
        .iter()
        .filter(|(text, closed)| {
            *closed
                && text.starts_with("HTTP/1.1 503")
                && text.contains("接続が多すぎます")
                && text.contains("Too many connections")
        })
        .count();
    // Every held connection is closed by the server after its timeout (bounded wait).
    let until = started + Duration::from_secs(header_timeout + 15);
    let closed = |streams: &mut Vec<TcpStream>| -> (usize, Vec<String>) {
        let results: Vec<(String, bool)> = streams
            .iter_mut()
            .map(|s| read_until_closed(s, until))
            .collect();
        (
            results.iter().filter(|(_, c)| *c).count(),
            results.into_iter().map(|(t, _)| t).collect(),
        )
    };
    let (idle_closed, _) = closed(&mut idle);
    let (header_closed, _) = closed(&mut slow_header);
    let (body_closed, body_answers) = closed(&mut slow_body);
    let all_closed_after = started.elapsed();
    let timed_out_bodies = body_answers
        .iter()
        .filter(|t| t.starts_with("HTTP/1.1 408"))
        .count();
    println!(
        "held from 127.0.0.1: 400 idle, 400 slow-header, 200 slow-body connections (opened in {:.1} s), \
         500 more refused and closed ({refused_ok} told why with 503); GET / from 127.0.0.2 answered 200 after {:.1} s while held; \
         closed by the server (timeouts 2 s): idle {idle_closed}/400, slow-header {header_closed}/400, \
         slow-body {body_closed}/200 ({timed_out_bodies} answered 408), all within {:.1} s of the first connect",
        opened.as_secs_f64(),
        held_for.as_secs_f64(),
        all_closed_after.as_secs_f64()
    );
    // A few hundred refusals are written at once (the rest are just closed), so a flood
    // of refused connections cannot hold the server's files either.
    assert!(
        refused.iter().all(|(_, closed)| *closed),
        "every connection over the cap is closed"
    );
    assert!(refused_ok >= 256, "and told why: {refused_ok}");
    assert_eq!(idle_closed, 400);
    assert_eq!(header_closed, 400);
    assert_eq!(body_closed, 200);
    assert_eq!(
        timed_out_bodies,
        200,
        "a body that does not arrive gets 408: {:?}",
        body_answers.first()
    );
    // After the flood, the first address is served again.
    assert!(get_from([127, 0, 0, 1], server.port).starts_with("HTTP/1.1 200"));
}

/// A form POST from a client address (the in-process app knows no address otherwise).
async fn post_from(
    app: &crate::helpers::TestApp,
    ip: [u8; 4],
    path: &str,
    pairs: &[(&str, &str)],
    cookie: Option<&str>,
) -> crate::helpers::Page {
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode_all(k), encode_all(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut request =
        axum::http::Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let mut request = request.body(axum::body::Body::from(body)).expect("request");
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(SocketAddr::from((ip, 40000))));
    app.send_anon(request).await
}

/// Typos of `code` as people make them copying from the projector.
fn typos(code: &str, n: usize) -> Vec<String> {
    let alphabet = "ACDEFGHJKMNPQRTUVWXY34679";
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len() - 1 {
        let mut swapped = chars.clone();
        swapped.swap(i, i + 1);
        out.push(swapped.iter().collect::<String>());
        out.push(
            chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| *c)
                .collect(),
        );
    }
    for (i, _) in chars.iter().enumerate() {
        for letter in alphabet.chars().filter(|l| *l != chars[i]) {
            let mut changed = chars.clone();
            changed[i] = letter;
            out.push(changed.iter().collect());
        }
    }
    out.retain(|t| t != code);
    out.dedup();
    out.truncate(n);
    out
}

#[tokio::test]
async fn a_room_behind_one_address_joins_after_thirty_mistyped_codes() {
    use axum::http::StatusCode;
    let app = crate::helpers::TestApp::new();
    let (_, code, _) = app.create_session("20").await;
    let room = [203, 0, 113, 7];
    let mistakes = typos(&code, 30);
    assert_eq!(mistakes.len(), 30);
    for typo in &mistakes {
        let page = post_from(&app, room, "/join", &[("code", typo), ("table", "1")], None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{typo}: {}", page.body);
    }
    let mut joined = 0;
    for n in 1..=20 {
        let table = post_from(
            &app,
            room,
            "/join",
            &[("code", &code), ("table", &n.to_string())],
            None,
        )
        .await;
        assert_eq!(
            table.status,
            StatusCode::SEE_OTHER,
            "table {n}: {}",
            table.body
        );
        let phone = post_from(&app, room, "/join/phone", &[("code", &code)], None).await;
        assert_eq!(
            phone.status,
            StatusCode::SEE_OTHER,
            "phone {n}: {}",
            phone.body
        );
        joined += 2;
    }
    // Thirty random wrong codes after that: the room's own code still works.
    for i in 0..30 {
        post_from(
            &app,
            room,
            "/join/phone",
            &[("code", &format!("Z{i:05}"))],
            None,
        )
        .await;
    }
    let refused = post_from(&app, room, "/join/phone", &[("code", "Z99999")], None).await;
    let again = post_from(&app, room, "/join/phone", &[("code", &code)], None).await;
    println!(
        "one address: 30 mistyped codes, then {joined} correct joins all accepted; after 30 random \
         wrong codes more guesses get {} and the room's code still gets {}",
        refused.status.as_u16(),
        again.status.as_u16()
    );
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(again.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_join_codes_stays_bounded_under_a_burst() {
    use axum::http::StatusCode;
    let app = Arc::new(crate::helpers::TestApp::new());
    let (_, code, _) = app.create_session("2").await;
    let guesser = [198, 51, 100, 9];
    let burst = 2000;
    let tasks: Vec<_> = (0..burst)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let path = if i % 2 == 0 { "/join" } else { "/join/phone" };
                post_from(
                    &app,
                    guesser,
                    path,
                    &[("code", &format!("Z{i:05}")), ("table", "1")],
                    None,
                )
                .await
                .status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task"));
    }
    let evaluated = statuses
        .iter()
        .filter(|s| **s == StatusCode::NOT_FOUND)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    // The right code from the guesser's address is refused too: accepting it would leak.
    let right = post_from(&app, guesser, "/join/phone", &[("code", &code)], None).await;
    // Another address is not affected.
    let other = post_from(
        &app,
        [198, 51, 100, 10],
        "/join/phone",
        &[("code", &code)],
        None,
    )
    .await;
    println!(
        "{burst} simultaneous guesses from one address: {evaluated} evaluated, {refused} refused; \
         the right code from it then gets {}, from another address {}",
        right.status.as_u16(),
        other.status.as_u16()
    );
    assert_eq!(evaluated, 30, "exactly the allowed guesses were evaluated");
    assert_eq!(refused, burst - 30);
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(other.status, StatusCode::SEE_OTHER);
}

/// A phone at a network address with a fresh cookie jar.
struct AddressedPhone {
    ip: [u8; 4],
    cookies: Vec<(String, String)>,
}

impl AddressedPhone {
    fn new(ip: [u8; 4]) -> Self {
        Self {
            ip,
            cookies: Vec::new(),
        }
    }

    async fn send(
        &mut self,
        app: &crate::helpers::TestApp,
        mut request: axum::http::Request<axum::body::Body>,
    ) -> crate::helpers::Page {
        use tower::ServiceExt;
        if !self.cookies.is_empty() {
            let line = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request
                .headers_mut()
                .insert("cookie", line.parse().expect("cookie"));
        }
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(SocketAddr::from((
                self.ip, 40000,
            ))));
        let response = app.router.clone().oneshot(request).await.expect("response");
        for set in response.headers().get_all("set-cookie") {
            let pair = set
                .to_str()
                .expect("ascii")
                .split(';')
                .next()
                .unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                self.cookies.retain(|(name, _)| name != k);
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().expect("ascii").to_string());
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .expect("body")
            .to_bytes();
        crate::helpers::Page {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&mut self, app: &crate::helpers::TestApp, path: &str) -> crate::helpers::Page {
        let request = axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .expect("request");
        self.send(app, request).await
    }

    async fn post(
        &mut self,
        app: &crate::helpers::TestApp,
        path: &str,
        pairs: &[(&str, &str)],
    ) -> crate::helpers::Page {
        let request = axum::http::Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(
                serde_urlencoded::to_string(pairs).expect("form"),
            ))
            .expect("request");
        self.send(app, request).await
    }
}

#[tokio::test]
async fn one_address_cannot_stuff_a_survey_and_the_facilitator_sees_it() {
    use axum::http::StatusCode;
    let app = crate::helpers::TestApp::new();
    let (facilitator, code, _) = crate::survey::survey_session(&app, "回答の上限", false).await;
    let me = format!("/a/{code}");
    let stuffer = [192, 0, 2, 50];
    let mut statuses = Vec::new();
    let mut refusal = String::new();
    for _ in 0..100 {
        // A fresh cookie every time, as a script would.
        let mut phone = AddressedPhone::new(stuffer);
        phone.get(&app, &me).await;
        let page = phone
            .post(&app, &format!("{me}/survey/0"), &[("pre-confidence", "5")])
            .await;
        if page.status == StatusCode::TOO_MANY_REQUESTS {
            refusal = page.body.clone();
        }
        statuses.push(page.status);
    }
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let mut neighbour = AddressedPhone::new([192, 0, 2, 51]);
    neighbour.get(&app, &me).await;
    let other = neighbour
        .post(&app, &format!("{me}/survey/0"), &[("pre-confidence", "3")])
        .await;
    let page = app.get(&facilitator).await;
    println!(
        "100 survey answers from one address with fresh cookies: {accepted} accepted, {refused} refused; \
         another address: {}; facilitator warned: {}",
        other.status.as_u16(),
        page.body.contains("data-survey-crowded")
    );
    let limit = acp_workbook::server::limit::SURVEY_ANSWERS_PER_ADDRESS as usize;
    assert_eq!(accepted, limit);
    assert_eq!(refused, 100 - limit);
    assert!(refusal.contains("回答が上限に達しました"), "{refusal}");
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    assert!(
        page.body.contains("data-survey-crowded=\"0\""),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("{limit}件の回答")));
    assert!(page.body.contains(&format!("{}人が回答", limit + 1)));
}

#[tokio::test]
async fn check_in_tells_a_table_only_to_the_phone_that_checked_in_and_probing_is_limited() {
    use axum::http::StatusCode;
    let app = crate::helpers::TestApp::new();
    let (_, code, id) = crate::survey::survey_session(&app, "受付の保護", false).await;
    for (name, profession, table) in [
        ("山田", "visiting-nurse", 1),
        ("佐藤", "care-manager", 2),
        ("鈴木", "pharmacist", 3),
        ("高橋", "visiting-nurse", 1),
        ("田中", "citizen", 2),
    ] {
        let page = app
            .post(
                &format!("/s/{id}/roster/add"),
                &[("name", name), ("profession", profession), ("area", "北")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let sid = id.clone();
        app.state
            .db
            .write_blocking(move |conn| {
                let person = acp_workbook::db::roster::participants(conn, &sid)?
                    .into_iter()
                    .find(|p| p.name == name)
                    .expect("person");
                acp_workbook::db::roster::move_to(conn, &sid, person.id, table)?;
                Ok(())
            })
            .expect("seat");
    }
    let me = format!("/a/{code}");
    // Yamada checks in on her own phone and sees her table.
    let mut yamada = AddressedPhone::new([192, 0, 2, 10]);
    yamada.get(&app, &me).await;
    let page = yamada
        .post(&app, &format!("{me}/checkin"), &[("number", "1")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let own = yamada.get(&app, &me).await;
    assert!(
        own.body.contains("受付済み：1番") && own.body.contains("第1グループ"),
        "{}",
        own.body
    );

    // A prober with a fresh cookie: number 1 is refused without any detail.
    let prober_ip = [192, 0, 2, 66];
    let mut prober = AddressedPhone::new(prober_ip);
    prober.get(&app, &me).await;
    let taken = prober
        .post(&app, &format!("{me}/checkin"), &[("number", "1")])
        .await;
    assert!(taken.body.contains("すでに受付済み"), "{}", taken.body);
    assert!(
        !taken.body.contains("第1グループ")
            && !taken.body.contains("受付済み：")
            && !taken.body.contains("山田"),
        "{}",
        taken.body
    );
    // A forged seat cookie shows nothing either.
    let mut forger = AddressedPhone::new(prober_ip);
    forger.get(&app, &me).await;
    forger
        .cookies
        .push(("acp_seat".into(), format!("{code}.1")));
    let forged = forger.get(&app, &me).await;
    assert!(!forged.body.contains("受付済み：1番") && !forged.body.contains("第1グループ"));
    // Walking the roster with fresh cookies is cut off after a few tries.
    let mut statuses = Vec::new();
    for n in 0..40 {
        let mut fresh = AddressedPhone::new(prober_ip);
        fresh.get(&app, &me).await;
        let page = fresh
            .post(
                &app,
                &format!("{me}/checkin"),
                &[("number", &(n % 7 + 1).to_string())],
            )
            .await;
        statuses.push(page.status);
    }
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let tried = statuses.len() - limited;
    // Another phone at another address still checks in.
    let mut sato = AddressedPhone::new([192, 0, 2, 11]);
    sato.get(&app, &me).await;
    let page = sato
        .post(&app, &format!("{me}/checkin"), &[("number", "5")])
        .await;
    println!(
        "check-in probing from one address: 1 + {tried} tries evaluated, {limited} refused with 429; \
         a taken number and a forged seat cookie showed no table; another address answered: {} (its number was already claimed by the prober)",
        page.status.as_u16()
    );
    let limit = acp_workbook::server::limit::CHECKINS_PER_ADDRESS as usize;
    assert_eq!(tried + 1, limit, "the prober's tries are bounded");
    assert!(limited > 0);
    assert!(page.status == StatusCode::SEE_OTHER || page.body.contains("すでに受付済み"));
}
