//! A table belongs to its devices (issue 13, finding 3).
//!
//! A device is a random id in an HttpOnly cookie (`acp_device`); the server keeps only
//! its SHA-256. The first device to join a table with the join code and number claims
//! it. Another device joins only with something the table holds: the table's QR code
//! (its address carries a key derived from the table's secret token), the pairing code
//! on the table's own screen, or the facilitator's approval. Every `/t/{token}` request
//! must come from a device of that table, so the token in an address (a browser's
//! history, a released device) is not enough on its own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use minijinja::context;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::broadcast;

use super::auth::{ClientIp, cookie_value};
use super::{AppError, AppState, Form, PageLang, see_other, session_for_key, wants_json};
use crate::db::devices::{self as store, DeviceRow, PairingCheck, Via};
use crate::db::{Actor, sessions, tables, tables::TableRow};
use crate::live::Audience;
use crate::render::to_value;

/// Pairing a device with a table (open: the join code or QR key is the proof) and the
/// facilitator's device controls (behind the `/f/{key}` link).
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/j/{code}/{number}/{key}", get(join_qr))
        .route("/join/pair", post(pair))
        .route("/join/ask", post(ask))
        .route("/join/wait/{request}", get(wait))
        .route("/f/{key}/devices/release", post(release))
        .route("/f/{key}/devices/approve", post(approve))
        .route("/f/{key}/devices/refuse", post(refuse))
        .route("/f/{key}/devices/{number}/open", get(open))
}

/// Name of the device cookie.
pub const COOKIE: &str = "acp_device";
/// How long a device is remembered by its browser: a browser restart, a long day, a
/// follow-up meeting.
const COOKIE_DAYS: i64 = 30;

/// Limits and signals shared by the device handlers.
pub struct Devices {
    /// Wrong pairing codes (and QR keys) per client address.
    by_address: Failures,
    /// Wrong pairing codes per table.
    by_table: Failures,
    /// Requests to the facilitator per client address.
    asks: Failures,
    /// Device row ids released by the facilitator: their open streams end.
    released: broadcast::Sender<i64>,
}

impl Default for Devices {
    fn default() -> Self {
        let ten_minutes = Duration::from_secs(600);
        Self {
            by_address: Failures::new(10, ten_minutes),
            by_table: Failures::new(20, ten_minutes),
            asks: Failures::new(10, ten_minutes),
            released: broadcast::channel(64).0,
        }
    }
}

/// Counts of events per key within a window.
struct Failures {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Failures {
    fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            seen: Mutex::default(),
        }
    }

    fn allowed(&self, key: &str) -> bool {
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        match seen.get(key) {
            Some((count, since)) if since.elapsed() < self.window => *count < self.max,
            _ => true,
        }
    }

    fn count(&self, key: &str) {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 10_000 {
            let window = self.window;
            seen.retain(|_, (_, since)| since.elapsed() < window);
        }
        let entry = seen.entry(key.to_string()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }
}

