//! Browser tests in real headless Chromium, driven over WebDriver (chromedriver).
//!
//! This is its own test target without the standard harness so that, on a machine
//! without Chromium, `cargo test` prints plainly that these tests were skipped and why
//! (the standard harness hides the output of passing tests). With `CI` set, a missing
//! browser is a failure: `.ci/run` installs Chromium, so CI always runs them.
//! Screenshots of every screen are kept in `target/browser-artifacts/`.

mod axe;
mod hall;
mod preview;
#[path = "../support/server.rs"]
mod server;
mod webdriver;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use webdriver::{Browser, Driver, Server, agent, body_text, free_port, wait_for};

const SECONDS: fn(u64) -> Duration = Duration::from_secs;

fn find_binary(candidates: &[&str]) -> Option<PathBuf> {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .or_else(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path).find_map(|dir| {
                candidates
                    .iter()
                    .filter_map(|c| Path::new(c).file_name())
                    .map(|name| dir.join(name))
                    .find(|p| p.exists())
            })
        })
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content")
}

/// Creates a session of the `mini` fixture programme over HTTP; returns (facilitator
/// path, join code, projector path, record path).
fn create_session(server: &Server, tables: &str) -> (String, String, String, String) {
    create_session_of(server, "mini", tables)
}

/// Creates a session of `curriculum` over HTTP; returns (facilitator path, join code,
/// projector path, record path).
fn create_session_of(
    server: &Server,
    curriculum: &str,
    tables: &str,
) -> (String, String, String, String) {
    let response = agent()
        .post(&format!("{}/sessions", server.url()))
        .header("Cookie", &server.organizer_cookie())
        .send_form([
            ("curriculum", curriculum),
            ("title", "ブラウザ試験"),
            ("held_on", "2026-11-30"),
            ("place", "会議室"),
            ("tables", tables),
        ])
        .expect("create session");
    let facilitator = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("redirect")
        .to_string();
    let mut page = agent()
        .get(&format!("{}{facilitator}", server.url()))
        .call()
        .expect("facilitator page");
    let html = body_text(&mut page);
    let between = |start: &str, end: &str| {
        let from = html.find(start).map(|i| i + start.len()).expect(start);
        html[from..from + html[from..].find(end).expect(end)].to_string()
    };
    let code = between("class=\"join-code\">", "<");
    let projector = format!("/p/{}", between("href=\"/p/", "\""));
    // The facilitator's own record page (the organizer's is behind the sign-in).
    let record = format!("{facilitator}/record");
    (facilitator, code, projector, record)
}

fn join(browser: &Browser, server: &Server, code: &str, number: u32, profession: &str) {
    browser.goto(&format!("{}/join", server.url()));
    browser.type_into("input[name=code]", code);
    browser.type_into("input[name=table]", &number.to_string());
    browser.click("form[action='/join'] button");
    browser.click(&format!("input[value={profession}]"));
    browser.click("form[action$='/roster'] button");
    browser.wait_text("はじめに", SECONDS(10));
}

fn record_html(server: &Server, record: &str) -> String {
    let mut page = agent()
        .get(&format!("{}{record}", server.url()))
        .call()
        .expect("record");
    body_text(&mut page)
}

fn click_button_with_text(browser: &Browser, scope: &str, label: &str) {
    let clicked = browser.exec(
        "const b = [...document.querySelectorAll(arguments[0] + ' button')].find(b => b.textContent.includes(arguments[1]));
         if (b) { b.click(); return true; } return false;",
        serde_json::json!([scope, label]),
    );
    assert_eq!(
        clicked,
        serde_json::json!(true),
        "{}: no button {label:?} in {scope}",
        browser.name
    );
}

/// Milliseconds left on the screen's timer, and the screen's wall clock when read.
fn timer_left(browser: &Browser) -> (i64, i64) {
    let value = browser.exec(
        "const el = document.querySelector('.timer'); const [m, s] = el.querySelector('.timer-time').textContent.split(':');
         return [el.dataset.state === 'running' ? (Number(m) * 60 + Number(s)) * 1000 : -1, Date.now()];",
        serde_json::json!([]),
    );
    (
        value[0].as_i64().unwrap_or(-1),
        value[1].as_i64().unwrap_or(0),
    )
}

fn timer_seconds(browser: &Browser) -> i64 {
    let text = browser.text(".timer-time");
    let (m, s) = text
        .trim()
        .split_once(':')
        .unwrap_or_else(|| panic!("{}: timer text {text:?}", browser.name));
    m.trim().parse::<i64>().unwrap_or(0) * 60 + s.trim().parse::<i64>().unwrap_or(0)
}

