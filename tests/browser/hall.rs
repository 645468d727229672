//! A full hall: the bundled 90-minute programme with 30 tables. Four tables are real
//! Chromium table screens, the other 26 join and save over plain HTTP; a facilitator and
//! a projector watch in Chromium.
//!
//! Checked: every table saves; the facilitator's wall shows every tile's state; a table
//! typing without pausing reaches the facilitator before it stops; pace changes under a
//! typist lose no character and keep the focus; when time runs out the lock banner is in
//! the table's view; after the session ends no screen reloads for 30 s. Screenshots of the
//! wall, the projector and every prompt kind are kept in `target/browser-artifacts/`.
//!
//! The contract checks are collected and reported together at the end (so one missing
//! feature does not hide the state of the others); the test fails if any failed.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::webdriver::{Browser, Driver, Server, agent, body_text, free_port};
use crate::{create_session_of, fixtures, post_form};

const CURRICULUM: &str = "decision-support-basics";
const TABLES: u32 = 30;
/// Tables 1..=BROWSER_TABLES are Chromium table screens; the rest are HTTP clients.
const BROWSER_TABLES: u32 = 4;
/// The case-walk step of the bundled programme (事例を歩く① 認知症の母と胃ろう).
const WALK_STEP: u32 = 2;
const CASE: &str = "dementia-tube-feeding";
const TEXT_PROMPT: &str = "s1-q-form";
const CHOICE_PROMPT: &str = "s1-q-start";
const STATES: [&str; 6] = ["absent", "working", "idle", "behind", "locked", "done"];
const PROFESSIONS: [&str; 11] = [
    "visiting-nurse",
    "care-manager",
    "pharmacist",
    "physician-clinic",
    "msw",
    "dental-hygienist",
    "care-worker",
    "hospital-nurse",
    "speech-therapist",
    "dietitian",
    "physician-hospital",
];

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Contract checks that failed, reported together at the end.
#[derive(Default)]
struct Checks {
    failed: Vec<String>,
}

impl Checks {
    fn check(&mut self, ok: bool, what: impl Into<String>) -> bool {
        let what = what.into();
        if ok {
            println!("  ok: {what}");
        } else {
            println!("  FAILED: {what}");
            self.failed.push(what);
        }
        ok
    }
}