fn hex_sha(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The key in a table's QR code: derived from the table's secret token, so it cannot
/// be guessed from the join code and number, and a new token (an import) makes a new one.
pub fn qr_key(token: &str) -> String {
    hex_sha(&format!("acp-table-qr:{token}"))[..24].to_string()
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// This browser's device: the hash of its cookie, and the new cookie value to set when
/// it had none.
struct DeviceId {
    hash: String,
    fresh: Option<String>,
}

fn device_id(headers: &HeaderMap) -> DeviceId {
    match cookie_value(headers, COOKIE)
        .filter(|c| c.len() == 32 && c.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        Some(token) => DeviceId {
            hash: hex_sha(token),
            fresh: None,
        },
        None => {
            let token = crate::token::secret();
            DeviceId {
                hash: hex_sha(&token),
                fresh: Some(token),
            }
        }
    }
}

fn known_hash(headers: &HeaderMap) -> Option<String> {
    let id = device_id(headers);
    id.fresh.is_none().then_some(id.hash)
}

/// Sets the device cookie on a response when the browser had none.
fn with_cookie(mut response: Response, id: &DeviceId) -> Response {
    if let Some(token) = &id.fresh {
        let cookie = format!(
            "{COOKIE}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax",
            COOKIE_DAYS * 86_400
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The browser and system from a User-Agent, short enough for the facilitator's list.
pub fn agent_family(headers: &HeaderMap) -> String {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("SamsungBrowser") {
        "Samsung Internet"
    } else if ua.contains("Firefox/") || ua.contains("FxiOS") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("CriOS") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        ""
    };
    let system = if ua.contains("iPhone") {
        "iPhone"
    } else if ua.contains("iPad") {
        "iPad"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "Mac"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") => String::new(),
        (b, "") => b.to_string(),
        ("", s) => s.to_string(),
        (b, s) => format!("{b} · {s}"),
    }
}

/// The device of a table a `/t/{token}` request comes from (put there by [`guard`]).
#[derive(Debug, Clone)]
pub struct TableDevice {
    /// The `table_device` row the device cookie matched.
    pub id: i64,
    /// The number shown as 端末N in the audit log and the facilitator's device list.
    pub label: i64,
}

/// Lets a `/t/{token}` request through only from a device of that table. Anyone else
/// (no cookie, another table's device, a released device) gets the table's join page:
/// scan the QR code, type the pairing code, or ask the facilitator.
pub async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(token) = req
        .uri()
        .path()
        .strip_prefix("/t/")
        .and_then(|rest| rest.split('/').next())
        .map(str::to_string)
    else {
        return next.run(req).await;
    };
    let hash = known_hash(req.headers());
    // Every table request passes here: read from the pool, and write `seen` only when
    // it is stale, so a screen's polling does not queue behind the writer.
    let found = state
        .db
        .read(move |conn| {
            let Some(table) = tables::table_by_token(conn, &token)? else {
                return Ok(None);
            };
            let device = match hash {
                Some(hash) => store::device(conn, table.id, &hash)?,
                None => None,
            };
            Ok(Some((table, device)))
        })
        .await;
    let (table, device) = match found {
        Ok(Some(found)) => found,
        // An unknown token: the link is wrong, as before.
        Ok(None) => return AppError::not_found("err.table_link").into_response(),
        Err(e) => return AppError::from(e).into_response(),
    };
    if let Some(d) = device.as_ref().filter(|d| d.released_at.is_none()) {
        if d.seen_is_stale(crate::db::now_ms()) {
            let d = d.clone();
            if let Err(e) = state.db.write(move |conn| store::seen(conn, &d)).await {
                return AppError::from(e).into_response();
            }
        }
        req.extensions_mut().insert(TableDevice {
            id: d.id,
            label: d.label,
        });
        return next.run(req).await;
    }
    let released = device.is_some();
    let lang = PageLang::from_headers(req.headers(), req.uri().path());
    if req.method() == Method::GET && !wants_json(req.headers()) {
        return refusal(&state, lang, &table, released, None, StatusCode::FORBIDDEN)
            .await
            .unwrap_or_else(IntoResponse::into_response);
    }
    let key = if released {
        "err.device_released"
    } else {
        "err.device_not_joined"
    };
    AppError::user(StatusCode::FORBIDDEN, key, vec![table.number.to_string()]).into_response()
}

/// The page a device sees when it may not open a table (yet).
async fn refusal(
    state: &AppState,
    lang: PageLang,
    table: &TableRow,
    released: bool,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let session_id = table.session_id.clone();
    let session = state
        .db
        .read(move |conn| sessions::session(conn, &session_id))
        .await?
        .ok_or_else(|| AppError::not_found("err.session"))?;
    let mut page = state.page(
        lang,
        "device_join.html",
        context! { table => to_value(table), code => session.join_code, released, error },
    )?;
    *page.status_mut() = status;
    Ok(page)
}

/// Joining with the join code and number: the first device claims the table; a device
/// that has joined before comes back; anyone else is shown how to join.
pub async fn enter_with_code(
    state: &AppState,
    lang: PageLang,
    headers: &HeaderMap,
    table: TableRow,
) -> Result<Response, AppError> {
    let id = device_id(headers);
    let agent = agent_family(headers);
    let (hash, table_id, session_id) = (id.hash.clone(), table.id, table.session_id.clone());
    let outcome = state
        .db
        .write(move |conn| {
            if let Some(d) = store::device(conn, table_id, &hash)? {
                if d.released_at.is_none() {
                    store::seen(conn, &d)?;
                    return Ok(Ok(false));
                }
                // Released by the facilitator: the code and number alone never bring it back.
                return Ok(Err(true));
            }
            if store::is_claimed(conn, table_id)? {
                return Ok(Err(false));
            }
            store::admit(
                conn,
                &session_id,
                table_id,
                &hash,
                &agent,
                Via::First,
                Actor::Table,
            )?;
            Ok(Ok(true))
        })
        .await?;
    match outcome {
        Ok(claimed) => {
            if claimed {
                devices_changed(state, &table);
            }
            Ok(with_cookie(see_other(&format!("/t/{}", table.token)), &id))
        }
        Err(released) => Ok(with_cookie(
            refusal(state, lang, &table, released, None, StatusCode::FORBIDDEN).await?,
            &id,
        )),
    }
}

/// Tells the facilitator's screens that a table's devices or requests changed.
fn devices_changed(state: &AppState, table: &TableRow) {
    state.hub.publish(
        &table.session_id,
        Audience::Staff,
        "devices",
        &serde_json::json!({ "table": table.number }),
    );
}

/// Shows a table's new pairing code on its screens.
fn pairing_changed(state: &AppState, table: &TableRow, code: &str) {
    state.hub.publish(
        &table.session_id,
        Audience::Table(table.id),
        "pairing",
        &serde_json::json!({ "code": code }),
    );
}

/// The address in a table's QR code: `/j/{code}/{number}/{key}`. The key proves the
/// device is at the table (it scanned the card), so it joins even a claimed table.
pub async fn join_qr(
    State(state): State<AppState>,
    ip: ClientIp,
    lang: PageLang,
    headers: HeaderMap,
    Path((code, number, key)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let address = address_key(ip);
    if !state.devices.by_address.allowed(&address) {
        return Err(AppError::user(
            StatusCode::TOO_MANY_REQUESTS,
            "err.too_many_pairing",
            Vec::new(),
        ));
    }
    let table = super::table::find_table(&state, ip, &code, &number).await?;
    if !same(&qr_key(&table.token), key.trim()) {
        state.devices.by_address.count(&address);
        let id = device_id(&headers);
        return Ok(with_cookie(
            refusal(
                &state,
                lang,
                &table,
                false,
                Some("device.qr_wrong"),
                StatusCode::FORBIDDEN,
            )
            .await?,
            &id,
        ));
    }
    admit_and_open(&state, &headers, table, Via::Qr).await
}

async fn admit_and_open(
    state: &AppState,
    headers: &HeaderMap,
    table: TableRow,
    via: Via,
) -> Result<Response, AppError> {
    let id = device_id(headers);
    let agent = agent_family(headers);
    let (hash, table_id, session_id) = (id.hash.clone(), table.id, table.session_id.clone());
    let actor = if via == Via::Facilitator {
        Actor::Facilitator
    } else {
        Actor::Table
    };
    state
        .db
        .write(move |conn| store::admit(conn, &session_id, table_id, &hash, &agent, via, actor))
        .await?;
    devices_changed(state, &table);
    Ok(with_cookie(see_other(&format!("/t/{}", table.token)), &id))
}

fn address_key(ClientIp(ip): ClientIp) -> String {
    ip.map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
}

/// The pairing form on the refusal page.
#[derive(Debug, Deserialize)]
pub struct PairForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    table: String,
    #[serde(default)]
    pairing: String,
}

/// Joins a claimed table with the pairing code its screen shows. Wrong codes are
/// counted per address and per table; a code changes after a few wrong tries.
pub async fn pair(
    State(state): State<AppState>,
    ip: ClientIp,
    lang: PageLang,
    headers: HeaderMap,
    Form(form): Form<PairForm>,
) -> Result<Response, AppError> {
    let table = super::table::find_table(&state, ip, &form.code, &form.table).await?;
    let address = address_key(ip);
    let table_key = table.id.to_string();
    if !state.devices.by_address.allowed(&address) || !state.devices.by_table.allowed(&table_key) {
        let id = device_id(&headers);
        return Ok(with_cookie(
            refusal(
                &state,
                lang,
                &table,
                false,
                Some("err.too_many_pairing"),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await?,
            &id,
        ));
    }
    let typed: String = form
        .pairing
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            c if c.is_ascii_digit() => Some(c),
            _ => None,
        })
        .collect();
    let table_id = table.id;
    let check = state
        .db
        .write(move |conn| store::check_pairing(conn, table_id, &typed))
        .await?;
    match check {
        PairingCheck::Used(next) => {
            pairing_changed(&state, &table, &next);
            admit_and_open(&state, &headers, table, Via::Pairing).await
        }
        PairingCheck::Wrong(changed) => {
            state.devices.by_address.count(&address);
            state.devices.by_table.count(&table_key);
            if let Some(next) = changed {
                pairing_changed(&state, &table, &next);
            }
            let id = device_id(&headers);
            Ok(with_cookie(
                refusal(
                    &state,
                    lang,
                    &table,
                    false,
                    Some("device.pairing_wrong"),
                    StatusCode::FORBIDDEN,
                )
                .await?,
                &id,
            ))
        }
    }
}

/// The ask-the-facilitator form on the refusal page.
#[derive(Debug, Deserialize)]
pub struct AskForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    table: String,
}

/// Asks the facilitator to let this device join a table; then waits for the answer.
pub async fn ask(
    State(state): State<AppState>,
    ip: ClientIp,
    lang: PageLang,
    headers: HeaderMap,
    Form(form): Form<AskForm>,
) -> Result<Response, AppError> {
    let table = super::table::find_table(&state, ip, &form.code, &form.table).await?;
    let id = device_id(&headers);
    let address = address_key(ip);
    if !state.devices.asks.allowed(&address) {
        return Err(AppError::user(
            StatusCode::TOO_MANY_REQUESTS,
            "err.too_many_asks",
            Vec::new(),
        ));
    }
    state.devices.asks.count(&address);
    let (hash, agent, table_id) = (id.hash.clone(), agent_family(&headers), table.id);
    let asked = state
        .db
        .write(move |conn| store::ask(conn, table_id, &hash, &agent))
        .await?;
    let Some(request) = asked else {
        return Ok(with_cookie(
            refusal(
                &state,
                lang,
                &table,
                false,
                Some("err.too_many_waiting"),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await?,
            &id,
        ));
    };
    devices_changed(&state, &table);
    Ok(with_cookie(
        see_other(&format!("/join/wait/{request}")),
        &id,
    ))
}

/// A device waiting for the facilitator: opens the table once approved.
pub async fn wait(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Path(request): Path<String>,
) -> Result<Response, AppError> {
    let hash = known_hash(&headers).ok_or_else(|| AppError::not_found("err.request"))?;
    let request_id = request
        .parse::<i64>()
        .map_err(|_| AppError::not_found("err.request"))?;
    let found = state
        .db
        .read(move |conn| {
            let Some(req) = store::request(conn, request_id)? else {
                return Ok(None);
            };
            if req.device_hash != hash {
                return Ok(None);
            }
            let Some(table) = tables::table_by_id(conn, req.table_id)? else {
                return Ok(None);
            };
            let active =
                store::device(conn, req.table_id, &hash)?.is_some_and(|d| d.released_at.is_none());
            Ok(Some((req, table, active)))
        })
        .await?
        .ok_or_else(|| AppError::not_found("err.request"))?;
    let (req, table, active) = found;
    let number = table.number;
    if active {
        return Ok(see_other(&format!("/t/{}", table.token)));
    }
    let expired = req.decision.is_none()
        && crate::db::now_ms() - req.asked_at > crate::db::devices::REQUEST_TTL_MS;
    state.page(
        lang,
        "device_wait.html",
        context! { number, decision => req.decision, expired, request_id },
    )
}

/// A device or request named in a facilitator's form.
#[derive(Debug, Deserialize)]
pub struct IdForm {
    #[serde(default)]
    id: String,
}

fn form_id(form: &IdForm) -> Result<i64, AppError> {
    form.id
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::bad("err.form"))
}

/// The facilitator releases a device: its next request to the table is refused and
/// its open live stream ends.
pub async fn release(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<IdForm>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key.clone()).await?;
    let device_id = form_id(&form)?;
    let session_id = run.session.id.clone();
    let released: Option<DeviceRow> = state
        .db
        .write(move |conn| store::release(conn, &session_id, device_id))
        .await?;
    let released = released.ok_or_else(|| AppError::not_found("err.device"))?;
    let _ = state.devices.released.send(released.id);
    state.hub.publish(
        &run.session.id,
        Audience::Staff,
        "devices",
        &serde_json::json!({}),
    );
    Ok(see_other(&format!("/f/{key}#devices")))
}

