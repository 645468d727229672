//! Builds the app over an in-memory database and the fixture content, and drives it.

use std::path::{Path, PathBuf};

use acp_workbook::content::Library;
use acp_workbook::db::Db;
use acp_workbook::{AppState, app};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The fixture content folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content")
}

/// A copy of the fixture content in a temporary folder, to break or change.
pub fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["curricula", "cases"] {
        std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
        for entry in std::fs::read_dir(fixtures().join(folder)).expect("fixtures") {
            let entry = entry.expect("entry");
            std::fs::copy(
                entry.path(),
                dir.path().join(folder).join(entry.file_name()),
            )
            .expect("copy");
        }
    }
    dir
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

/// The app under test.
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    /// The organizer's sign-in cookie, sent with every request unless `anon` is used.
    pub organizer: String,
    /// This client's device cookie (`acp_device`), kept like a browser keeps it: the
    /// device that joins a table first holds it. See [`TestApp::other_device`].
    pub device: std::sync::Mutex<Option<String>>,
}

impl TestApp {
    /// The app over a fresh in-memory database and the fixture content.
    pub fn new() -> Self {
        Self::with(Db::open_in_memory().expect("db"), &fixtures())
    }

    /// The app over a given database and content folder.
    pub fn with(db: Db, content: &Path) -> Self {
        let library = Library::load(content)
            .unwrap_or_else(|p| panic!("fixture content has problems: {p:?}"));
        let state = AppState::new(db, library)
            .expect("state")
            .with_content_dir(content.to_path_buf());
        let token = state
            .db
            .write_blocking(|conn| acp_workbook::server::auth::new_login(conn))
            .expect("an organizer sign-in");
        Self {
            router: app(state.clone()),
            state,
            organizer: format!("{}={token}", acp_workbook::server::auth::COOKIE),
            device: Default::default(),
        }
    }

    /// The same app seen from another browser: no device cookie yet.
    pub fn other_device(&self) -> TestApp {
        TestApp {
            router: self.router.clone(),
            state: self.state.clone(),
            organizer: self.organizer.clone(),
            device: Default::default(),
        }
    }

    async fn send(&self, mut request: Request<Body>) -> Page {
        let cookies = match request
            .headers()
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
        {
            Some(existing) => format!("{existing}; {}", self.organizer),
            None => self.organizer.clone(),
        };
        request
            .headers_mut()
            .insert(header::COOKIE, cookies.parse().expect("cookie"));
        self.send_anon(request).await
    }

    /// Sends a request without the organizer's cookie, as a table or a stranger would.
    pub async fn send_anon(&self, mut request: Request<Body>) -> Page {
        let device = self.device.lock().expect("jar").clone();
        if let Some(device) = device {
            let cookies = match request
                .headers()
                .get(header::COOKIE)
                .and_then(|v| v.to_str().ok())
            {
                Some(existing) if existing.contains("acp_device=") => existing.to_string(),
                Some(existing) => format!("{existing}; {device}"),
                None => device,
            };
            request
                .headers_mut()
                .insert(header::COOKIE, cookies.parse().expect("cookie"));
        }
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        for value in response.headers().get_all(header::SET_COOKIE) {
            if let Some(pair) = value
                .to_str()
                .ok()
                .and_then(|v| v.split(';').next())
                .filter(|p| p.starts_with("acp_device="))
            {
                *self.device.lock().expect("jar") = Some(pair.to_string());
            }
        }
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().expect("ascii").to_string());
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Page {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).to_string(),
        }
    }

    /// GET in Japanese.
    pub async fn get(&self, path: &str) -> Page {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    /// GET with the English cookie.
    pub async fn get_en(&self, path: &str) -> Page {
        self.send(
            Request::get(path)
                .header(header::COOKIE, "lang=en")
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// POST a form given as pairs (URL-encoded here).
    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Page {
        self.post_with(path, pairs, &[]).await
    }

    /// POST a form with extra headers (`accept` for the page script's JSON, `cookie` for
    /// the language); the organizer's cookie is added as for every request.
    pub async fn post_with(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }

    /// POST raw bytes as a form.
    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> Page {
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    /// Creates a session of the fixture curriculum; returns (facilitator path, join code, session id).
    pub async fn create_session(&self, tables: &str) -> (String, String, String) {
        let page = self
            .post(
                "/sessions",
                &[
                    ("curriculum", "mini"),
                    ("title", "テスト研修会"),
                    ("held_on", "2026-11-30"),
                    ("place", "市民会館"),
                    ("tables", tables),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let facilitator = page.location.expect("redirect to facilitator view");
        let session = self.session_of(&facilitator);
        (facilitator, session.join_code, session.id)
    }

    /// The session behind a facilitator path (`/f/{key}`).
    pub fn session_of(&self, facilitator: &str) -> acp_workbook::db::sessions::SessionRow {
        let key = facilitator.trim_start_matches("/f/").to_string();
        self.state
            .db
            .read_blocking(move |conn| {
                acp_workbook::db::sessions::session_by_facilitator_key(conn, &key)
            })
            .expect("query")
            .expect("session")
    }

    /// Joins as table `number` and declares its professions; returns the table path.
    pub async fn join(&self, code: &str, number: &str, professions: &[&str]) -> String {
        let page = self
            .post("/join", &[("code", code), ("table", number)])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let table = page.location.expect("table path");
        let pairs: Vec<_> = professions.iter().map(|p| ("profession", *p)).collect();
        let roster = self.post(&format!("{table}/roster"), &pairs).await;
        assert_eq!(roster.status, StatusCode::SEE_OTHER, "{}", roster.body);
        table
    }

    /// Moves the session to step `to` (0-based).
    pub async fn goto(&self, facilitator: &str, to: usize) {
        let page = self
            .post(&format!("{facilitator}/step"), &[("to", &to.to_string())])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
}

/// GET without the organizer's cookie.
impl TestApp {
    pub async fn get_anon(&self, path: &str) -> Page {
        self.send_anon(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
