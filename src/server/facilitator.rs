//! The facilitator's view of one session: pace the steps, watch every table, close.

use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

use super::{AppError, AppState, Form, Lang, see_other, session_for_key};
use crate::db::queries;
use crate::render::v;
use crate::session::step_reports;

/// The live overview of a session.
pub async fn view(
    State(state): State<AppState>,
    lang: Lang,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key).await?;
    let id = run.session.id.clone();
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
    let current = run.session.current_step.max(0) as usize;
    let reports = step_reports(&run, Some(current), &tables, &conclusions, &visits);
    let report = reports.into_iter().next();
    // Which tables have saved anything in this step: the rest have not started.
    let started: Vec<i64> = tables
        .iter()
        .filter(|t| {
            conclusions
                .iter()
                .any(|c| c.table_id == t.id && c.step_index == run.session.current_step)
                || visits.iter().any(|v| {
                    v.table_id == t.id && v.step_index == run.session.current_step && v.seq > 0
                })
        })
        .map(|t| t.number)
        .collect();
    state.page(
        lang,
        "facilitator.html",
        context! {
            session => v(&run.session),
            curriculum => v(&run.curriculum),
            tables => v(&tables),
            report => v(&report),
            started => v(&started),
            current,
        },
    )
}

/// Which step to move to.
#[derive(Debug, Deserialize)]
pub struct StepForm {
    to: String,
}

/// Moves the whole session to another step.
pub async fn set_step(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key.clone()).await?;
    if run.session.is_closed() {
        return Err(AppError::user(
            super::REFUSED,
            "err.closed_facilitator",
            Vec::new(),
        ));
    }
    let to = form
        .to
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|to| run.step(*to).is_some())
        .ok_or_else(|| AppError::bad("err.no_such_step"))?;
    let from = run.session.current_step;
    if to != from {
        let id = run.session.id.clone();
        state
            .db
            .call(move |conn| queries::set_current_step(conn, &id, from, to))
            .await?;
    }
    Ok(see_other(&format!("/f/{key}")))
}

/// The close form: a checkbox confirms it was meant.
#[derive(Debug, Deserialize)]
pub struct CloseForm {
    confirm: Option<String>,
}

/// Ends the session: tables can no longer save; the record stays readable.
pub async fn close(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<CloseForm>,
) -> Result<Response, AppError> {
    if form.confirm.as_deref() != Some("yes") {
        return Err(AppError::bad("err.close_confirm"));
    }
    let run = session_for_key(&state, key).await?;
    let id = run.session.id.clone();
    state
        .db
        .call(move |conn| queries::close_session(conn, &id))
        .await?;
    Ok(see_other(&format!("/s/{}/record", run.session.id)))
}