/// The facilitator approves a waiting request.
pub async fn approve(
    state: State<AppState>,
    key: Path<String>,
    form: Form<IdForm>,
) -> Result<Response, AppError> {
    decide(state, key, form, true).await
}

/// The facilitator refuses a waiting request.
pub async fn refuse(
    state: State<AppState>,
    key: Path<String>,
    form: Form<IdForm>,
) -> Result<Response, AppError> {
    decide(state, key, form, false).await
}

async fn decide(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<IdForm>,
    approve: bool,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key.clone()).await?;
    let request_id = form_id(&form)?;
    let session_id = run.session.id.clone();
    state
        .db
        .write(move |conn| store::decide(conn, &session_id, request_id, approve))
        .await?
        .ok_or_else(|| AppError::not_found("err.request"))?;
    state.hub.publish(
        &run.session.id,
        Audience::Staff,
        "devices",
        &serde_json::json!({}),
    );
    Ok(see_other(&format!("/f/{key}#devices")))
}

/// The facilitator opens a table's screen on their own device. That device is listed
/// with the table's devices, but it does not claim the table.
pub async fn open(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((key, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key).await?;
    let number = super::number_in(&number, 1..=run.session.table_count)
        .ok_or_else(|| AppError::not_found("err.table"))?;
    let session_id = run.session.id.clone();
    let table = state
        .db
        .read(move |conn| tables::table_by_number(conn, &session_id, number))
        .await?
        .ok_or_else(|| AppError::not_found("err.table"))?;
    let id = device_id(&headers);
    let (hash, table_id) = (id.hash.clone(), table.id);
    let known = state
        .db
        .read(move |conn| store::device(conn, table_id, &hash))
        .await?
        .is_some_and(|d| d.released_at.is_none());
    if known {
        return Ok(see_other(&format!("/t/{}", table.token)));
    }
    admit_and_open(&state, &headers, table, Via::Facilitator).await
}

/// Every table's devices for the facilitator's page (and, later, the wall's table detail).
pub async fn of_session(
    state: &AppState,
    session_id: &str,
) -> Result<Vec<store::TableDevices>, AppError> {
    let id = session_id.to_string();
    Ok(state
        .db
        .read(move |conn| store::of_session(conn, &id))
        .await?)
}

/// The pairing code a table's screen shows (a fresh one when the last has expired).
pub async fn pairing_code(state: &AppState, table: &TableRow) -> Result<String, AppError> {
    let table_id = table.id;
    let (code, _) = state
        .db
        .write(move |conn| store::pairing(conn, table_id))
        .await?;
    Ok(code)
}

/// Ends a table device's live stream when the facilitator releases that device.
pub fn end_on_release(state: &AppState, device: &TableDevice, response: Response) -> Response {
    let mut released = state.devices.released.subscribe();
    let own = device.id;
    let (parts, body) = response.into_parts();
    let stop = async move {
        loop {
            match released.recv().await {
                Ok(id) if id == own => break,
                Err(broadcast::error::RecvError::Closed) => {
                    futures_util::future::pending::<()>().await
                }
                _ => {}
            }
        }
    };
    let stream = body.into_data_stream().take_until(stop);
    Response::from_parts(parts, Body::from_stream(stream))
}

/// Reads the device a `/t/{token}` handler serves.
pub type Device = Extension<TableDevice>;
