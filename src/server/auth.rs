//! Who may do what: the organizer signs in (a password set by environment variable,
//! or a code printed at start); facilitators, table screens and projectors hold secret
//! links (capabilities) for one session or one table. Also: state-changing requests
//! from other sites are refused, and failed sign-ins and joins are slowed per client.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::{Argon2, Block};
use axum::extract::{ConnectInfo, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{AppError, AppState, Form, PageLang, see_other};
use crate::db::{now_ms, signin};

/// Signing the organizer in and out; failed passwords are counted per address.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/signin", get(sign_in_form).post(sign_in))
        .route("/signout", post(sign_out))
}

/// Name of the organizer's sign-in cookie.
pub const COOKIE: &str = "acp_org";
/// How long a sign-in lasts: a long meeting day.
pub const SIGN_IN_HOURS: i64 = 14;

/// The organizer's secret, as configured at start.
pub enum OrganizerSecret {
    /// A password from `ACP_ORGANIZER_PASSWORD`, kept only as an Argon2id hash.
    Password {
        /// Random salt.
        salt: [u8; 16],
        /// Argon2id of the password.
        hash: [u8; 32],
    },
    /// A code made at start and printed on the console (like a notebook server).
    Code(String),
}

impl OrganizerSecret {
    /// Hashes a configured password.
    pub fn password(password: &str) -> anyhow::Result<Self> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("random salt: {e}"))?;
        let mut hash = [0u8; 32];
        Argon2::default()
            .hash_password_into(password.as_bytes(), &salt, &mut hash)
            .map_err(|e| anyhow::anyhow!("hashing the organizer password: {e}"))?;
        Ok(Self::Password { salt, hash })
    }

    /// A fresh random code.
    pub fn random_code() -> Self {
        let code = crate::token::secret();
        Self::Code(format!("{}-{}-{}", &code[0..4], &code[4..8], &code[8..12]))
    }

    /// The printed code, if this secret is one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Code(code) => Some(code),
            Self::Password { .. } => None,
        }
    }

    /// True when `typed` is the secret; a password is hashed in `memory` (Argon2's
    /// working memory, [`HASH_BLOCKS`] blocks), so no hash allocates its own.
    fn matches(&self, typed: &str, memory: &mut [Block]) -> bool {
        let typed = typed.trim();
        match self {
            Self::Code(code) => constant_time_eq(&sha(code), &sha(typed)),
            Self::Password { salt, hash } => {
                let mut out = [0u8; 32];
                Argon2::default()
                    .hash_password_into_with_memory(typed.as_bytes(), salt, &mut out, memory)
                    .is_ok()
                    && constant_time_eq(&out, hash)
            }
        }
    }
}

/// Argon2 password checks that may run at once. Each needs ~19 MiB of working memory
/// and a core for a fraction of a second: more at once would only make every one
/// slower and the server's memory grow with the number of attempts.
pub const HASHES_AT_ONCE: usize = 2;

/// Blocks of Argon2's working memory per hash (the default parameters: 19 MiB).
const HASH_BLOCKS: usize = argon2::Params::DEFAULT_M_COST as usize;

/// The places where a sign-in's password may be checked: [`HASHES_AT_ONCE`] permits,
/// each with its working memory allocated once and reused, so memory stays flat
/// however many attempts arrive together; an attempt that finds no free place is
/// refused at once, without hashing.
pub struct HashSlots {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    memory: Mutex<Vec<Vec<Block>>>,
}

impl Default for HashSlots {
    fn default() -> Self {
        Self {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(HASHES_AT_ONCE)),
            memory: Mutex::default(),
        }
    }
}

impl HashSlots {
    /// A free place, or None when [`HASHES_AT_ONCE`] checks are running.
    fn try_take(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        self.permits.clone().try_acquire_owned().ok()
    }

    /// Checks `typed` on a blocking thread (off the async workers), holding `permit`.
    async fn check(
        self: std::sync::Arc<Self>,
        permit: tokio::sync::OwnedSemaphorePermit,
        secret: std::sync::Arc<OrganizerSecret>,
        typed: String,
    ) -> Result<bool, AppError> {
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            // At most HASHES_AT_ONCE buffers ever exist: one per permit.
            let mut memory = self
                .memory
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .pop()
                .unwrap_or_else(|| vec![Block::new(); HASH_BLOCKS]);
            let ok = secret.matches(&typed, &mut memory);
            self.memory
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(memory);
            ok
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))
    }
}

