//! The read-only record of a session: every step, every table, every conclusion.

use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::context;

use super::auth::Organizer;
use super::session_by_id;
use super::{AppError, AppState, PageLang, session_for_key};
use crate::db::{conclusions, events, sessions, tables};
use crate::render::to_value;
use crate::session::step_reports;

/// The read-only record of a session: for the organizer by id (with the audit and the
/// purge of free text), and for the facilitator behind the `/f/{key}` link.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/s/{id}/record", get(view))
        .route("/s/{id}/audit", get(audit))
        .route("/s/{id}/purge", post(purge))
}

/// The record page behind the facilitator's link (its key is the guard).
pub fn facilitator_routes() -> axum::Router<AppState> {
    axum::Router::new().route("/f/{key}/record", axum::routing::get(for_facilitator))
}

/// The record page, for the organizer.
pub async fn view(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    render(&state, lang, state.session_with_content(session).await?).await
}

/// The same record, reached with the facilitator's link (also after the session closed).
pub async fn for_facilitator(
    State(state): State<AppState>,
    lang: PageLang,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key).await?;
    render(&state, lang, run).await
}

async fn render(
    state: &AppState,
    lang: PageLang,
    run: crate::session::Run,
) -> Result<Response, AppError> {
    let id = run.session.id.clone();
    let (tables, conclusions, visits, survey_counts) = state
        .db
        .read(move |conn| {
            Ok((
                tables::tables(conn, &id)?,
                conclusions::latest_conclusions(conn, &id)?,
                conclusions::visits(conn, &id)?,
                crate::db::survey::counts(conn, &id)?,
            ))
        })
        .await?;
    let reports = step_reports(&run, None, &tables, &conclusions, &visits);
    let unprintable = super::export::unprintable_lines(state, &run, None, lang.lang).await?;
    let survey_counts: std::collections::BTreeMap<i64, i64> = survey_counts.into_iter().collect();
    state.page(
        lang,
        "record.html",
        context! { session => to_value(&run.session), curriculum => to_value(&run.curriculum), tables => to_value(&tables), reports => to_value(&reports), survey_counts => to_value(&survey_counts), unprintable },
    )
}

/// The event log of a session: who (role, table) changed what and when.
pub async fn audit(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let events = state.db.read(move |conn| events::events(conn, &id)).await?;
    state.page(
        lang,
        "audit.html",
        context! { session => to_value(&session), events => to_value(&events) },
    )
}

/// The purge form: a checkbox confirms it was meant.
#[derive(Debug, serde::Deserialize)]
pub struct PurgeForm {
    confirm: Option<String>,
}

/// Removes a closed session's personal data (names, free text), keeping aggregates.
pub async fn purge(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    super::Form(form): super::Form<PurgeForm>,
) -> Result<Response, AppError> {
    if form.confirm.as_deref() != Some("yes") {
        return Err(AppError::bad("err.purge_confirm"));
    }
    let session = session_by_id(&state, &id).await?;
    if !session.is_closed() {
        return Err(AppError::user(super::REFUSED, "err.purge_open", Vec::new()));
    }
    let target = id.clone();
    state
        .db
        .write(move |conn| sessions::purge_personal_data(conn, &target))
        .await?;
    Ok(super::see_other(&format!("/s/{id}/audit")))
}