/// Facilitator, three tables and a projector: step changes, timer, live answers, a
/// conflict merged, typing while the server is down, a restart that loses nothing.
fn live_session(chromium: &Path, driver: &Driver) {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = Server::start(free_port(), &dir.path().join("db.sqlite"), &fixtures());
    let (facilitator, code, projector, session) = create_session(&server, "3");
    let fac = Browser::open(driver, chromium, "facilitator", (1280, 1000));
    fac.goto(&format!("{}{facilitator}", server.url()));
    let proj = Browser::open(driver, chromium, "projector", (1920, 1080));
    proj.goto(&format!("{}{projector}", server.url()));
    let tables: Vec<Browser> = (1..=3)
        .map(|n| Browser::open(driver, chromium, &format!("table{n}"), (800, 1280)))
        .collect();
    for (n, (browser, profession)) in tables
        .iter()
        .zip(["visiting-nurse", "speech-therapist", "pharmacist"])
        .enumerate()
    {
        join(browser, &server, &code, n as u32 + 1, profession);
    }

    // The facilitator moves on twice: every table and the projector follow without a reload by hand.
    fac.click("form[action$='/step'] button.primary");
    for t in &tables {
        t.wait_text("場面1 外来", SECONDS(5));
    }
    proj.wait_text("事例を読む", SECONDS(5));
    tables[0].screenshot("table1-case-walk.png");
    fac.click("form[action$='/step'] button.primary");
    for t in &tables {
        t.wait_text("本人の思いは何でしょうか", SECONDS(5));
    }

    // The timer: the server's clock, the same on every screen.
    click_button_with_text(&fac, "form[action$='/timer']", "タイマー開始");
    for t in &tables {
        t.wait_text("進行中", SECONDS(5));
    }
    proj.wait_text("進行中", SECONDS(5));
    std::thread::sleep(SECONDS(2));
    // Screens are read one after another; bring every reading to the first one's moment.
    let raw: Vec<(i64, i64)> = tables.iter().chain([&proj]).map(timer_left).collect();
    let readings: Vec<i64> = raw
        .iter()
        .map(|(left, at)| left + (at - raw[0].1))
        .collect();
    let (low, high) = (
        readings.iter().min().copied().unwrap_or(0),
        readings.iter().max().copied().unwrap_or(0),
    );
    // Shown in whole seconds, so two screens may be a second apart at the same moment.
    assert!(
        high - low <= 2000,
        "timers differ by more than the display's second: {readings:?}"
    );
    assert!(
        high < 600_000 && low > 570_000,
        "a 10-minute timer a few seconds in: {readings:?}"
    );
    let high = timer_seconds(&tables[0]);
    std::thread::sleep(SECONDS(2));
    assert!(timer_seconds(&tables[0]) < high, "the timer counts down");

    // Typing autosaves; the facilitator sees it live.
    // The answers by question are a disclosure under the wall: the facilitator opens them.
    fac.exec(
        "document.querySelectorAll('details').forEach(d => { d.open = true; });",
        serde_json::json!([]),
    );
    tables[0].type_into("#a-q-wish", "本人は家に帰りたいと話していた");
    fac.wait_text("本人は家に帰りたいと話していた", SECONDS(8));
    // The save line says when it was saved and which version: 「… 保存 …（第1版）」.
    wait_for("table 1's save line at version 1", SECONDS(5), || {
        let line = tables[0].text("#p-q-wish [data-save-line], #p-q-wish [data-saved-line]");
        (line.contains("保存") && line.contains("（第1版）")).then_some(())
    });

    // Spotlight table 1 on the projector.
    fac.click(".tables-list input[value='1']");
    click_button_with_text(&fac, "form[action$='/spotlight']", "プロジェクター");
    proj.wait_text("本人は家に帰りたいと話していた", SECONDS(8));
    proj.screenshot("projector-spotlight.png");

    // Two devices of table 2 type at once: the later save is refused with both texts, then merged.
    // A further device joins a claimed table with the pairing code on the table's screen.
    let table2_url = tables[1].current_url();
    let pairing = tables[1].text("[data-pairing-code]").trim().to_string();
    tables[2].goto(&table2_url);
    tables[2].wait_text("別の端末で使われています", SECONDS(5));
    tables[2].type_into("input[name=pairing]", &pairing);
    tables[2].click("form[action='/join/pair'] button");
    tables[2].find("#a-q-wish");
    tables[1].type_into("#a-q-wish", "端末Aの意見");
    tables[2].type_into("#a-q-wish", "端末Bの意見");
    let (with_conflict, _) = wait_for("a conflict box on one device", SECONDS(10), || {
        [&tables[1], &tables[2]]
            .into_iter()
            .find(|b| !b.text(".conflict-box").is_empty())
            .map(|b| (b, ()))
    });
    let conflict_text = with_conflict.text(".conflict-box");
    assert!(
        conflict_text.contains("端末Aの意見") && conflict_text.contains("端末Bの意見"),
        "{conflict_text}"
    );
    with_conflict.screenshot("table2-conflict.png");
    // The facilitator follows table 2 in the wall's detail panel, which a save updates.
    fac.click("[data-tile='2']");
    fac.find("[data-table-detail] [data-detail-for='2']");
    click_button_with_text(with_conflict, ".conflict-box", "まとめて");
    wait_for(
        "the merged answer on the facilitator view",
        SECONDS(12),
        || {
            let text = fac.text("[data-table-detail]");
            (text.contains("端末Aの意見\n\n端末Bの意見")
                || text.contains("端末Bの意見\n\n端末Aの意見"))
            .then_some(())
        },
    );

    // Time is up: answers lock; the facilitator reopens and the typed text goes through.
    // Typed right before the end: the boxes turn read-only and the text waits on the device.
    tables[0].type_into("#a-q-wish", "（締め切り後の追記）");
    click_button_with_text(&fac, "form[action$='/timer']", "終了して締め切る");
    tables[0].wait_text("時間になりました", SECONDS(6));
    assert_eq!(
        tables[0].exec(
            "return document.querySelector('#a-q-wish').readOnly;",
            serde_json::json!([])
        ),
        serde_json::json!(true),
        "the box is read-only while time is up"
    );
    tables[0].screenshot("table1-locked.png");
    click_button_with_text(&fac, "form[action$='/timer']", "記入を再開する");
    // The wall shows that a table saved (tested in full_hall); the text itself is on the
    // facilitator's page under the wall.
    facilitator_page_shows(&server, &facilitator, "（締め切り後の追記）");
    // From here on the facilitator presses nothing: whatever changes must arrive live.
    fac.exec(
        "window.__sameFacilitatorPage = true; return true;",
        serde_json::json!([]),
    );

    // The server dies; table 1 keeps typing; the server comes back; nothing is lost.
    server.kill();
    tables[0].type_into("#a-q-wish", "（停電中の入力）");
    tables[0].wait_text("接続が切れています", SECONDS(10));
    let drafts = tables[0].exec(
        "return Object.keys(localStorage).filter(k => k.startsWith('acp-draft')).length;",
        serde_json::json!([]),
    );
    assert_eq!(
        drafts,
        serde_json::json!(1),
        "the offline text is kept on the device"
    );
    tables[0].screenshot("table1-offline.png");
    server.restart();
    wait_for(
        "the offline text saved after the restart",
        SECONDS(30),
        || {
            record_html(&server, &session)
                .contains("（停電中の入力）")
                .then_some(())
        },
    );
    let record = record_html(&server, &session);
    for kept in [
        "本人は家に帰りたいと話していた",
        "端末Aの意見",
        "端末Bの意見",
        "（締め切り後の追記）",
    ] {
        assert!(record.contains(kept), "lost after restart: {kept}");
    }
    for t in &tables {
        t.wait_text("本人の思いは何でしょうか", SECONDS(10));
    }
    facilitator_page_shows(&server, &facilitator, "（停電中の入力）");
    assert_eq!(
        fac.exec(
            "return window.__sameFacilitatorPage === true;",
            serde_json::json!([])
        ),
        serde_json::json!(true),
        "the facilitator view updated in place, without reloading"
    );
    fac.screenshot("facilitator.png");
    proj.screenshot("projector.png");
    for (i, t) in tables.iter().enumerate() {
        t.screenshot(&format!("table{}.png", i + 1));
    }
}

