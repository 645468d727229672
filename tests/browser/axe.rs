//! Accessibility checks with axe-core, injected by the test into every page the browser
//! tests visit (the app does not serve it: WebDriver's execute-script runs the source in
//! the page directly, so the app's CSP is not involved).
//!
//! The source is npm `axe-core` at a pinned version, installed by `.ci/run` with
//! `npm install --no-save --prefix target/axe axe-core@<version>` (see [`VERSION`]), or
//! any `axe.min.js` named by `ACP_AXE_JS`. Violations of WCAG 2.0/2.1 A and AA are
//! collected across the whole run (each page once per document, and again before every
//! screenshot, since those show the states that matter) and the run fails on any.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde_json::{Value, json};

/// The axe-core version `.ci/run` installs; printed and compared with what was loaded.
pub const VERSION: &str = "4.10.3";

/// The WCAG tags checked: 2.0 and 2.1, levels A and AA.
const TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

static SOURCE: OnceLock<Option<String>> = OnceLock::new();
static FOUND: Mutex<Vec<Violation>> = Mutex::new(Vec::new());
static PAGES: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// One violation of one rule on one page.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The page, as a URL path with its secret tokens shortened.
    pub page: String,
    /// Which browser saw it (facilitator, table1, …).
    pub browser: String,
    pub id: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

/// Where axe-core's browser build is expected.
pub fn source_path() -> PathBuf {
    std::env::var_os("ACP_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/axe/node_modules/axe-core/axe.min.js")
        })
}

/// Loads axe-core once; `None` (checks off) when it is not installed.
pub fn load() -> Option<&'static str> {
    SOURCE
        .get_or_init(|| std::fs::read_to_string(source_path()).ok())
        .as_deref()
}

/// Whether axe-core was loaded for this run.
pub fn enabled() -> bool {
    SOURCE.get().is_some_and(Option::is_some)
}

/// The script that injects axe (once per document) and runs it; its callback gets
/// `{version, violations}` or `{error}`.
fn run_script() -> String {
    format!(
        "const done = arguments[arguments.length - 1];
         if (typeof window.axe === 'undefined') {{ {source} }}
         window.axe.run(document, {{ runOnly: {{ type: 'tag', values: {tags} }}, resultTypes: ['violations'] }})
           .then(r => {{ window.__acpAxeChecked = true; done({{ version: window.axe.version, violations: r.violations.map(v => ({{
               id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
               targets: v.nodes.map(n => n.target.join(' '))
             }})) }}); }})
           .catch(e => done({{ error: String(e) }}));",
        source = load().unwrap_or_default(),
        tags = json!(TAGS),
    )
}

fn script() -> &'static str {
    static SCRIPT: OnceLock<String> = OnceLock::new();
    SCRIPT.get_or_init(run_script)
}

/// A URL path with long secret tokens shortened, so the report names the page kind.
pub fn page_name(url: &str) -> String {
    let path = url
        .split_once("://")
        .map(|(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]))
        .unwrap_or(url);
    path.split('/')
        .map(|part| {
            if part.len() > 12 {
                format!("{}…", &part[..6.min(part.len())])
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The async script to hand to WebDriver's execute/async, when axe is on.
pub fn check_script() -> Option<&'static str> {
    enabled().then(script)
}

/// Records the outcome of one axe run on `url` in `browser`.
pub fn record(browser: &str, url: &str, outcome: &Value) {
    let page = page_name(url);
    PAGES.lock().expect("pages").insert(page.clone());
    if let Some(error) = outcome.get("error").and_then(Value::as_str) {
        FOUND.lock().expect("found").push(Violation {
            page,
            browser: browser.to_string(),
            id: "axe-error".into(),
            impact: "unknown".into(),
            help: format!("axe-core could not run: {error}"),
            targets: vec![],
        });
        return;
    }
    if let Some(version) = outcome.get("version").and_then(Value::as_str)
        && version != VERSION
    {
        eprintln!("note: axe-core {version} loaded; .ci/run pins {VERSION}");
    }
    let Some(list) = outcome.get("violations").and_then(Value::as_array) else {
        FOUND.lock().expect("found").push(Violation {
            page,
            browser: browser.to_string(),
            id: "axe-error".into(),
            impact: "unknown".into(),
            help: format!("axe-core returned no result: {outcome}"),
            targets: vec![],
        });
        return;
    };
    let mut found = FOUND.lock().expect("found");
    for v in list {
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let targets: Vec<String> = v
            .get("targets")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let violation = Violation {
            page: page.clone(),
            browser: browser.to_string(),
            id: text("id"),
            impact: text("impact"),
            help: format!("{} ({})", text("help"), text("helpUrl")),
            targets,
        };
        let seen = found.iter().any(|f| {
            f.page == violation.page && f.id == violation.id && f.targets == violation.targets
        });
        if !seen {
            found.push(violation);
        }
    }
}

/// Prints every violation found; returns how many there were and how many pages were checked.
pub fn report() -> (usize, usize) {
    let found = FOUND.lock().expect("found");
    let pages = PAGES.lock().expect("pages");
    for v in found.iter() {
        println!(
            "axe violation {id} ({impact}) on {page} [{browser}]: {help}\n    targets: {targets}",
            id = v.id,
            impact = v.impact,
            page = v.page,
            browser = v.browser,
            help = v.help,
            targets = if v.targets.is_empty() {
                "-".to_string()
            } else {
                v.targets.join(" | ")
            },
        );
    }
    (found.len(), pages.len())
}
