//! The HTTP server: router, shared state, error pages and security headers.
//!
//! Routes are grouped by role, so a later access-control layer can guard each group:
//! organizer (`/`, `/curricula`, `/sessions`), facilitator (`/f/{key}`, a secret link
//! per session), table screen (`/t/{token}`, a capability for one table of one
//! session), and the read-only record (`/s/{id}/record`).

mod error;
mod extract;
mod facilitator;
mod organizer;
mod record;
mod table;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;

pub use error::{AppError, ErrorPage};
pub use extract::{Form, Lang};

use crate::content::Library;
use crate::db::{Db, queries};
use crate::render::Templates;
use crate::session::Run;

/// Largest request body: a page of answers is a few KB; this leaves room without
/// letting one client make the server hold megabytes.
pub const BODY_LIMIT: usize = 256 * 1024;

/// Everything handlers share; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The content folder as loaded at start (used to create new sessions).
    pub library: Arc<Library>,
    /// Page templates.
    pub templates: Arc<Templates>,
    /// Parsed content snapshots of sessions, by hash.
    snapshots: Arc<Mutex<HashMap<String, Arc<Library>>>>,
}

impl AppState {
    /// Builds the state over an open database and checked content.
    pub fn new(db: Db, library: Library) -> anyhow::Result<Self> {
        Ok(Self {
            db,
            library: Arc::new(library),
            templates: Arc::new(Templates::new()?),
            snapshots: Arc::default(),
        })
    }

    /// The session with its content snapshot.
    pub async fn run(&self, session: queries::SessionRow) -> Result<Run, AppError> {
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
                    .call(move |conn| queries::snapshot(conn, &hash))
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

    /// Renders a page, adding the language to the context.
    pub fn page(
        &self,
        lang: Lang,
        name: &str,
        ctx: minijinja::Value,
    ) -> Result<Response, AppError> {
        let ctx = context! { lang => lang.code, page_path => lang.path, ..ctx };
        Ok(self.templates.render(name, ctx)?.into_response())
    }
}

/// Builds the whole application; tests call this too.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(organizer::home))
        .route("/curricula/{id}", get(organizer::curriculum))
        .route("/sessions", post(organizer::create_session))
        .route("/f/{key}", get(facilitator::view))
        .route("/f/{key}/step", post(facilitator::set_step))
        .route("/f/{key}/close", post(facilitator::close))
        .route("/join", get(table::join_form).post(table::join))
        .route("/t/{token}", get(table::screen))
        .route("/t/{token}/roster", post(table::set_roster))
        .route("/t/{token}/answer", post(table::answer))
        .route("/t/{token}/walk", post(table::walk))
        .route("/s/{id}/record", get(record::view))
        .route("/lang/{lang}", get(switch_language))
        .route("/assets/{file}", get(asset))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(|| async { AppError::not_found("err.page") })
        .layer(middleware::from_fn_with_state(state.clone(), error_pages))
        .layer(middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// Turns an [`ErrorPage`] left by a handler into a page in the user's language.
async fn error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let lang = Lang::from_headers(req.headers(), &path);
    let response = next.run(req).await;
    let Some(page) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let status = response.status();
    let ctx = context! {
        status => status.as_u16(),
        title_key => format!("status.{}", status.as_u16()),
        message => crate::i18n::format(lang.code, page.key, &page.args),
        kept => page.kept,
    };
    let text = crate::i18n::format(lang.code, page.key, &page.args);
    match state.page(lang, "error.html", ctx) {
        Ok(mut page) => {
            *page.status_mut() = status;
            page
        }
        Err(_) => (status, text).into_response(),
    }
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
    let lang = if lang == "en" { "en" } else { "ja" };
    // Only local paths: the switch must not become an open redirect.
    let target = back
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/".to_string());
    let cookie = format!("lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    let mut response = Redirect::to(&target).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Static files, embedded in the binary so the hall needs no internet.
async fn asset(Path(file): Path<String>) -> Response {
    let (body, mime): (&'static [u8], &str) = match file.as_str() {
        "app.css" => (
            include_bytes!("../../templates/static/app.css"),
            "text/css; charset=utf-8",
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
            (header::CACHE_CONTROL, "public, max-age=3600"),
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
        .call(move |conn| queries::session_by_facilitator_key(conn, &key))
        .await?
        .ok_or_else(|| AppError::not_found("err.facilitator_link"))?;
    state.run(session).await
}

/// Status for a refused save that the user must see.
pub const REFUSED: StatusCode = StatusCode::CONFLICT;
