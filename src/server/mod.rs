//! The HTTP server: router, shared state, error pages and security headers.
//!
//! Routes are grouped by role, so a later access-control layer can guard each group:
//! organizer (`/`, `/curricula`, `/sessions`, the previews under `/preview`), facilitator (`/f/{key}`, a secret link
//! per session), table screen (`/t/{token}`, a capability for one table of one
//! session), the read-only record (`/s/{id}/record`), and the organizer's reports
//! (`/s/{id}/report`, `/reports`).

pub mod auth;
mod checkin;
pub mod conn;
pub mod devices;
mod error;
mod exchange;
mod export;
mod extract;
mod facilitator;
pub mod limit;
mod organizer;
mod participant;
pub mod preview;
mod projector;
mod record;
mod report;
mod roster;
mod share;
mod table;
mod typeup;
mod upload;
mod wall;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use minijinja::context;
use serde::Deserialize;

pub use error::{AppError, ErrorPage};
pub use extract::{Form, PageLang, number_in};

use crate::content::Library;
use crate::db::{Db, sessions, timers};
use crate::render::Templates;
use crate::session::Run;

/// Largest request body: a page of answers is a few KB; this leaves room without
/// letting one client make the server hold megabytes.
pub const BODY_LIMIT: usize = 256 * 1024;

/// Everything handlers share; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The store: writes go to its one writer thread, reads to its pool (`db.write`/`db.read`).
    pub db: Db,
    /// The content as last loaded from the folder (new sessions and previews use it;
    /// a session keeps the snapshot it started with). Read it with [`AppState::library`].
    library: Arc<RwLock<Arc<Library>>>,
    /// The folder the content was read from (`--content`), when it came from one: what
    /// a reload reads again and where an imported programme is written.
    content_dir: Option<Arc<std::path::PathBuf>>,
    /// The minijinja templates, loaded once from `templates/` (embedded in the binary).
    pub templates: Arc<Templates>,
    /// Live event channels, one per session.
    pub hub: Arc<crate::live::Hub>,
    /// Per-table save rate limit.
    pub limiter: Arc<limit::SaveLimiter>,
    /// The organizer's password hash or start-up code.
    pub organizer: Arc<auth::OrganizerSecret>,
    /// Failed organizer sign-ins per client.
    pub attempts: Arc<auth::Attempts>,
    /// The few places where a sign-in's password hash may run.
    pub hash_slots: Arc<auth::HashSlots>,
    /// Join-code guesses per client (a room behind one address is never locked out).
    pub join_limit: Arc<limit::JoinLimiter>,
    /// Survey answers per address per survey step.
    pub survey_limit: Arc<limit::SurveyLimiter>,
    /// Check-ins tried per address.
    pub checkin_attempts: Arc<auth::Attempts>,
    /// Which devices hold which tables: pairing limits, releases.
    pub devices: Arc<devices::Devices>,
    /// Parsed content snapshots of sessions, by hash.
    snapshots: Arc<Mutex<HashMap<String, Arc<Library>>>>,
    /// What the last reload of the content folder found; previews follow its version.
    content_status: Arc<tokio::sync::watch::Sender<ContentStatus>>,
    /// Held while the folder is read again, so two reloads (the watcher's, an import's)
    /// never finish out of order.
    reloading: Arc<Mutex<()>>,
}

/// The state of the content folder as the last reload found it.
#[derive(Debug, Clone, Default)]
pub struct ContentStatus {
    /// When this server started (Unix ms): a page drawn by an earlier run of the server
    /// reloads after a restart even if the count happens to be the same.
    pub boot: i64,
    /// Counts the changes pages show: new content, new problems, problems gone. A preview
    /// rendered at one version reloads itself when the stream says another.
    pub version: u64,
    /// The problems of the folder as it is now, empty when every file checks. While
    /// there are any, new sessions and previews use the last content that checked.
    pub problems: Arc<Vec<crate::content::Problem>>,
}

impl ContentStatus {
    /// The version as the preview pages and their stream compare it.
    pub fn tag(&self) -> String {
        format!("{}-{}", self.boot, self.version)
    }
}