fn sha(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn token_hash(token: &str) -> String {
    sha(token).iter().map(|b| format!("{b:02x}")).collect()
}

/// Failed attempts per client address, forgotten after a window. Successful joins never
/// count, so a hall sharing one public address is not blocked by its own people.
pub struct Attempts {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl Attempts {
    /// A limit of `max` failures per `window`.
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            seen: Mutex::default(),
        }
    }

    /// Takes one attempt before it is evaluated, counted as a failure until
    /// [`Attempts::refund`]: attempts arriving together cannot all pass the check
    /// before any of them is counted. False when the client has no attempt left.
    pub fn reserve(&self, ip: Option<IpAddr>) -> bool {
        let Some(ip) = ip else { return true };
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 10_000 {
            let window = self.window;
            seen.retain(|_, (_, since)| since.elapsed() < window);
        }
        let entry = seen.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.window {
            *entry = (0, Instant::now());
        }
        if entry.0 >= self.max {
            return false;
        }
        entry.0 += 1;
        true
    }

    /// Gives back an attempt taken by [`Attempts::reserve`] (it succeeded, or was not
    /// evaluated after all).
    pub fn refund(&self, ip: Option<IpAddr>) {
        let Some(ip) = ip else { return };
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = seen.get_mut(&ip) {
            entry.0 = entry.0.saturating_sub(1);
        }
    }

    /// True when the client may try again.
    pub fn allowed(&self, ip: Option<IpAddr>) -> bool {
        let Some(ip) = ip else { return true };
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        match seen.get(&ip) {
            Some((count, since)) if since.elapsed() < self.window => *count < self.max,
            _ => true,
        }
    }

    /// Counts a failure.
    pub fn failed(&self, ip: Option<IpAddr>) {
        let Some(ip) = ip else { return };
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 10_000 {
            let window = self.window;
            seen.retain(|_, (_, since)| since.elapsed() < window);
        }
        let entry = seen.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }
}

/// The client's address when the server knows it (not in in-process tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

pub(crate) fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
}

/// Proof that the request comes from a signed-in organizer. The organizer's routes are
/// behind [`organizer_only`], which leaves this in the request; a handler that takes it
/// is guarded even if it were ever mounted outside that layer.
#[derive(Debug, Clone, Copy)]
pub struct Organizer;

/// The layer in front of every organizer-only route: a request without a valid
/// organizer sign-in gets the 403 page before any handler, path or form is looked at.
pub async fn organizer_only(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    match is_organizer(&state, req.headers()).await {
        Ok(true) => {
            req.extensions_mut().insert(Organizer);
            next.run(req).await
        }
        Ok(false) => {
            AppError::user(StatusCode::FORBIDDEN, "err.organizer_only", Vec::new()).into_response()
        }
        Err(e) => e.into_response(),
    }
}

impl FromRequestParts<AppState> for Organizer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Checked once by the layer; only a route outside it looks again.
        if parts.extensions.get::<Organizer>().is_some()
            || is_organizer(state, &parts.headers).await?
        {
            Ok(Organizer)
        } else {
            Err(AppError::user(
                StatusCode::FORBIDDEN,
                "err.organizer_only",
                Vec::new(),
            ))
        }
    }
}

/// True when the request carries a valid organizer sign-in.
pub async fn is_organizer(state: &AppState, headers: &HeaderMap) -> Result<bool, AppError> {
    let Some(token) = cookie_value(headers, COOKIE) else {
        return Ok(false);
    };
    let hash = token_hash(token);
    let now = now_ms();
    let found = state
        .db
        .read(move |conn| signin::is_signed_in(conn, &hash, now))
        .await?;
    Ok(found)
}

/// Prefill for the sign-in form (the link printed at start carries the code).
#[derive(Debug, Deserialize)]
pub struct SignInQuery {
    code: Option<String>,
}

/// The sign-in page.
pub async fn sign_in_form(
    State(state): State<AppState>,
    lang: PageLang,
    Query(q): Query<SignInQuery>,
) -> Result<Response, AppError> {
    let password = matches!(*state.organizer, OrganizerSecret::Password { .. });
    state.page(
        lang,
        "signin.html",
        context! { code => q.code.unwrap_or_default(), password, error => false },
    )
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    secret: String,
}