/// Two tables walk one case down different branches; the record shows both paths.
fn branches(chromium: &Path, driver: &Driver) {
    let dir = tempfile::tempdir().expect("dir");
    let server = Server::start(free_port(), &dir.path().join("db.sqlite"), &fixtures());
    let (facilitator, code, _, session) = create_session(&server, "2");
    let fac = Browser::open(driver, chromium, "facilitator", (1280, 1000));
    fac.goto(&format!("{}{facilitator}", server.url()));
    let tables: Vec<Browser> = (1..=2)
        .map(|n| Browser::open(driver, chromium, &format!("table{n}"), (800, 1280)))
        .collect();
    for (n, t) in tables.iter().enumerate() {
        join(t, &server, &code, n as u32 + 1, "visiting-nurse");
    }
    fac.click("form[action$='/step'] button.primary");
    for (t, option) in tables.iter().zip(["胃ろうを造る", "口から食べ続ける"]) {
        t.wait_text("場面1 外来", SECONDS(5));
        t.click("form[action$='/walk'] button");
        t.wait_text("方針はどうなりましたか", SECONDS(5));
        let chosen = t.exec(
            "const l = [...document.querySelectorAll('form[action$=\"/walk\"] label')].find(l => l.textContent.includes(arguments[0]));
             if (!l) return false; l.querySelector('input').click(); return true;",
            serde_json::json!([option]),
        );
        assert_eq!(chosen, serde_json::json!(true));
        t.click("form[action$='/walk'] button");
        t.wait_text(&format!("選択：{option}"), SECONDS(5));
    }
    tables[0].screenshot("branch-table1.png");
    tables[1].screenshot("branch-table2.png");
    let record = record_html(&server, &session);
    assert!(record.contains("選択：胃ろうを造る") && record.contains("選択：口から食べ続ける"));
    assert!(record.contains("場面3a 胃ろう") && record.contains("場面3b 経口"));
    fac.goto(&format!("{}{facilitator}/record", server.url()));
    fac.screenshot("record-branches.png");
}

/// Posts a form over HTTP as a separate client (a phone or a table that is not under test).
fn post_form(server: &Server, path: &str, cookie: &str, form: &[(&str, &str)]) -> (u16, String) {
    let mut request = agent().post(&format!("{}{path}", server.url()));
    if !cookie.is_empty() {
        request = request.header("Cookie", cookie);
    }
    let response = request
        .send_form(form.iter().copied())
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (response.status().as_u16(), location)
}