/// A content problem as a page shows it, in the page's language.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProblemView {
    /// The file, as the content folder names it.
    pub path: String,
    /// 1-based line, 0 for the whole file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// The clock of the session's current step, read on `conn`: on a read connection for a
/// page, or on the writer inside a save's job (so the lock is checked where it is stored).
pub(crate) fn step_clock(
    conn: &rusqlite::Connection,
    run: &Run,
) -> Result<Option<crate::timer::Clock>, crate::db::DbError> {
    let index = run.session.current_step;
    let Some(minutes) = run.current_step().minutes else {
        return Ok(None);
    };
    let stored = timers::timer(conn, &run.session.id, index)?;
    let now = crate::db::now_ms();
    let timer = stored.unwrap_or_else(|| crate::timer::ready(index, minutes, now));
    Ok(Some(crate::timer::clock(&timer, now)))
}

impl AppState {
    /// Builds the state over an open database and checked content.
    pub fn new(db: Db, library: Library) -> anyhow::Result<Self> {
        Ok(Self {
            db,
            library: Arc::new(RwLock::new(Arc::new(library))),
            content_dir: None,
            templates: Arc::new(Templates::new()?),
            hub: Arc::default(),
            limiter: Arc::default(),
            organizer: Arc::new(auth::OrganizerSecret::random_code()),
            // Ten wrong passwords per client in ten minutes; thirty wrong join codes.
            attempts: Arc::new(auth::Attempts::new(10, std::time::Duration::from_secs(600))),
            hash_slots: Arc::default(),
            join_limit: Arc::default(),
            survey_limit: Arc::new(limit::SurveyLimiter::new(limit::SURVEY_ANSWERS_PER_ADDRESS)),
            checkin_attempts: Arc::new(auth::Attempts::new(
                limit::CHECKINS_PER_ADDRESS,
                std::time::Duration::from_secs(600),
            )),
            devices: Arc::default(),
            snapshots: Arc::default(),
            content_status: Arc::new(tokio::sync::watch::Sender::new(ContentStatus {
                boot: crate::db::now_ms(),
                ..ContentStatus::default()
            })),
            reloading: Arc::default(),
        })
    }