/// Polls `probe` until it returns true or `timeout` passes; returns whether it did.
fn within(timeout: Duration, mut probe: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if probe() {
            return true;
        }
        if start.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn prompt_key(prompt: &str) -> String {
    format!("case:{CASE}:{prompt}")
}

fn answer_text(number: u32) -> String {
    format!("テーブル{number}の意見：本人が食べる楽しみを大切にしている")
}

/// A table that is not under test in a browser: joins and saves with plain HTTP posts,
/// carrying the cookies the server gives it as one device would.
struct HttpTable {
    number: u32,
    path: String,
    cookies: Vec<String>,
}

impl HttpTable {
    fn cookie_header(&self) -> String {
        self.cookies.join("; ")
    }

    fn keep_cookies(&mut self, response: &ureq::http::Response<ureq::Body>) {
        for value in response.headers().get_all("set-cookie") {
            if let Some(pair) = value.to_str().ok().and_then(|c| c.split(';').next()) {
                let name = pair.split('=').next().unwrap_or_default().to_string();
                self.cookies
                    .retain(|c| c.split('=').next().unwrap_or_default() != name);
                self.cookies.push(pair.to_string());
            }
        }
    }

    fn post(&mut self, server: &Server, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let mut request = agent().post(&format!("{}{path}", server.url()));
        if !self.cookies.is_empty() {
            request = request.header("Cookie", &self.cookie_header());
        }
        let response = request
            .send_form(form.iter().copied())
            .unwrap_or_else(|e| panic!("table {}: POST {path}: {e}", self.number));
        self.keep_cookies(&response);
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (response.status().as_u16(), location)
    }

    fn get(&mut self, server: &Server) -> (u16, String) {
        let mut request = agent().get(&format!("{}{}", server.url(), self.path));
        if !self.cookies.is_empty() {
            request = request.header("Cookie", &self.cookie_header());
        }
        let mut response = request
            .call()
            .unwrap_or_else(|e| panic!("table {}: GET: {e}", self.number));
        self.keep_cookies(&response);
        (response.status().as_u16(), body_text(&mut response))
    }

    fn join(server: &Server, code: &str, number: u32) -> Self {
        let mut table = HttpTable {
            number,
            path: String::new(),
            cookies: Vec::new(),
        };
        let n = number.to_string();
        let (status, location) = table.post(server, "/join", &[("code", code), ("table", &n)]);
        assert_eq!(status, 303, "table {number} joins");
        table.path = location
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(table.path.starts_with("/t/"), "table {number}: {location}");
        let (a, b) = (
            PROFESSIONS[number as usize % PROFESSIONS.len()],
            PROFESSIONS[(number as usize + 3) % PROFESSIONS.len()],
        );
        let roster = format!("{}/roster", table.path);
        let (status, _) = table.post(server, &roster, &[("profession", a), ("profession", b)]);
        assert_eq!(status, 303, "table {number} names its professions");
        table
    }

    /// Opens the table screen (as a device does on a step change), then saves both
    /// scene-1 prompts; returns the text save's status.
    fn answer(&mut self, server: &Server) -> u16 {
        let (status, _) = self.get(server);
        assert_eq!(status, 200, "table {}: its screen", self.number);
        let path = format!("{}/answer", self.path);
        let text = answer_text(self.number);
        let (text_status, _) = self.post(
            server,
            &path,
            &[
                ("prompt", &prompt_key(TEXT_PROMPT)),
                ("base", "0"),
                ("text", &text),
            ],
        );
        let option = (self.number % 3).to_string();
        self.post(
            server,
            &path,
            &[
                ("prompt", &prompt_key(CHOICE_PROMPT)),
                ("base", "0"),
                ("choice", &option),
            ],
        );
        text_status
    }
}

/// Joins a Chromium table screen by its join code and table number, naming two professions.
fn join_screen(browser: &Browser, server: &Server, code: &str, number: u32) {
    browser.goto(&format!("{}/join", server.url()));
    browser.type_into("form[action='/join'] input[name=code]", code);
    browser.type_into(
        "form[action='/join'] input[name=table]",
        &number.to_string(),
    );
    browser.click("form[action='/join'] button");
    for p in [
        PROFESSIONS[number as usize % PROFESSIONS.len()],
        PROFESSIONS[(number as usize + 5) % PROFESSIONS.len()],
    ] {
        browser.click(&format!("input[name=profession][value={p}]"));
    }
    browser.click("form[action$='/roster'] button");
    browser.find("body[data-role=table]");
}

/// Submits the facilitator's form whose action ends with `action` and whose hidden
/// fields carry `fields`, by a real click on its submit button.
fn press(browser: &Browser, action: &str, fields: &[(&str, &str)]) -> bool {
    // The page may be loading after the previous press: wait for it, and try again if it
    // was replaced between finding the button and clicking it.
    for _ in 0..5 {
        within(secs(10), || {
            browser.exec("return document.readyState;", json!([])) == json!("complete")
        });
        if !mark_button(browser, action, fields) {
            std::thread::sleep(Duration::from_millis(300));
            continue;
        }
        if browser.try_click("[data-test-press]") {
            return true;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    false
}

/// Marks the submit button of the form `press` looks for; whether there is one.
fn mark_button(browser: &Browser, action: &str, fields: &[(&str, &str)]) -> bool {
    let found = browser.exec(
        "const [action, fields] = arguments;
         document.querySelectorAll('[data-test-press]').forEach(b => b.removeAttribute('data-test-press'));
         const form = [...document.querySelectorAll('form')].find(f =>
           (f.getAttribute('action') || '').endsWith(action) &&
           fields.every(([n, v]) => [...f.querySelectorAll('input')].some(i => i.name === n && i.value === v)));
         const button = form && form.querySelector('button[type=submit], button:not([type])');
         if (!button || button.disabled) return false;
         // A facilitator opens the disclosure that holds the form (step list, closing).
         for (let d = form.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) d.open = true;
         button.setAttribute('data-test-press', '1');
         button.scrollIntoView({block: 'center'});
         return true;",
        json!([action, fields]),
    );
    found == json!(true)
}

/// One tile of the wall: (table, state, last-save text, rect top, rect bottom).
type Tile = (u32, String, String, f64, f64);

/// The wall's tiles, or None without a wall.
fn tiles(fac: &Browser) -> Option<Vec<Tile>> {
    let value = fac.exec(
        "const wall = document.querySelector('[data-wall]');
         if (!wall) return null;
         return [...wall.querySelectorAll('[data-tile]')].map(t => {
           const r = t.getBoundingClientRect();
           const last = t.querySelector('[data-last-save]');
           return [t.dataset.tile, t.dataset.state || '', last ? last.textContent.trim() : '', r.top, r.bottom];
         });",
        json!([]),
    );
    let list = value.as_array()?;
    Some(
        list.iter()
            .map(|t| {
                (
                    t[0].as_str().and_then(|n| n.parse().ok()).unwrap_or(0),
                    t[1].as_str().unwrap_or_default().to_string(),
                    t[2].as_str().unwrap_or_default().to_string(),
                    t[3].as_f64().unwrap_or(0.0),
                    t[4].as_f64().unwrap_or(0.0),
                )
            })
            .collect(),
    )
}

/// Whether the wall shows one tile for each table 1..=TABLES, each in a state `ok`.
fn wall_states(fac: &Browser, ok: &dyn Fn(u32, &str) -> bool) -> Result<(), String> {
    let Some(list) = tiles(fac) else {
        return Err("no [data-wall] on the facilitator page".into());
    };
    let mut wrong = Vec::new();
    for n in 1..=TABLES {
        match list.iter().find(|t| t.0 == n) {
            None => wrong.push(format!("{n}: no tile")),
            Some(t) if !STATES.contains(&t.1.as_str()) || !ok(n, &t.1) => {
                wrong.push(format!("{n}: {:?}", t.1))
            }
            Some(_) => {}
        }
    }
    if list.len() != TABLES as usize {
        wrong.push(format!("{} tiles for {TABLES} tables", list.len()));
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join(", "))
    }
}

/// Where an element is: (found, shown, top, bottom, viewport height, text).
fn placement(browser: &Browser, css: &str) -> (bool, bool, f64, f64, f64, String) {
    let v = browser.exec(
        "const e = document.querySelector(arguments[0]);
         if (!e) return [false, false, 0, 0, innerHeight, ''];
         const r = e.getBoundingClientRect(), s = getComputedStyle(e);
         const shown = !e.hidden && s.display !== 'none' && s.visibility !== 'hidden' && r.height > 0;
         return [true, shown, r.top, r.bottom, innerHeight, e.innerText || ''];",
        json!([css]),
    );
    (
        v[0] == json!(true),
        v[1] == json!(true),
        v[2].as_f64().unwrap_or(0.0),
        v[3].as_f64().unwrap_or(0.0),
        v[4].as_f64().unwrap_or(0.0),
        v[5].as_str().unwrap_or_default().to_string(),
    )
}

fn set_mark(browser: &Browser, mark: &str) {
    browser.exec(
        "window.__acpMark = arguments[0]; return true;",
        json!([mark]),
    );
}

fn has_mark(browser: &Browser, mark: &str) -> bool {
    browser.exec("return window.__acpMark === arguments[0];", json!([mark])) == json!(true)
}

/// Focuses a table's textarea with a real click and remembers the element.
fn focus_box(browser: &Browser, css: &str) {
    browser.exec(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'}); return true;",
        json!([css]),
    );
    browser.click(css);
    browser.exec(
        "window.__acpTypist = document.activeElement; return true;",
        json!([]),
    );
}

/// (focus still on the same element, its value) for the typist.
fn typist_state(browser: &Browser) -> (bool, String) {
    let v = browser.exec(
        "const same = !!window.__acpTypist && document.activeElement === window.__acpTypist;
         return [same, document.activeElement ? (document.activeElement.value || '') : ''];",
        json!([]),
    );
    (
        v[0] == json!(true),
        v[1].as_str().unwrap_or_default().to_string(),
    )
}

/// The save line of a prompt's form (`[data-save-line]`; `[data-saved-line]` before it).
fn save_line(browser: &Browser, prompt: &str) -> String {
    browser.text(&format!(
        "#p-{prompt} [data-save-line], #p-{prompt} [data-saved-line]"
    ))
}

fn page_text(browser: &Browser) -> String {
    browser.text("body")
}

pub fn full_hall(chromium: &Path, driver: &Driver) {
    let started = Instant::now();
    let mut checks = Checks::default();
    let dir = tempfile::tempdir().expect("dir");
    let content = Path::new(env!("CARGO_MANIFEST_DIR"));
    let server = Server::start(free_port(), &dir.path().join("db.sqlite"), content);
    let (facilitator, code, projector, record) =
        create_session_of(&server, CURRICULUM, &TABLES.to_string());
    let fac_url = format!("{}{facilitator}", server.url());

    let fac = Browser::open(driver, chromium, "hall-facilitator", (1920, 1080));
    fac.set_viewport(1920, 1080);
    fac.goto(&fac_url);
    let proj = Browser::open(driver, chromium, "hall-projector", (1920, 1080));
    proj.set_viewport(1920, 1080);
    proj.goto(&format!("{}{projector}", server.url()));

    println!("  the wall before anyone joined");
    let before = wall_states(&fac, &|_, s| s == "absent");
    checks.check(
        before.is_ok(),
        format!("wall: 30 tiles, all absent before anyone joins ({before:?})"),
    );

    // Four table screens in Chromium, 26 tables over HTTP.
    let screens: Vec<Browser> = (1..=BROWSER_TABLES)
        .map(|n| {
            let b = Browser::open(driver, chromium, &format!("hall-table{n}"), (800, 1280));
            b.set_viewport(800, 1280);
            join_screen(&b, &server, &code, n);
            b
        })
        .collect();
    let mut http: Vec<HttpTable> = (BROWSER_TABLES + 1..=TABLES)
        .map(|n| HttpTable::join(&server, &code, n))
        .collect();

    // The facilitator opens the first case walk.
    let moved = press(&fac, "/step", &[("to", &WALK_STEP.to_string())]);
    checks.check(
        moved,
        format!("facilitator: a step button to step {WALK_STEP}"),
    );
    if !moved {
        post_form(
            &server,
            &format!("{facilitator}/step"),
            "",
            &[("to", &WALK_STEP.to_string())],
        );
    }
    let text_box = format!("#a-{TEXT_PROMPT}");
    for s in &screens {
        s.find(&text_box);
    }
    for s in &screens {
        set_mark(s, "walk");
    }

    // Every HTTP table saves; the browser tables 2..4 type theirs (table 1 types later).
    let refused: Vec<(u32, u16)> = http
        .iter_mut()
        .map(|t| (t.number, t.answer(&server)))
        .filter(|(_, status)| *status != 303)
        .collect();
    checks.check(
        refused.is_empty(),
        format!("26 HTTP tables save (refused: {refused:?})"),
    );
    for (i, s) in screens.iter().enumerate().skip(1) {
        s.type_into(&text_box, &answer_text(i as u32 + 1));
    }
    for (i, s) in screens.iter().enumerate().skip(1) {
        let saved = within(secs(10), || {
            let line = save_line(s, TEXT_PROMPT);
            line.contains("保存") && !line.contains("まだ") && !line.contains("未送信")
        });
        checks.check(
            saved,
            format!("table {}: the save line shows its autosave", i + 1),
        );
    }

    // Table 1 types without a pause longer than a second for 10 s; the facilitator
    // (with table 1's tile opened, if there is a wall) must see the draft before it stops.
    let tile_opened = fac.exec(
        "const t = document.querySelector('[data-wall] [data-tile=\"1\"]'); if (!t) return false;
         t.setAttribute('data-test-press', '1'); return true;",
        json!([]),
    ) == json!(true);
    if tile_opened {
        fac.click("[data-test-press]");
        let detail = within(secs(5), || placement(&fac, "[data-table-detail]").1);
        checks.check(detail, "wall: clicking tile 1 opens [data-table-detail]");
    }
    set_mark(&fac, "typing");
    let typist = &screens[0];
    focus_box(typist, &text_box);
    let chunks = [
        "連続入力",
        "の試験",
        "。本人は",
        "食べる",
        "ことを",
        "楽しみに",
        "して",
        "いると",
        "思う。",
        "訪問看護師",
        "が",
        "来週",
        "の訪問",
        "で",
        "ゆっくり",
        "話を",
        "聞く",
        "。家族",
        "にも",
        "確かめる",
        "。",
    ];
    let first = chunks[0];
    let mut typed = String::new();
    let typing_start = Instant::now();
    let mut seen_while_typing = None;
    let mut i = 0;
    while typing_start.elapsed() < secs(10) {
        let chunk = chunks[i % chunks.len()];
        typist.keys(chunk);
        typed.push_str(chunk);
        i += 1;
        if seen_while_typing.is_none() && page_text(&fac).contains(first) {
            seen_while_typing = Some(typing_start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(350));
    }
    let typing_for = typing_start.elapsed();
    println!(
        "  typed {} characters in {typing_for:?}; facilitator first saw the draft at {seen_while_typing:?}",
        typed.chars().count()
    );
    checks.check(
        seen_while_typing.is_some(),
        "continuous typing: the facilitator sees the draft before the typist stops",
    );
    let (same, value) = typist_state(typist);
    checks.check(
        same && value == typed,
        format!("typist kept focus and every character while typing (focus kept: {same})"),
    );
    let all_seen = within(secs(10), || page_text(&fac).contains(&typed));
    checks.check(
        all_seen,
        "the whole draft reaches the facilitator after the typist stops",
    );
    checks.check(
        has_mark(&fac, "typing"),
        "the facilitator page updated in place while the table typed",
    );

    // Pace changes under a typist: table 2 keeps typing while the facilitator toggles.
    let typist2 = &screens[1];
    focus_box(typist2, &text_box);
    typist2.exec(
        "const e = document.activeElement; e.setSelectionRange(e.value.length, e.value.length); return true;",
        json!([]),
    );
    let mut typed2 = answer_text(2);
    for (round, pace) in ["hold", "free"].into_iter().enumerate() {
        typist2.keys("（ペース");
        typed2.push_str("（ペース");
        let toggled = press(&fac, "/pace", &[("pace", pace)]);
        checks.check(toggled, format!("facilitator: pace button to {pace}"));
        for _ in 0..6 {
            std::thread::sleep(Duration::from_millis(300));
            typist2.keys("変更");
            typed2.push_str("変更");
        }
        typist2.keys(&format!("{round}）"));
        typed2.push_str(&format!("{round}）"));
        let (same, value) = typist_state(typist2);
        checks.check(
            same && value == typed2,
            format!(
                "pace to {pace} under a typist: focus kept ({same}), no character lost ({})",
                if value == typed2 {
                    "all there".to_string()
                } else {
                    format!("box has {value:?}, typed {typed2:?}")
                }
            ),
        );
        checks.check(
            has_mark(typist2, "walk"),
            format!("pace to {pace}: the typing table screen did not reload"),
        );
    }
    // After hold then free, the tables walk at their own pace again: no hold notice.
    let free_shown = within(secs(5), || {
        !page_text(&screens[2]).contains("ファシリテーターの合図を待ってください")
    });
    checks.check(free_shown, "table 3 shows free pace after the toggles");

    // Every table has saved: the record has all 30 answers.
    let record_url = format!("{}{record}", server.url());
    let all_saved = within(secs(15), || {
        let mut page = agent().get(&record_url).call().expect("record");
        let html = body_text(&mut page);
        (2..=TABLES).all(|n| html.contains(&answer_text(n))) && html.contains(first)
    });
    checks.check(
        all_saved,
        "the record holds an answer of every one of the 30 tables",
    );

    // The wall: every tile has a state; none is absent; saved tables show a last save.
    fac.goto(&fac_url);
    let states = wall_states(&fac, &|_, s| s != "absent");
    checks.check(
        states.is_ok(),
        format!("wall: 30 tiles, each joined table in a known state, none absent ({states:?})"),
    );
    if let Some(list) = tiles(&fac) {
        let missing: Vec<u32> = list
            .iter()
            .filter(|t| t.2.is_empty())
            .map(|t| t.0)
            .collect();
        checks.check(
            missing.is_empty(),
            format!(
                "wall: every tile shows its last save in [data-last-save] (empty: {missing:?})"
            ),
        );
    }
    // Typing on in an answer the wall already ticks changes only the tile's save time:
    // the wall shows it from the event and does not fetch the tile again (most saves
    // in a hall are these, and each fetch works out the whole wall).
    {
        let table = &mut http[0];
        let n = table.number;
        let read = |fac: &Browser| {
            fac.exec(
                "const t = document.querySelector('[data-wall] [data-tile=\"' + arguments[0] + '\"]');
                 if (!t) return null;
                 const tick = t.querySelector('[data-tick=\"' + arguments[1] + '\"]');
                 return [t.dataset.state, t.querySelector('[data-last-save]').dataset.at || '',
                         Boolean(tick && tick.classList.contains('on')),
                         performance.getEntriesByType('resource')
                           .filter(e => e.name.includes('/tiles/' + arguments[0])).length];",
                json!([n.to_string(), prompt_key(TEXT_PROMPT)]),
            )
        };
        let before = read(&fac);
        let path = format!("{}/answer", table.path);
        let more = format!("{}（追記）", answer_text(n));
        let (status, _) = table.post(
            &server,
            &path,
            &[
                ("prompt", &prompt_key(TEXT_PROMPT)),
                ("base", "1"),
                ("text", &more),
            ],
        );
        let shown = within(secs(5), || read(&fac)[1] != before[1]);
        std::thread::sleep(Duration::from_millis(400));
        let after = read(&fac);
        checks.check(
            status == 303
                && before[2] == json!(true)
                && shown
                && after[0] == before[0]
                && after[3] == json!(0),
            format!(
                "wall: a second save of a ticked answer updates the save time without fetching the tile (status {status}, before {before}, after {after})"
            ),
        );
    }
    for (w, h) in [(1366, 768), (1920, 1080)] {
        fac.set_viewport(w, h);
        fac.exec("window.scrollTo(0, 0); return true;", json!([]));
        std::thread::sleep(Duration::from_millis(300));
        if let Some(list) = tiles(&fac) {
            let height = fac
                .exec("return innerHeight;", json!([]))
                .as_f64()
                .unwrap_or(0.0);
            let below: Vec<u32> = list
                .iter()
                .filter(|t| t.4 > height || t.3 < 0.0)
                .map(|t| t.0)
                .collect();
            checks.check(
                below.is_empty(),
                format!(
                    "wall at {w}×{h}: every tile in view without scrolling (out of view: {below:?})"
                ),
            );
        }
        fac.screenshot(&format!("hall-wall-{w}x{h}.png"));
    }

    // Spotlight two tables; the projector shows them while the timer runs.
    post_form(
        &server,
        &format!("{facilitator}/spotlight"),
        "",
        &[("table", "5"), ("table", "6")],
    );

    // Time runs out: end the step's time box, add one minute and start it, so the clock
    // reaches zero by itself a minute later. Table 3 sits scrolled to its prompt.
    let mut timer_ok = press(&fac, "/timer", &[("action", "end")]);
    timer_ok &= within(secs(5), || {
        press(&fac, "/timer", &[("action", "add"), ("minutes", "1")])
    });
    timer_ok &= within(secs(5), || press(&fac, "/timer", &[("action", "start")]));
    checks.check(timer_ok, "facilitator: end, +1 min, start the timer");
    let reader = &screens[2];
    let started_clock = Instant::now();
    let running = within(secs(5), || {
        reader.exec(
            "const t = document.querySelector('.timer'); return !!t && t.dataset.state === 'running';",
            json!([]),
        ) == json!(true)
    });
    checks.check(running, "table 3: the one-minute timer runs");
    let prompt_css = format!("#p-{TEXT_PROMPT}");
    reader.exec(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'}); return true;",
        json!([prompt_css]),
    );
    let (_, banner_while_open, ..) = placement(reader, "[data-lock-banner]");
    checks.check(
        !banner_while_open,
        "table 3: no lock banner while the time runs",
    );

    for (w, h) in [(1920, 1080), (1280, 720)] {
        proj.set_viewport(w, h);
        std::thread::sleep(Duration::from_millis(500));
        let overflow = proj.exec(
            "return [document.documentElement.scrollWidth > innerWidth, document.documentElement.scrollHeight, innerHeight];",
            json!([]),
        );
        let fits = overflow[0] == json!(false)
            && overflow[1].as_f64().unwrap_or(f64::MAX) <= overflow[2].as_f64().unwrap_or(0.0);
        checks.check(
            fits,
            format!("projector at {w}×{h}: fits the screen (wider than it, page height, screen height: {overflow})"),
        );
        proj.screenshot(&format!("hall-projector-{w}x{h}.png"));
    }

    // Meanwhile, every prompt kind on a tablet (a second server with the fixture content).
    prompt_kind_screens(chromium, driver);

    let remaining = secs(75).saturating_sub(started_clock.elapsed());
    let locked = within(remaining, || placement(reader, "[data-lock-banner]").1);
    let (found, shown, top, bottom, height, text) = placement(reader, "[data-lock-banner]");
    checks.check(
        locked && found && shown && top >= 0.0 && bottom <= height,
        format!(
            "time up: [data-lock-banner] in table 3's viewport (found {found}, shown {shown}, top {top}, bottom {bottom}, height {height}): {text:?}"
        ),
    );
    let (_, _, prompt_top, prompt_bottom, ..) = placement(reader, &prompt_css);
    checks.check(
        prompt_top < height && prompt_bottom > 0.0,
        format!(
            "time up: table 3 is still at its prompt (prompt at {prompt_top}..{prompt_bottom})"
        ),
    );
    let read_only = reader.exec(
        "const e = document.querySelector(arguments[0]); return !!e && (e.readOnly || e.disabled);",
        json!([text_box]),
    );
    checks.check(
        read_only == json!(true),
        "time up: table 3's box is read-only",
    );
    checks.check(
        has_mark(reader, "walk"),
        "time up: table 3's screen did not reload",
    );
    reader.screenshot("hall-table3-locked.png");
    let locked_tiles = within(secs(5), || {
        wall_states(&fac, &|_, s| s == "locked" || s == "done").is_ok()
    });
    checks.check(
        locked_tiles,
        "wall: every tile locked (or done) when time is up",
    );
    fac.screenshot("hall-wall-locked.png");

    // The session ends; nothing reloads for 30 s; tables show the ended notice.
    for (i, s) in screens.iter().enumerate() {
        set_mark(s, &format!("end-table{}", i + 1));
    }
    set_mark(&proj, "end-projector");
    fac.exec(
        "const c = document.querySelector('form[action$=\"/close\"] input[name=confirm]'); if (c) c.checked = true; return !!c;",
        json!([]),
    );
    let closed = press(&fac, "/close", &[]);
    checks.check(closed, "facilitator: 終了する");
    if !closed {
        post_form(
            &server,
            &format!("{facilitator}/close"),
            "",
            &[("confirm", "yes")],
        );
    }
    let ended = within(secs(10), || {
        screens.iter().all(|s| placement(s, "[data-ended]").1)
    });
    checks.check(ended, "every table screen shows [data-ended]");
    let pdf_links = screens
        .iter()
        .filter(|s| {
            s.exec(
                "return !!document.querySelector('[data-ended] a[href$=\"record.pdf\"]');",
                json!([]),
            ) == json!(true)
        })
        .count();
    checks.check(
        pdf_links == screens.len(),
        format!(
            "[data-ended] links the table record PDF on {pdf_links} of {} screens",
            screens.len()
        ),
    );
    // The facilitator's own press may have loaded a page; from here on it must stay.
    std::thread::sleep(Duration::from_secs(1));
    set_mark(&fac, "end-facilitator");
    let quiet = Instant::now();
    let mut reloaded: Vec<String> = Vec::new();
    let mut lost: Vec<String> = Vec::new();
    while quiet.elapsed() < secs(30) {
        for (i, s) in screens.iter().enumerate() {
            if !has_mark(s, &format!("end-table{}", i + 1)) && !reloaded.contains(&s.name) {
                reloaded.push(s.name.clone());
            }
        }
        for (b, mark) in [(&proj, "end-projector"), (&fac, "end-facilitator")] {
            if !has_mark(b, mark) && !reloaded.contains(&b.name) {
                reloaded.push(b.name.clone());
            }
        }
        for b in screens.iter().chain([&proj, &fac]) {
            if page_text(b).contains("接続が切れています") && !lost.contains(&b.name) {
                lost.push(b.name.clone());
            }
        }
        std::thread::sleep(Duration::from_secs(2));
    }
    checks.check(
        reloaded.is_empty(),
        format!("after the end, no screen reloads for 30 s (reloaded: {reloaded:?})"),
    );
    checks.check(
        lost.is_empty(),
        format!("after the end, no screen says the connection was lost (said so: {lost:?})"),
    );
    for (i, s) in screens.iter().enumerate() {
        s.screenshot(&format!("hall-table{}-ended.png", i + 1));
    }
    proj.screenshot("hall-projector-ended.png");
    fac.screenshot("hall-facilitator-ended.png");
    for b in screens.iter().chain([&proj, &fac]) {
        b.axe(true);
    }

    println!("  full hall took {:?}", started.elapsed());
    assert!(
        checks.failed.is_empty(),
        "full hall: {} checks failed:\n- {}",
        checks.failed.len(),
        checks.failed.join("\n- ")
    );
}

/// Every prompt kind on an 800×1280 tablet: the structured kinds of the `kinds` fixture's
/// case walk, and text, choice and scale of the `mini` fixture's group work.
fn prompt_kind_screens(chromium: &Path, driver: &Driver) {
    let dir = tempfile::tempdir().expect("dir");
    let server = Server::start(free_port(), &dir.path().join("db.sqlite"), &fixtures());
    let tablet = Browser::open(driver, chromium, "kinds-tablet", (800, 1280));
    tablet.set_viewport(800, 1280);
    let shoot = |prompts: &[(&str, &str)]| {
        for (id, kind) in prompts {
            let css = format!("#p-{id}");
            tablet.find(&css);
            tablet.exec(
                "document.querySelector(arguments[0]).scrollIntoView({block: 'start'}); return true;",
                json!([css]),
            );
            std::thread::sleep(Duration::from_millis(200));
            tablet.screenshot(&format!("kind-{kind}-800x1280.png"));
        }
    };

    let (_, code, _, _) = create_session_of(&server, "kinds", "1");
    join_screen(&tablet, &server, &code, 1);
    shoot(&[
        ("k1-box", "four-box"),
        ("k1-sheet", "conference-sheet"),
        ("k1-grid", "decision-table"),
        ("k1-rank", "values-ranking"),
        ("k1-map", "stakeholder-map"),
        ("k1-cap", "capacity-check"),
        ("k1-plan", "action-plan"),
        ("k1-three", "three-field"),
    ]);

    let (facilitator, code, _, _) = create_session_of(&server, "mini", "1");
    post_form(&server, &format!("{facilitator}/step"), "", &[("to", "2")]);
    join_screen(&tablet, &server, &code, 1);
    shoot(&[
        ("q-wish", "text"),
        ("q-first", "choice"),
        ("q-conf", "scale"),
    ]);
}