/// A phone's cookie from its first visit to the phone page.
fn phone_cookie(server: &Server, code: &str) -> String {
    let response = agent()
        .get(&format!("{}/a/{code}", server.url()))
        .call()
        .expect("phone page");
    response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a phone id")
        .to_string()
}

/// Waits until the facilitator's page, as the server draws it, holds `text`.
fn facilitator_page_shows(server: &Server, facilitator: &str, text: &str) {
    wait_for(
        &format!("{text} on the facilitator's page"),
        SECONDS(15),
        || {
            let mut page = agent()
                .get(&format!("{}{facilitator}", server.url()))
                .call()
                .ok()?;
            body_text(&mut page).contains(text).then_some(())
        },
    );
}

/// The day of a 215-person meeting in real browsers: the organizer imports the CSV and
/// seats 30 tables, the desk checks someone in, a phone checks in and answers the
/// before and after surveys, a table screen takes a survey for someone without a phone.
fn meeting_day(chromium: &Path, driver: &Driver) {
    let dir = tempfile::tempdir().expect("dir");
    let server = Server::start(free_port(), &dir.path().join("db.sqlite"), &fixtures());
    let organizer = Browser::open(driver, chromium, "organizer", (1280, 1000));
    organizer.goto(&format!("{}/signin", server.url()));
    organizer.type_into("input[name=secret]", server::ORGANIZER_PASSWORD);
    organizer.click("form[action='/signin'] button");
    // Wait for the signed-in start page, or its redirect lands after the next page.
    organizer.wait_text("別のサーバーの研修会を読み込む", SECONDS(15));
    organizer.goto(&format!("{}/curricula/survey", server.url()));
    organizer.exec(
        "document.querySelector('input[name=title]').value = '';
         document.querySelector('input[name=held_on]').value = '2026-12-05';
         document.querySelector('input[name=tables]').value = '30';",
        serde_json::json!([]),
    );
    organizer.type_into("input[name=title]", "第5回 顔の見える関係会議");
    organizer.click("form[action='/sessions'] button[type=submit]");
    organizer.wait_text("参加コード", SECONDS(10));
    let facilitator = organizer.current_url();
    let code = organizer.text(".join-code").trim().to_string();

    // Plan: import the office's CSV and seat everyone.
    organizer.goto(&format!("{}/", server.url()));
    organizer.click("a[href$='/roster']");
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roster-215.csv");
    organizer.type_into("input[type=file][name=file]", &csv.display().to_string());
    organizer.click("form[action$='/roster/import'] button");
    organizer.wait_text("215", SECONDS(10));
    organizer.click("a[href$='/seating']");
    organizer.click("form[action$='/seating'] button");
    organizer.wait_text("7〜8人", SECONDS(20));
    organizer.screenshot("meeting-seating.png");
    let roster_path = organizer.current_url().replace("/seating", "/checkin");

    // The desk checks No. 2 in.
    organizer.goto(&roster_path);
    organizer.type_into("input[name=q]", "2");
    organizer.click("form.desk-search button");
    organizer.wait_text("参加者", SECONDS(5));
    organizer.click("table.desk button.primary");
    organizer.wait_text("受付済み 1人", SECONDS(5));
    organizer.screenshot("meeting-desk.png");

    // A phone: the join page's phone button, check-in by number, the before survey.
    let phone = Browser::open(driver, chromium, "phone", (390, 844));
    phone.goto(&format!("{}/join", server.url()));
    phone.type_into("form[action='/join/phone'] input[name=code]", &code);
    phone.click("form[action='/join/phone'] button");
    phone.type_into("input[name=number]", "1");
    phone.click("form[action$='/checkin'] button");
    phone.wait_text("受付済み：1番", SECONDS(5));
    phone.wait_text("グループ です", SECONDS(5));
    phone.click("input[name=pre-confidence][value='2']");
    phone.click("form[action$='/survey/0'] button");
    phone.wait_text("回答を受け付けました", SECONDS(5));
    phone.screenshot("meeting-phone-before.png");

    // Nine more phones answer over HTTP; two tables report their group work.
    let mut cookies = Vec::new();
    for i in 0..9 {
        let cookie = phone_cookie(&server, &code);
        let point = (1 + i % 3).to_string();
        let (status, _) = post_form(
            &server,
            &format!("/a/{code}/survey/0"),
            &cookie,
            &[("pre-confidence", &point)],
        );
        assert_eq!(status, 303);
        cookies.push(cookie);
    }
    let fac_path = facilitator.trim_start_matches(&server.url()).to_string();
    assert_eq!(
        post_form(&server, &format!("{fac_path}/step"), "", &[("to", "1")]).0,
        303
    );
    let mut tables = Vec::new();
    // One device (a cookie) holds both tables: every request to a table comes from its device.
    let device = "acp_device=fedcba9876543210fedcba9876543210";
    for number in ["1", "2"] {
        let (_, table) = post_form(
            &server,
            "/join",
            device,
            &[("code", &code), ("table", number)],
        );
        post_form(
            &server,
            &format!("{table}/roster"),
            device,
            &[("profession", "visiting-nurse"), ("profession", "msw")],
        );
        let (status, _) = post_form(
            &server,
            &format!("{table}/answer"),
            device,
            &[
                ("prompt", "curriculum:survey:gw-report"),
                ("base", "0"),
                ("worked", "顔の見える関係で相談しやすくなった"),
                ("hard", "退院前カンファレンスの日程調整"),
                ("measures", "退院前に情報共有の場を持つ"),
            ],
        );
        assert_eq!(status, 303);
        tables.push(table);
    }

    // The closing survey: the same phone, and a table screen for someone without one.
    assert_eq!(
        post_form(&server, &format!("{fac_path}/step"), "", &[("to", "2")]).0,
        303
    );
    let fac = Browser::open(driver, chromium, "facilitator", (1280, 1000));
    fac.goto(&facilitator);
    fac.wait_text("研修後アンケート：0人が回答", SECONDS(5));
    fac.exec("window.__notReloaded = true;", serde_json::json!([]));
    phone.goto(&format!("{}/a/{code}", server.url()));
    phone.click("input[name=post-confidence][value='4']");
    phone.click("input[name=post-useful][value='事例']");
    phone.type_into(
        "textarea[name=post-comment]",
        "他職種の視点が参考になりました",
    );
    phone.click("form[action$='/survey/2'] button");
    phone.wait_text("回答を受け付けました", SECONDS(5));
    phone.screenshot("meeting-phone-after.png");
    for (i, cookie) in cookies.iter().enumerate() {
        let point = (3 + i % 3).to_string();
        let (status, _) = post_form(
            &server,
            &format!("/a/{code}/survey/2"),
            cookie,
            &[("post-confidence", &point)],
        );
        assert_eq!(status, 303);
    }
    let screen = Browser::open(driver, chromium, "table-screen", (800, 1280));
    // The table is held by the device above: this screen joins with its pairing code.
    let html = agent()
        .get(&format!("{}{}", server.url(), tables[0]))
        .header("Cookie", device)
        .call()
        .expect("table page")
        .body_mut()
        .read_to_string()
        .expect("html");
    let pairing = html
        .split("data-pairing-code>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("a pairing code")
        .to_string();
    screen.goto(&format!("{}{}", server.url(), tables[0]));
    screen.type_into("input[name=pairing]", &pairing);
    screen.click("form[action='/join/pair'] button");
    screen.wait_text("ご自分のスマートフォンで", SECONDS(5));
    screen.click(&format!("a[href='{}/survey']", tables[0]));
    screen.click("input[name=post-confidence][value='5']");
    screen.click("form[action$='/survey/2'] button");
    screen.wait_text("次の方に画面を渡してください", SECONDS(5));
    screen.screenshot("meeting-table-survey.png");

    // The facilitator's count went up live while the room answered, without a reload.
    fac.wait_text("研修後アンケート：11人が回答", SECONDS(10));
    assert_eq!(
        fac.exec(
            "return window.__notReloaded === true;",
            serde_json::json!([])
        ),
        serde_json::json!(true)
    );

    // The organizer reads the report: who came, the tables' three fields, survey charts.
    organizer.goto(&format!("{}/", server.url()));
    organizer.click("a[href$='/report']");
    organizer.wait_text("アンケート結果", SECONDS(10));
    organizer.wait_text("回答者 11人", SECONDS(5));
    organizer.wait_text("退院前に情報共有の場を持つ", SECONDS(5));
    organizer.wait_text("他職種の視点が参考になりました", SECONDS(5));
    let charts = organizer.exec(
        "return document.querySelectorAll('svg').length;",
        serde_json::json!([]),
    );
    assert!(charts.as_u64().unwrap_or(0) >= 2, "charts drawn: {charts}");
    organizer.screenshot("meeting-report.png");
    organizer.goto(&format!("{}/reports", server.url()));
    organizer.wait_text("ワーキンググループの報告", SECONDS(10));
    organizer.wait_text("話し合い・会議", SECONDS(5));
    // The organizer opens the first theme of the issues and moves its first item to
    // another theme with the item's form (no script): the page comes back at the new
    // theme's row, its list open, the item marked as moved.
    let moving = organizer.exec(
        "const row = document.querySelector('tr[id^=\"issues-\"]');
         row.querySelector('details.theme-items').open = true;
         const under = row.id.slice('issues-'.length);
         const select = row.querySelector('form.theme-move select');
         select.value = under === 'other' ? 'family' : 'other';
         return select.value;",
        serde_json::json!([]),
    );
    organizer.click("tr[id^='issues-'] form.theme-move button");
    organizer.wait_text("手動で移動", SECONDS(10));
    let url = organizer.current_url();
    assert!(url.contains("/reports#issues-"), "{url}");
    let moved_to = organizer.exec(
        "return document.querySelector('tr[id^=\"issues-\"] li.moved').closest('tr').id;",
        serde_json::json!([]),
    );
    assert_eq!(
        moved_to,
        serde_json::json!(format!("issues-{}", moving.as_str().unwrap_or_default()))
    );
    organizer.screenshot("meeting-working-group.png");
}

/// True when the page's mark survived (the page never reloaded itself).
fn not_reloaded(browser: &Browser) -> bool {
    browser.exec("return window.__acpMark === 'h4';", serde_json::json!([]))
        == serde_json::json!(true)
}

/// Posts a facilitator action over HTTP (the facilitator is not under test here).
fn facilitate(server: &Server, path: &str, form: &[(&str, &str)]) {
    let (status, _) = post_form(server, path, "", form);
    assert_eq!(status, 303, "{path} {form:?}");
}

/// One table typing through everything the facilitator does: pace changes, a scene
/// change, a step change, time up and reopened, the end. The page never reloads, the
/// box keeps focus, caret and every character, the lock banner is in view, continuous
/// typing reaches the facilitator before the typist stops, and the end is calm.
fn table_typist(chromium: &Path, driver: &Driver) {
    let dir = tempfile::tempdir().expect("dir");
    let server = Server::start(free_port(), &dir.path().join("db.sqlite"), &fixtures());
    let (facilitator, code, _, _) = create_session(&server, "1");
    let table = Browser::open(driver, chromium, "typist", (800, 1280));
    join(&table, &server, &code, 1, "visiting-nurse");
    table.exec(
        "window.__acpMark = 'h4'; return true;",
        serde_json::json!([]),
    );
    facilitate(&server, &format!("{facilitator}/step"), &[("to", "1")]);
    table.wait_text("場面1 外来", SECONDS(5));
    assert!(not_reloaded(&table), "a step change reloaded the page");
    let role_card = table.text(".role-card .role");
    assert_eq!(
        role_card.matches("訪問看護師の情報").count(),
        1,
        "{role_card}"
    );

    // Pace changes while someone types: focus, caret and text stay.
    table.type_into("#a-s1-q", "本人は家に");
    table.exec(
        "const t = document.querySelector('#a-s1-q'); t.focus(); t.setSelectionRange(2, 2); return true;",
        serde_json::json!([]),
    );
    let state = || {
        table.exec(
            "const t = document.querySelector('#a-s1-q'); return [document.activeElement === t, t.selectionStart, t.value, window.__acpMark === 'h4'];",
            serde_json::json!([]),
        )
    };
    for (pace, shown) in [("hold", "合図を待ってください"), ("free", "次の場面へ")] {
        facilitate(&server, &format!("{facilitator}/pace"), &[("pace", pace)]);
        table.wait_text(shown, SECONDS(5));
        assert_eq!(
            state(),
            serde_json::json!([true, 2, "本人は家に", true]),
            "pace {pace}: focus, caret, text and page kept"
        );
    }

    // Steady typing with short pauses: the draft reaches the facilitator before it stops.
    let fac_html = || {
        let mut page = agent()
            .get(&format!("{}{facilitator}", server.url()))
            .call()
            .expect("facilitator page");
        body_text(&mut page)
    };
    table.exec(
        "const t = document.querySelector('#a-s1-q'); t.setSelectionRange(t.value.length, t.value.length); return true;",
        serde_json::json!([]),
    );
    let start = std::time::Instant::now();
    let mut seen = None;
    while start.elapsed() < SECONDS(10) {
        table.type_into("#a-s1-q", "続");
        std::thread::sleep(Duration::from_millis(300));
        if seen.is_none() && fac_html().contains("本人は家に続") {
            seen = Some(start.elapsed());
        }
    }
    let seen = seen.expect("the draft reached the facilitator while the table kept typing");
    println!("continuous typing: first draft on the facilitator page after {seen:?}");

    // The next scene: the page adds it and brings its heading into view.
    table.click("form[action$='/walk'] button");
    table.wait_text("場面2 入院", SECONDS(5));
    assert!(not_reloaded(&table), "the scene change reloaded the page");
    wait_for("the new scene's heading in view", SECONDS(5), || {
        let place = table.exec(
            "return [document.querySelector('#scene-1 h2').getBoundingClientRect().top, innerHeight];",
            serde_json::json!([]),
        );
        let (top, height) = (
            place[0].as_f64().unwrap_or(-1.0),
            place[1].as_f64().unwrap_or(0.0),
        );
        (top >= 0.0 && top <= height / 3.0).then_some(())
    });
    table.screenshot("typist-scene-2.png");

    // Group work, a timer, time up: the banner is in view of a table scrolled to its prompt.
    facilitate(&server, &format!("{facilitator}/step"), &[("to", "2")]);
    table.wait_text("本人の思いは何でしょうか", SECONDS(5));
    assert!(not_reloaded(&table), "the step change reloaded the page");
    facilitate(
        &server,
        &format!("{facilitator}/timer"),
        &[("action", "start")],
    );
    table.wait_text("進行中", SECONDS(5));
    table.type_into("#a-q-wish", "時間の前に");
    facilitate(
        &server,
        &format!("{facilitator}/timer"),
        &[("action", "end")],
    );
    table.wait_text("時間になりました", SECONDS(5));
    table.exec(
        "const p = [...document.querySelectorAll('section.prompt')].pop(); p.scrollIntoView({block: 'end'}); return true;",
        serde_json::json!([]),
    );
    let banner = table.exec(
        "const b = document.querySelector('[data-lock-banner]'); const r = b.getBoundingClientRect();
         return [b.hidden, r.top >= 0 && r.bottom <= innerHeight, document.querySelector('#a-q-wish').readOnly, window.scrollY > 0];",
        serde_json::json!([]),
    );
    assert_eq!(
        banner,
        serde_json::json!([false, true, true, true]),
        "lock banner shown in the viewport of a scrolled table; box read-only"
    );
    table.screenshot("typist-locked.png");
    facilitate(
        &server,
        &format!("{facilitator}/timer"),
        &[("action", "reopen")],
    );
    wait_for("answers reopened", SECONDS(5), || {
        (table.exec(
            "return document.querySelector('[data-lock-banner]').hidden && !document.querySelector('#a-q-wish').readOnly;",
            serde_json::json!([]),
        ) == serde_json::json!(true))
        .then_some(())
    });
    wait_for("the text typed before the lock saved", SECONDS(8), || {
        fac_html().contains("時間の前に").then_some(())
    });
    assert!(not_reloaded(&table), "lock and reopen reloaded the page");

    // The end: a calm notice with the record, no reconnecting, no reload.
    facilitate(
        &server,
        &format!("{facilitator}/close"),
        &[("confirm", "yes")],
    );
    table.wait_text("この研修会は終了しました", SECONDS(5));
    std::thread::sleep(SECONDS(7));
    let end = table.exec(
        "const n = document.querySelector('[data-ended]'); const s = document.querySelector('[data-live-status]');
         return [n.hidden, n.querySelector('a').getAttribute('href').endsWith('/record.pdf'), s.hidden || !s.textContent.includes('接続'), window.__acpMark === 'h4'];",
        serde_json::json!([]),
    );
    assert_eq!(
        end,
        serde_json::json!([false, true, true, true]),
        "ended notice with the record link, no connection warning, no reload"
    );
    table.screenshot("typist-ended.png");
}

/// A table writes a three-field report under headings of its own: 「見出しを追加」 gives
/// another slot (focused), autosave sends both headings without reloading the page, the
/// facilitator sees them, a reload shows them back, and the button goes at the limit.
fn own_headings(chromium: &Path, driver: &Driver) {
    let dir = tempfile::tempdir().expect("dir");
    let server = Server::start(free_port(), &dir.path().join("db.sqlite"), &fixtures());
    let (facilitator, code, _, _) = create_session_of(&server, "kinds", "1");
    let table = Browser::open(driver, chromium, "headings", (800, 1280));
    table.set_viewport(800, 1280);
    table.goto(&format!("{}/join", server.url()));
    table.type_into("form[action='/join'] input[name=code]", &code);
    table.type_into("form[action='/join'] input[name=table]", "1");
    table.click("form[action='/join'] button");
    table.click("input[name=profession][value=visiting-nurse]");
    table.click("form[action$='/roster'] button");
    table.find("#a-k1-three-h3");
    table.exec(
        "window.__acpMark = 'h4'; return true;",
        serde_json::json!([]),
    );
    let add = "#p-k1-three [data-add-heading]";
    let shown = |css: &str| {
        table.exec(
            "const b = document.querySelector(arguments[0]); return Boolean(b) && !b.hidden;",
            serde_json::json!([css]),
        ) == serde_json::json!(true)
    };
    assert!(shown(add), "the script shows the add button");
    assert!(
        !shown("#a-k1-three-h4"),
        "one empty slot before the button is used"
    );

    table.type_into("#a-k1-three-l0", "顔の見える関係");
    table.type_into("#a-k1-three-h3", "【地域の課題】");
    table.type_into("#a-k1-three-t3", "夜間の連絡先が古い");
    table.click(add);
    assert_eq!(
        table.exec("return document.activeElement.id;", serde_json::json!([])),
        serde_json::json!("a-k1-three-h4"),
        "the new slot's heading has the focus"
    );
    table.keys("市への要望");
    table.type_into("#a-k1-three-t4", "相談窓口を一つに");
    let fac_html = || {
        let mut page = agent()
            .get(&format!("{}{facilitator}", server.url()))
            .call()
            .expect("facilitator page");
        body_text(&mut page)
    };
    wait_for(
        "both own headings on the facilitator page",
        SECONDS(10),
        || {
            let html = fac_html();
            (html.contains("<h4>【地域の課題】</h4>")
                && html.contains("<h4>市への要望</h4>")
                && html.contains("相談窓口を一つに"))
            .then_some(())
        },
    );
    assert!(not_reloaded(&table), "saving reloaded the page");
    table.exec(
        "document.querySelector('#a-k1-three-l2').scrollIntoView({block: 'start'}); return true;",
        serde_json::json!([]),
    );
    std::thread::sleep(Duration::from_millis(200));
    table.screenshot("own-headings-800x1280.png");

    // A reload shows the saved headings back, with one empty slot after them.
    let url = table.current_url();
    table.goto(&url);
    let values = table.exec(
        "return ['h3', 't3', 'h4', 't4', 'h5'].map(k => document.querySelector('#a-k1-three-' + k).value);",
        serde_json::json!([]),
    );
    assert_eq!(
        values,
        serde_json::json!([
            "【地域の課題】",
            "夜間の連絡先が古い",
            "市への要望",
            "相談窓口を一つに",
            ""
        ])
    );
    // A draft kept on this device (a crash before the save) with a heading in a slot
    // the page does not have: the slot comes back with its text, and is sent.
    table.exec(
        "const form = document.querySelector('#p-k1-three form.answer-form');
         const fields = [...new FormData(form).entries()].filter(([k]) => k !== 'base' && k !== 'prompt');
         fields.push(['lists.6.heading', '下書きの見出し'], ['lists.6.text', '下書きの内容']);
         localStorage.setItem('acp-draft:' + document.body.dataset.table + ':' + form.dataset.key,
           JSON.stringify({ fields, base: form.elements.base.value, at: Date.now() }));
         return true;",
        serde_json::json!([]),
    );
    table.goto(&url);
    assert_eq!(
        table.exec(
            "return ['h6', 't6'].map(k => (document.querySelector('#a-k1-three-' + k) || {}).value);",
            serde_json::json!([]),
        ),
        serde_json::json!(["下書きの見出し", "下書きの内容"]),
        "the draft's slot is restored"
    );
    wait_for("the restored heading saved", SECONDS(10), || {
        fac_html().contains("<h4>下書きの見出し</h4>").then_some(())
    });
    // One more slot reaches the limit of five: the button goes.
    table.click(add);
    assert!(shown("#a-k1-three-h7"), "the fifth slot");
    assert!(!shown(add), "no add button at the limit");
    table.set_viewport(390, 844);
    table.exec(
        "document.querySelector('#a-k1-three-h3').scrollIntoView({block: 'start'}); return true;",
        serde_json::json!([]),
    );
    std::thread::sleep(Duration::from_millis(200));
    table.screenshot("own-headings-390x844.png");
}

/// A browser test: given Chromium and a running chromedriver.
type BrowserTest = fn(&Path, &Driver);

fn main() {
    let chromium = find_binary(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
    let chromedriver = find_binary(&["/usr/bin/chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        let why = "browser tests skipped: Chromium and chromedriver were not found \
                   (install them with `apt-get install chromium chromium-driver fonts-noto-cjk`; .ci/run does)";
        if std::env::var_os("CI").is_some() {
            eprintln!("{why}\nCI is set, so the browser tests are required: failing.");
            std::process::exit(1);
        }
        println!("{why}");
        println!("0 passed, 0 failed, 7 skipped");
        return;
    };
    let ci = std::env::var_os("CI").is_some();
    if axe::load().is_none() {
        let why = format!(
            "axe-core accessibility checks skipped: {} was not found \
             (install it with `npm install --no-save --prefix target/axe axe-core@{}`, as .ci/run does, \
             or name an axe.min.js in ACP_AXE_JS)",
            axe::source_path().display(),
            axe::VERSION
        );
        if ci {
            eprintln!("{why}\nCI is set, so the accessibility checks are required: failing.");
            std::process::exit(1);
        }
        println!("{why}");
    }
    let driver = Driver::start(&chromedriver);
    let tests: [(&str, BrowserTest); 7] = [
        ("table_typist", table_typist),
        ("own_headings", own_headings),
        ("live_session", live_session),
        ("branches", branches),
        ("meeting_day", meeting_day),
        ("full_hall", hall::full_hall),
        ("preview_reload", preview::preview_reload),
    ];
    // `cargo test --test browser -- NAME…` runs only the tests whose names contain a NAME.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let (mut passed, mut failed) = (0, 0);
    for (name, test) in tests {
        if !only.is_empty() && !only.iter().any(|o| name.contains(o.as_str())) {
            continue;
        }
        println!("browser test {name} ...");
        match catch_unwind(AssertUnwindSafe(|| test(&chromium, &driver))) {
            Ok(()) => {
                passed += 1;
                println!("browser test {name} ... ok");
            }
            Err(_) => {
                failed += 1;
                println!("browser test {name} ... FAILED");
            }
        }
    }
    if axe::enabled() {
        let (violations, pages) = axe::report();
        if violations == 0 {
            passed += 1;
            println!("browser test axe (WCAG 2.0/2.1 A and AA on {pages} pages) ... ok");
        } else {
            failed += 1;
            println!(
                "browser test axe (WCAG 2.0/2.1 A and AA on {pages} pages) ... FAILED: {violations} violations"
            );
        }
    }
    println!(
        "screenshots: {}/target/browser-artifacts/",
        env!("CARGO_MANIFEST_DIR")
    );
    println!("{passed} passed, {failed} failed");
    // `exit` runs no destructors: stop chromedriver first, or it outlives the run (and
    // keeps every file its parent held open, such as a build lock).
    drop(driver);
    if failed > 0 {
        std::process::exit(1);
    }
}