    /// The content as last loaded: what new sessions start with.
    pub fn library(&self) -> Arc<Library> {
        self.library
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Replaces the content new sessions start with (a reload after the files changed).
    pub fn set_library(&self, library: Library) {
        *self
            .library
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(library);
        self.content_status
            .send_modify(|status| status.version += 1);
    }

    /// Remembers the folder the content was read from, so it can be read again.
    pub fn with_content_dir(mut self, dir: std::path::PathBuf) -> Self {
        self.content_dir = Some(Arc::new(dir));
        self
    }

    /// The folder the content was read from, if it came from one.
    pub fn content_dir(&self) -> Option<&std::path::Path> {
        self.content_dir.as_deref().map(std::path::PathBuf::as_path)
    }

    /// Reads the content folder again and, when every file checks, makes it what new
    /// sessions start with. When a file has problems the last good content stays and
    /// the problems are returned (and kept, for the organizer pages and the previews);
    /// running and past sessions never change either way.
    pub fn reload_content(&self) -> Result<(), Vec<crate::content::Problem>> {
        let Some(dir) = self.content_dir() else {
            return Ok(());
        };
        let _one_at_a_time = self
            .reloading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match Library::load(dir) {
            Ok(library) => {
                let had_problems = !self.content_status.borrow().problems.is_empty();
                if library.hash == self.library().hash && !had_problems {
                    return Ok(());
                }
                tracing::info!(
                    "content reloaded from {}: {} curricula, {} cases",
                    dir.display(),
                    library.curricula.len(),
                    library.cases.len()
                );
                self.set_library(library);
                self.set_content_problems(Vec::new());
                Ok(())
            }
            Err(problems) => {
                if *self.content_status.borrow().problems != problems {
                    tracing::warn!(
                        "content in {} has {} problem(s); sessions and previews keep the last good version:\n{}",
                        dir.display(),
                        problems.len(),
                        problems
                            .iter()
                            .map(|p| p.render(crate::lang::Lang::Ja))
                            .collect::<Vec<_>>()
                            .join("\n")
                    );
                    self.set_content_problems(problems.clone());
                }
                Err(problems)
            }
        }
    }

    /// Records the problems the content folder has now (empty: every file checks) and
    /// tells the previews.
    pub fn set_content_problems(&self, problems: Vec<crate::content::Problem>) {
        self.content_status.send_modify(|status| {
            status.version += 1;
            status.problems = Arc::new(problems);
        });
    }

    /// What the last reload found: the version previews follow and the problems.
    pub fn content_status(&self) -> ContentStatus {
        self.content_status.borrow().clone()
    }

    /// Follows the content's version and problems (the previews' live stream).
    pub fn content_changes(&self) -> tokio::sync::watch::Receiver<ContentStatus> {
        self.content_status.subscribe()
    }

    /// The folder's current problems as a page shows them, in `lang`.
    pub fn content_problems(&self, lang: crate::lang::Lang) -> Vec<ProblemView> {
        self.content_status
            .borrow()
            .problems
            .iter()
            .map(|p| ProblemView {
                path: p.path.clone(),
                line: p.line,
                message: p.message(lang),
                hint: p.hint(lang),
            })
            .collect()
    }

    /// Watches the content folder and reloads after each save, until the watcher is
    /// dropped. Nothing to watch without a folder.
    pub fn watch_content(
        &self,
    ) -> Result<Option<crate::content::watch::ContentWatcher>, anyhow::Error> {
        let Some(dir) = self.content_dir() else {
            return Ok(None);
        };
        let state = self.clone();
        let watcher = crate::content::watch::watch(dir, move || {
            // The outcome is kept in the state and logged there.
            let _ = state.reload_content();
        })
        .map_err(|e| anyhow::anyhow!("cannot watch {} for changes: {e}", dir.display()))?;
        Ok(Some(watcher))
    }

    /// Sets the survey and check-in limits per address (for a hall behind one router).
    pub fn with_address_limits(mut self, survey_answers: u32, checkins: u32) -> Self {
        self.survey_limit = Arc::new(limit::SurveyLimiter::new(survey_answers));
        self.checkin_attempts = Arc::new(auth::Attempts::new(
            checkins.max(1),
            std::time::Duration::from_secs(600),
        ));
        self
    }

    /// Uses the given organizer secret instead of a random code.
    pub fn with_organizer(mut self, secret: auth::OrganizerSecret) -> Self {
        self.organizer = Arc::new(secret);
        self
    }

    /// The session joined with the content it was started with (its pinned snapshot, parsed
    /// once per content hash and cached), so later edits to the files never change it.
    pub async fn session_with_content(
        &self,
        session: sessions::SessionRow,
    ) -> Result<Run, AppError> {
        let cached = self
            .snapshots
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&session.content_hash)
            .cloned();
        let library = match cached {
            Some(library) => library,
            None => {
                let hash = session.content_hash.clone();
                let sources = self
                    .db
                    .read(move |conn| sessions::snapshot(conn, &hash))
                    .await?
                    .ok_or_else(|| {
                        AppError::Internal(anyhow::anyhow!(
                            "snapshot {} is missing",
                            session.content_hash
                        ))
                    })?;
                let library = Library::from_sources(sources).map_err(|problems| {
                    AppError::Internal(anyhow::anyhow!(
                        "snapshot {} no longer parses: {}",
                        session.content_hash,
                        problems
                            .iter()
                            .map(|p| p.to_string())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ))
                })?;
                let library = Arc::new(library);
                self.snapshots
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(session.content_hash.clone(), library.clone());
                library
            }
        };
        let curriculum = library
            .curricula
            .get(&session.curriculum_id)
            .cloned()
            .ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!(
                    "curriculum {} not in its snapshot",
                    session.curriculum_id
                ))
            })?;
        Ok(Run {
            session,
            library,
            curriculum,
        })
    }

    /// The declared roles a page names with `profession(id)`: those of the snapshot of
    /// the page's `session` once it has been read (every handler that shows a session's
    /// content reads it through [`AppState::session_with_content`]), else those of the
    /// current content.
    fn roles_for(&self, ctx: &minijinja::Value) -> minijinja::Value {
        let hash = ctx
            .get_attr("session")
            .and_then(|s| s.get_attr("content_hash"))
            .ok()
            .and_then(|h| h.as_str().map(str::to_string));
        let snapshot = hash.and_then(|hash| {
            self.snapshots
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&hash)
                .cloned()
        });
        crate::render::roles(&snapshot.unwrap_or_else(|| self.library()))
    }

    /// The clock of the session's current step, if the step has a time box.
    pub async fn clock(&self, run: &Run) -> Result<Option<crate::timer::Clock>, AppError> {
        if run.current_step().minutes.is_none() {
            return Ok(None);
        }
        let run = run.clone();
        Ok(self.db.read(move |conn| step_clock(conn, &run)).await?)
    }

    /// What a screen needs to resume after (re)connecting: sent first on every stream.
    pub async fn hello(&self, run: &Run) -> Result<String, AppError> {
        let clock = self.clock(run).await?;
        Ok(serde_json::json!({
            "step": run.session.current_step,
            "closed": run.session.is_closed(),
            "pace": run.session.pace,
            "clock": clock,
        })
        .to_string())
    }

    /// Renders a page, adding the language to the context, and the roles its content
    /// declares (see [`AppState::roles_for`]) unless the handler gave them.
    pub fn page(
        &self,
        lang: PageLang,
        name: &str,
        ctx: minijinja::Value,
    ) -> Result<Response, AppError> {
        let roles = match ctx.get_attr("roles") {
            Ok(roles) if !roles.is_undefined() => roles,
            _ => self.roles_for(&ctx),
        };
        // The content folder's problems, for the pages that show them (organizer, preview).
        let content_problems = crate::render::to_value(&self.content_problems(lang.lang));
        let ctx = context! { lang => lang.lang.code(), page_path => lang.path, roles, content_problems, ..ctx };
        Ok(self.templates.render(name, ctx)?.into_response())
    }
}

