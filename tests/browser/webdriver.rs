//! A small W3C WebDriver client for chromedriver.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use crate::server::{Server, agent, free_port, wait_for};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver, running for the length of the test run.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Driver {
    /// Starts chromedriver on a free port.
    pub fn start(binary: &Path) -> Self {
        let port = free_port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let status = format!("{url}/status");
        wait_for("chromedriver", Duration::from_secs(20), || {
            agent()
                .get(&status)
                .call()
                .ok()
                .filter(|r| r.status() == 200)
                .map(|_| ())
        });
        Self { child, url }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser: its own Chromium with its own profile (a separate browser context).
pub struct Browser {
    session: String,
    pub name: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Opens a new headless Chromium of the given window size.
    pub fn open(driver: &Driver, chromium: &Path, name: &str, size: (u32, u32)) -> Self {
        let profile = tempfile::tempdir().expect("profile dir");
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={},{}", size.0, size.1),
        ];
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": { "binary": chromium, "args": args }
        }}});
        let mut response = agent()
            .post(&format!("{}/session", driver.url))
            .send_json(&caps)
            .expect("new session");
        let value: Value = response.body_mut().read_json().expect("session json");
        let id = value["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {value}"))
            .to_string();
        Self {
            session: format!("{}/session/{id}", driver.url),
            name: name.to_string(),
            _profile: profile,
        }
    }

    fn command(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.session);
        let mut response = match method {
            "GET" => agent().get(&url).call(),
            "DELETE" => agent().delete(&url).call(),
            _ => agent().post(&url).send_json(&body),
        }
        .unwrap_or_else(|e| panic!("{}: webdriver {method} {path}: {e}", self.name));
        let value: Value = response.body_mut().read_json().unwrap_or(Value::Null);
        value["value"].clone()
    }

    fn try_command(&self, path: &str, body: Value) -> Option<Value> {
        let value = self.command("POST", path, body);
        (!value.get("error").is_some_and(|e| e.is_string())).then_some(value)
    }

    /// Opens a URL and waits for the page to load; checks the new page with axe-core.
    pub fn goto(&self, url: &str) {
        self.command("POST", "/url", json!({ "url": url }));
        self.axe(false);
    }

    /// Runs axe-core on the page (when it was found for this run) and records what it
    /// reports. Without `again`, a document already checked is not checked twice.
    pub fn axe(&self, again: bool) {
        let Some(script) = crate::axe::check_script() else {
            return;
        };
        if !again
            && self.exec(
                "return window.__acpAxeChecked === true;",
                Value::Array(vec![]),
            ) == json!(true)
        {
            return;
        }
        let url = self.current_url();
        let outcome = self.command(
            "POST",
            "/execute/async",
            json!({ "script": script, "args": [] }),
        );
        crate::axe::record(&self.name, &url, &outcome);
    }

    /// Resizes the browser window (the outer size; the page gets what is left of it).
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.command(
            "POST",
            "/window/rect",
            json!({ "width": width, "height": height }),
        );
    }

    /// Resizes the window so that the page's viewport is exactly `width`×`height`.
    pub fn set_viewport(&self, width: u32, height: u32) {
        self.set_window_size(width, height);
        let inner = self.exec(
            "return [window.innerWidth, window.innerHeight];",
            Value::Array(vec![]),
        );
        let (iw, ih) = (
            inner[0].as_u64().unwrap_or(u64::from(width)) as u32,
            inner[1].as_u64().unwrap_or(u64::from(height)) as u32,
        );
        if (iw, ih) != (width, height) {
            self.set_window_size(
                width + width.saturating_sub(iw),
                height + height.saturating_sub(ih),
            );
        }
    }

    /// The current URL.
    pub fn current_url(&self) -> String {
        self.command("GET", "/url", Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs JavaScript in the page and returns its result.
    pub fn exec(&self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": args }),
        )
    }

    fn element(&self, css: &str) -> Option<String> {
        let value =
            self.try_command("/element", json!({ "using": "css selector", "value": css }))?;
        value[ELEMENT].as_str().map(str::to_string)
    }

    /// Waits for an element to exist and returns its id.
    /// Checks a page not yet checked with axe-core on the way.
    pub fn find(&self, css: &str) -> String {
        let start = Instant::now();
        let id = loop {
            if let Some(id) = self.element(css) {
                break id;
            }
            if start.elapsed() > Duration::from_secs(15) {
                let shot = self.screenshot(&format!("failure-{}.png", self.name));
                panic!(
                    "{}: element {css} did not appear within 15s (screenshot {}; url {})",
                    self.name,
                    shot.display(),
                    self.current_url()
                );
            }
            std::thread::sleep(Duration::from_millis(150));
        };
        if crate::axe::enabled() {
            self.axe(false);
            // The check takes a moment; a live page may have redrawn the element meanwhile.
            return self.element(css).unwrap_or(id);
        }
        id
    }

    /// Clicks the element matching `css` if it is there now; whether it was clicked.
    pub fn try_click(&self, css: &str) -> bool {
        let Some(id) = self.element(css) else {
            return false;
        };
        let result = self.command("POST", &format!("/element/{id}/click"), json!({}));
        result.get("error").is_none()
    }

    /// Clicks an element.
    pub fn click(&self, css: &str) {
        // Live pages redraw parts of themselves; an element found a moment ago may have been
        // replaced by its fresh copy, so find it again and retry.
        for _ in 0..5 {
            let id = self.find(css);
            let result = self.command("POST", &format!("/element/{id}/click"), json!({}));
            match result.get("error").and_then(|e| e.as_str()) {
                None => return,
                Some("stale element reference") => std::thread::sleep(Duration::from_millis(200)),
                Some(_) => panic!("{}: clicking {css}: {result}", self.name),
            }
        }
        panic!("{}: {css} kept being replaced while clicking", self.name);
    }

    /// Types text into an element (as a person would: key events, input events).
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.command(
            "POST",
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        );
    }

    /// Presses keys for `text` on whatever has the focus, as a keyboard does (WebDriver
    /// actions: unlike [`Browser::type_into`], this never moves the focus itself).
    pub fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                let key = c.to_string();
                [
                    json!({ "type": "keyDown", "value": key }),
                    json!({ "type": "keyUp", "value": key }),
                ]
            })
            .collect();
        let result = self.command(
            "POST",
            "/actions",
            json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }),
        );
        if let Some(error) = result.get("error").and_then(Value::as_str) {
            panic!("{}: pressing keys {text:?}: {error}: {result}", self.name);
        }
    }

    /// The visible text of the first element matching `css`, or empty.
    pub fn text(&self, css: &str) -> String {
        self.exec(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';",
            json!([css]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Waits until the page's text contains `needle`.
    pub fn wait_text(&self, needle: &str, timeout: Duration) {
        let start = Instant::now();
        while !self.text("body").contains(needle) {
            if start.elapsed() > timeout {
                let shot = self.screenshot(&format!("failure-{}.png", self.name));
                let console = self.command("POST", "/se/log", json!({ "type": "browser" }));
                panic!(
                    "{}: text {needle:?} did not appear within {timeout:?} (screenshot {}; url {}; console {console})",
                    self.name,
                    shot.display(),
                    self.current_url()
                );
            }
            std::thread::sleep(Duration::from_millis(150));
        }
        self.axe(false);
    }

    /// Saves a screenshot as a test artifact and returns its path; checks the state shown
    /// with axe-core first.
    pub fn screenshot(&self, file: &str) -> PathBuf {
        self.axe(true);
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-artifacts");
        std::fs::create_dir_all(&dir).expect("artifact dir");
        let data = self.command("GET", "/screenshot", Value::Null);
        let png = base64_decode(data.as_str().unwrap_or_default());
        let path = dir.join(file);
        std::fs::write(&path, png).expect("write screenshot");
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = agent().delete(&self.session).call();
    }
}

/// Reads a whole response body as text.
pub fn body_text(response: &mut ureq::http::Response<ureq::Body>) -> String {
    let mut text = String::new();
    let _ = response.body_mut().as_reader().read_to_string(&mut text);
    text
}

fn base64_decode(input: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in input.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