/// Checks the organizer's secret and sets the sign-in cookie.
pub async fn sign_in(
    State(state): State<AppState>,
    lang: PageLang,
    ClientIp(ip): ClientIp,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    // A place to check first (cheap), then the attempt is counted before the slow
    // hash: a flood gets 429 at once and never more than HASHES_AT_ONCE hashes run.
    let permit = match &*state.organizer {
        OrganizerSecret::Password { .. } => match state.hash_slots.try_take() {
            Some(permit) => Some(permit),
            None => {
                return Err(AppError::user(
                    StatusCode::TOO_MANY_REQUESTS,
                    "err.signin_busy",
                    Vec::new(),
                ));
            }
        },
        OrganizerSecret::Code(_) => None,
    };
    if !state.attempts.reserve(ip) {
        return Err(AppError::user(
            StatusCode::TOO_MANY_REQUESTS,
            "err.too_many_attempts",
            Vec::new(),
        ));
    }
    let ok = match permit {
        Some(permit) => {
            state
                .hash_slots
                .clone()
                .check(permit, state.organizer.clone(), form.secret)
                .await?
        }
        None => state.organizer.matches(&form.secret, &mut []),
    };
    if !ok {
        let password = matches!(*state.organizer, OrganizerSecret::Password { .. });
        let mut page = state.page(
            lang,
            "signin.html",
            context! { code => "", password, error => true },
        )?;
        *page.status_mut() = StatusCode::FORBIDDEN;
        return Ok(page);
    }
    state.attempts.refund(ip);
    let token = state.db.write(|conn| new_login(conn)).await?;
    let mut response = see_other("/");
    let cookie = format!(
        "{COOKIE}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict",
        SIGN_IN_HOURS * 3600
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// Stores a new organizer sign-in and returns its token (only its hash is kept).
pub fn new_login(conn: &rusqlite::Connection) -> Result<String, crate::db::DbError> {
    let token = crate::token::secret();
    let now = now_ms();
    signin::add_login(
        conn,
        &token_hash(&token),
        now,
        now + SIGN_IN_HOURS * 3_600_000,
    )?;
    Ok(token)
}

/// Ends the organizer's sign-in on this browser.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = cookie_value(&headers, COOKIE) {
        let hash = token_hash(token);
        state
            .db
            .write(move |conn| signin::remove_login(conn, &hash))
            .await?;
    }
    let mut response = see_other("/");
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("acp_org=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"),
    );
    Ok(response)
}

/// Refuses state-changing requests that another site's page sends (CSRF): the
/// browser says where a request comes from in `Origin` and `Sec-Fetch-Site`.
pub async fn same_origin_only(req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let headers = req.headers();
        // Browsers say where a request comes from in Sec-Fetch-Site; trust it when present.
        // Otherwise compare Origin with Host (with our no-referrer policy a browser may send
        // `Origin: null` for its own forms, but it then also sends Sec-Fetch-Site).
        let foreign = match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            Some(site) => !matches!(site, "same-origin" | "none"),
            None => {
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
                match (
                    headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
                    host,
                ) {
                    (Some("null"), _) => true,
                    (Some(origin), Some(host)) => {
                        origin.split_once("://").map(|(_, rest)| rest) != Some(host)
                    }
                    _ => false,
                }
            }
        };
        if foreign {
            return AppError::user(StatusCode::FORBIDDEN, "err.cross_site", Vec::new())
                .into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_codes_match_only_themselves() {
        let secret = OrganizerSecret::password("正しいパスワード").expect("hash");
        let mut memory = vec![Block::new(); HASH_BLOCKS];
        assert!(secret.matches("正しいパスワード", &mut memory));
        assert!(!secret.matches("ちがうパスワード", &mut memory));
        let code = OrganizerSecret::random_code();
        let text = code.code().expect("a code").to_string();
        assert!(code.matches(&format!(" {text} "), &mut []));
        assert!(!code.matches("", &mut []));
    }

    #[test]
    fn failures_are_counted_per_client_and_forgotten() {
        let attempts = Attempts::new(3, Duration::from_millis(50));
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        for _ in 0..3 {
            attempts.failed(Some(a));
        }
        assert!(!attempts.allowed(Some(a)));
        assert!(attempts.allowed(Some(b)));
        std::thread::sleep(Duration::from_millis(60));
        assert!(attempts.allowed(Some(a)));
    }

    #[test]
    fn reserved_attempts_count_until_refunded() {
        let attempts = Attempts::new(2, Duration::from_secs(60));
        let a: IpAddr = [10, 0, 0, 1].into();
        assert!(attempts.reserve(Some(a)));
        assert!(attempts.reserve(Some(a)));
        assert!(!attempts.reserve(Some(a)), "both places are taken");
        attempts.refund(Some(a));
        assert!(attempts.reserve(Some(a)), "a success gives its place back");
        assert!(
            attempts.reserve(None),
            "in-process requests have no address"
        );
    }
}