/// Builds the whole application; tests call this too.
///
/// Each role's file lists its own routes. Most guards sit in the handlers: organizer
/// pages take the [`auth::Organizer`] proof, facilitator and projector pages look their
/// session up by the secret key in the path. The table screens get the one guard that
/// is a layer, [`devices::guard`], here; the app-wide layers below wrap every route.
pub fn app(state: AppState) -> Router {
    // The organizer's pages: curricula, sessions by id, rosters, check-in, records,
    // reports, exports and imports. One sign-in check in front of all of them.
    let organizer = Router::new()
        .merge(organizer::routes())
        .merge(record::routes())
        .merge(roster::routes())
        .merge(checkin::routes())
        .merge(report::routes())
        .merge(export::routes())
        .merge(exchange::routes())
        .merge(preview::routes())
        .merge(share::routes())
        .merge(typeup::routes())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::organizer_only,
        ));
    // A table's own screens: only from a device the table has let in.
    let table_screens = table::screen_routes().route_layer(middleware::from_fn_with_state(
        state.clone(),
        devices::guard,
    ));
    // Facilitator, projector and table links carry their own secret key in the path,
    // which each handler looks up; the start page, sign-in, joining and the
    // participants' phone pages are open.
    let router = Router::new()
        .merge(organizer)
        .merge(table_screens)
        .merge(organizer::home_routes())
        .merge(auth::routes())
        .merge(facilitator::routes())
        .merge(wall::routes())
        .merge(record::facilitator_routes())
        .merge(export::facilitator_routes())
        .merge(projector::routes())
        .merge(table::routes())
        .merge(participant::routes())
        .merge(devices::routes());
    common(router, state)
}

