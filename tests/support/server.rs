//! The real server as a child process, for tests that must kill and restart it, and a
//! plain HTTP client. Shared by the `app` and `browser` test crates.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// An HTTP client that does not follow redirects and returns error statuses as responses.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// Polls `check` until it returns Some, or panics with `what` after `timeout`.
pub fn wait_for<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// The organizer password the test servers are started with.
pub const ORGANIZER_PASSWORD: &str = "test-organizer-password";

/// The acp-workbook server, run from the built binary so a test can kill and restart it.
pub struct Server {
    child: Option<Child>,
    pub port: u16,
    db: PathBuf,
    content: PathBuf,
    env: Vec<(String, String)>,
}

impl Server {
    /// Starts the server and waits until it answers.
    pub fn start(port: u16, db: &Path, content: &Path) -> Self {
        Self::start_with_env(port, db, content, &[])
    }

    /// Starts the server with extra environment variables (short timeouts, limits).
    pub fn start_with_env(port: u16, db: &Path, content: &Path, env: &[(&str, &str)]) -> Self {
        let mut server = Self {
            child: None,
            port,
            db: db.to_path_buf(),
            content: content.to_path_buf(),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        server.restart();
        server
    }

    /// The server process's id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The server's base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Signs in as the organizer and returns the `Cookie` header value to send.
    pub fn organizer_cookie(&self) -> String {
        let response = agent()
            .post(&format!("{}/signin", self.url()))
            .send_form([("secret", ORGANIZER_PASSWORD)])
            .expect("sign in");
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("a sign-in cookie");
        cookie.split(';').next().unwrap_or_default().to_string()
    }

    /// Kills the server like a crash would (SIGKILL).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port and database.
    pub fn restart(&mut self) {
        self.kill();
        let child = Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
            .args(["serve", "--addr", &format!("127.0.0.1:{}", self.port)])
            .arg("--db")
            .arg(&self.db)
            .arg("--content")
            .arg(&self.content)
            .env("ACP_LOG", "warn")
            .env("ACP_ORGANIZER_PASSWORD", ORGANIZER_PASSWORD)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server binary starts");
        self.child = Some(child);
        let health = format!("{}/healthz", self.url());
        wait_for("the server to answer", Duration::from_secs(20), || {
            agent()
                .get(&health)
                .call()
                .ok()
                .filter(|r| r.status() == 200)
                .map(|_| ())
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
