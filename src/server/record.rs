//! The read-only record of a session: every step, every table, every conclusion.

use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::context;

use super::{AppError, AppState, Lang};
use crate::db::queries;
use crate::render::v;
use crate::session::step_reports;

/// The record page.
pub async fn view(
    State(state): State<AppState>,
    lang: Lang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let lookup = id.clone();
    let session = state
        .db
        .call(move |conn| queries::session(conn, &lookup))
        .await?
        .ok_or_else(|| AppError::not_found("err.session"))?;
    let run = state.run(session).await?;
    let (tables, conclusions, visits) = state
        .db
        .call(move |conn| {
            Ok((
                queries::tables(conn, &id)?,
                queries::latest_conclusions(conn, &id)?,
                queries::visits(conn, &id)?,
            ))
        })
        .await?;
    let reports = step_reports(&run, None, &tables, &conclusions, &visits);
    state.page(
        lang,
        "record.html",
        context! { session => v(&run.session), curriculum => v(&run.curriculum), tables => v(&tables), reports => v(&reports) },
    )
}