/// What every app serves and wraps its routes in: the language switch, the assets, the
/// health check, the not-found page, and the layers (same-origin posts, error pages in
/// the reader's language, security headers, the body limit). One place, so the preview
/// server can never lack a layer `serve` has.
fn common(router: Router<AppState>, state: AppState) -> Router {
    router
        .route("/lang/{lang}", get(switch_language))
        .route("/assets/{file}", get(asset))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(|| async { AppError::not_found("err.page") })
        // Inside the error-page layer, so a refused cross-site post gets a page too.
        .layer(middleware::from_fn(auth::same_origin_only))
        .layer(middleware::from_fn_with_state(state.clone(), error_pages))
        .layer(middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// The previews alone, without sign-in, for `acp-workbook preview` on an author's own
/// computer: the preview pages and their stream, the curriculum's blank workbook and
/// facilitator guide (content only, no session data), the assets and the language switch.
/// No session, table or organizer page is served.
pub fn preview_app(state: AppState) -> Router {
    // The workbook downloads are organizer routes in `serve`; here whoever reaches this
    // local server is the author, so they pass as the organizer.
    let workbooks = export::curriculum_routes().route_layer(middleware::from_fn(
        |mut req: Request, next: Next| async move {
            req.extensions_mut().insert(auth::Organizer);
            next.run(req).await
        },
    ));
    let router = Router::new()
        .merge(preview::routes())
        .merge(workbooks)
        .route("/", get(|| async { Redirect::to("/preview") }));
    common(router, state)
}

/// Turns an [`ErrorPage`] left by a handler into a page in the user's language.
async fn error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let lang = PageLang::from_headers(req.headers(), &path);
    let json = wants_json(req.headers());
    let response = next.run(req).await;
    let Some(page) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let status = response.status();
    if json {
        // The page script shows the message next to the answer and keeps the text.
        let body = serde_json::json!({
            "error": page.key,
            "message": crate::i18n::format(lang.lang, page.key, &page.args),
        });
        return (status, axum::Json(body)).into_response();
    }
    let ctx = context! {
        status => status.as_u16(),
        title_key => format!("status.{}", status.as_u16()),
        message => crate::i18n::format(lang.lang, page.key, &page.args),
        kept => page.kept,
    };
    let text = crate::i18n::format(lang.lang, page.key, &page.args);
    match state.page(lang, "error.html", ctx) {
        Ok(mut page) => {
            *page.status_mut() = status;
            page
        }
        Err(_) => (status, text).into_response(),
    }
}

/// True when the request comes from our page script and wants JSON back.
pub fn wants_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// Headers that keep pages from being framed, sniffed, or running foreign scripts.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// Sets the UI language cookie and returns to the page the user was on.
async fn switch_language(Path(lang): Path<String>, Query(back): Query<Back>) -> Response {
    let lang = crate::lang::Lang::from_code(&lang);
    // Only local paths: the switch must not become an open redirect.
    let target = back
        .back
        .filter(|b| is_local_path(b))
        .unwrap_or_else(|| "/".to_string());
    let cookie = format!("lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    let mut response = Redirect::to(&target).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Longest path the language switch returns to (our own paths are far shorter).
const MAX_BACK_LEN: usize = 2048;

/// True for a path of this server that is safe to redirect to: one leading `/` (not
/// `//` or `/\`, which browsers read as another host), printable ASCII only (browsers
/// drop tabs and newlines from addresses, so `/\t/evil` would become `//evil`; a control
/// character cannot be a header), and the same once percent-decoded, since some
/// browsers and proxies decode before they resolve.
pub fn is_local_path(path: &str) -> bool {
    fn rooted(p: &[u8]) -> bool {
        p.first() == Some(&b'/') && !matches!(p.get(1), Some(b'/' | b'\\')) && !p.contains(&b'\\')
    }
    // Decoded text may hold UTF-8 (a search for a name) but never an ASCII control.
    fn plain(p: &[u8]) -> bool {
        rooted(p) && p.iter().all(|b| *b >= 0x20 && *b != 0x7f)
    }
    if path.len() > MAX_BACK_LEN
        || !rooted(path.as_bytes())
        || !path.bytes().all(|b| b.is_ascii_graphic())
    {
        return false;
    }
    let mut current = path.as_bytes().to_vec();
    // Decoding twice covers `%25xx` (double-encoded); what still has `%` is a plain path.
    for _ in 0..3 {
        let decoded = percent_decode(&current);
        if decoded == current {
            return true;
        }
        if !plain(&decoded) {
            return false;
        }
        current = decoded;
    }
    true
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(h << 4 | l);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Static files, embedded in the binary so the hall needs no internet.
async fn asset(Path(file): Path<String>) -> Response {
    let (body, mime): (&'static [u8], &str) = match file.as_str() {
        "app.css" => (
            include_bytes!("../../templates/static/app.css"),
            "text/css; charset=utf-8",
        ),
        "live.js" => (
            include_bytes!("../../templates/static/live.js"),
            "text/javascript; charset=utf-8",
        ),
        "projector.js" => (
            include_bytes!("../../templates/static/projector.js"),
            "text/javascript; charset=utf-8",
        ),
        "wall.js" => (
            include_bytes!("../../templates/static/wall.js"),
            "text/javascript; charset=utf-8",
        ),
        "preview.js" => (
            include_bytes!("../../templates/static/preview.js"),
            "text/javascript; charset=utf-8",
        ),
        "favicon.svg" => (
            include_bytes!("../../templates/static/favicon.svg"),
            "image/svg+xml",
        ),
        _ => return AppError::not_found("err.page").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, mime),
            // Small files on a LAN: always revalidate, so an upgraded binary never runs an old script.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// 303 See Other to `to`, the answer to every successful form post.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Looks a session up for a facilitator key, or says the link is wrong.
pub async fn session_for_key(state: &AppState, key: String) -> Result<Run, AppError> {
    let session = state
        .db
        .read(move |conn| sessions::session_by_facilitator_key(conn, &key))
        .await?
        .ok_or_else(|| AppError::not_found("err.facilitator_link"))?;
    state.session_with_content(session).await
}

/// Opens a live stream of a session for one screen, or answers 429 to a client that
/// already holds too many streams. For an ended session the stream says `hello` and
/// `ended` and finishes (200): screens show the end calmly instead of retrying.
/// `record_pdf` is the table's own record link, sent with `ended` to table screens.
pub async fn live_stream(
    state: &AppState,
    run: &Run,
    viewer: crate::live::Viewer,
    ip: Option<std::net::IpAddr>,
    record_pdf: Option<String>,
) -> Result<Response, AppError> {
    let ended = match viewer {
        crate::live::Viewer::Table(_) => serde_json::json!({ "record_pdf": record_pdf }),
        crate::live::Viewer::Staff => serde_json::json!({}),
    }
    .to_string();
    if run.session.is_closed() {
        let hello = state.hello(run).await?;
        return Ok(crate::live::ended_stream(hello, ended).into_response());
    }
    let guard = state.hub.open_stream(ip).ok_or_else(|| {
        AppError::user(
            StatusCode::TOO_MANY_REQUESTS,
            "err.too_many_streams",
            Vec::new(),
        )
    })?;
    let receiver = state.hub.subscribe(&run.session.id, viewer);
    let hello = state.hello(run).await?;
    Ok(crate::live::stream(receiver, viewer, hello, ended, guard).into_response())
}

/// Looks a session up for a projector key.
pub async fn session_for_projector(state: &AppState, key: String) -> Result<Run, AppError> {
    let session = state
        .db
        .read(move |conn| sessions::session_by_projector_key(conn, &key))
        .await?
        .ok_or_else(|| AppError::not_found("err.projector_link"))?;
    state.session_with_content(session).await
}

/// A session by its id (organizer pages), or a clear "no such session" page.
pub(crate) async fn session_by_id(
    state: &AppState,
    id: &str,
) -> Result<sessions::SessionRow, AppError> {
    let id = id.to_string();
    state
        .db
        .read(move |conn| sessions::session(conn, &id))
        .await?
        .ok_or_else(|| AppError::not_found("err.session"))
}

/// A file to download, with its type and an ASCII name (every browser keeps it).
pub(crate) fn attachment(body: impl IntoResponse, mime: &'static str, name: &str) -> Response {
    let mut response = ([(header::CONTENT_TYPE, mime)], body).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The base address people's devices use to reach this server, from the request.
pub fn base_url(headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost:8080");
    format!("http://{host}")
}

/// An SVG QR code of `text`, drawn by us (no external service).
pub fn qr_svg(text: &str) -> Response {
    match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .quiet_zone(true)
                .build();
            (
                [
                    (header::CONTENT_TYPE, "image/svg+xml"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                svg,
            )
                .into_response()
        }
        Err(e) => AppError::Internal(anyhow::anyhow!("QR code for {text}: {e}")).into_response(),
    }
}

/// Status for a refused save that the user must see.
pub const REFUSED: StatusCode = StatusCode::CONFLICT;
