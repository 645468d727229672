//! Organizer downloads of a session's data (the complete JSON, CSV of the conclusions,
//! all tables or one) and the import of a session file from another server.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::auth::Organizer;
use super::organizer::{ImportCard, organizer_home};
use super::{AppError, AppState, PageLang, attachment, see_other, session_by_id};
use crate::exchange::{self, ImportError};

/// The organizer's session files: JSON and CSV downloads, and importing a session file,
/// whose body may be up to [`IMPORT_LIMIT`] instead of the app's usual limit.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/s/{id}/export.json", get(export_json))
        .route("/s/{id}/conclusions.csv", get(conclusions_csv))
        .route("/s/{id}/tables/{file}", get(table_csv))
        .route(
            "/sessions/import",
            get(import_form)
                .post(import)
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
}

/// Largest session file accepted: every version of every answer of a 60-table day
/// with its event log is a few MB; this leaves room and still bounds memory.
pub const IMPORT_LIMIT: usize = 32 * 1024 * 1024;

/// GET /s/{id}/export.json: everything of the session, to keep or to move.
pub async fn export_json(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let export = state
        .db
        .write(move |conn| exchange::export_session(conn, &id))
        .await?
        .ok_or_else(|| AppError::not_found("err.session"))?;
    let name = exchange::file_name(&session.held_on, &session.id, "session", "json");
    Ok(attachment(
        exchange::to_json(&export),
        "application/json; charset=utf-8",
        &name,
    ))
}

async fn csv(state: &AppState, id: &str, table: Option<i64>) -> Result<Response, AppError> {
    let run = state
        .session_with_content(session_by_id(state, id).await?)
        .await?;
    let name = match table {
        Some(n) => format!("table-{n}"),
        None => "conclusions".to_string(),
    };
    let name = exchange::file_name(&run.session.held_on, &run.session.id, &name, "csv");
    let bytes = state
        .db
        .write(move |conn| exchange::csv::conclusions_csv(conn, &run, table))
        .await?
        .ok_or_else(|| AppError::not_found("err.table"))?;
    Ok(attachment(bytes, "text/csv; charset=utf-8", &name))
}

/// GET /s/{id}/conclusions.csv: every table's newest conclusions, one field per row.
pub async fn conclusions_csv(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    csv(&state, &id, None).await
}

/// GET /s/{id}/tables/{n}.csv: one table's newest conclusions, the same columns.
pub async fn table_csv(
    _: Organizer,
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    // The router cannot match `{n}.csv` inside one segment, so the name is read here.
    let number = file
        .strip_suffix(".csv")
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| AppError::not_found("err.table"))?;
    csv(&state, &id, Some(number)).await
}

/// POST /sessions/import (multipart: `file`): imports a session file, all or nothing.
/// A refused file is explained on the home page, which keeps the organizer's place.
pub async fn import(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let upload = super::upload::read(multipart, "session file").await?;
    let Some((name, bytes)) = Some((upload.name, upload.bytes)).filter(|(_, b)| !b.is_empty())
    else {
        let card = ImportCard {
            failed: Some(crate::i18n::format(lang.lang, "exchange.err_no_file", &[])),
            ..ImportCard::default()
        };
        return refused(&state, lang, StatusCode::UNPROCESSABLE_ENTITY, card).await;
    };
    let outcome = state
        .db
        .write(move |conn| {
            Ok(exchange::text_of(&bytes).and_then(|text| exchange::import_session(conn, text)))
        })
        .await?;
    match outcome {
        Ok(imported) => {
            tracing::info!(
                "imported session {} ({} tables, {} conclusion versions)",
                imported.id,
                imported.tables,
                imported.conclusions
            );
            Ok(see_other(&format!("/?imported={}", imported.id)))
        }
        Err(e) => {
            let status = match &e {
                ImportError::Db(detail) => {
                    // Ours or the disk's: logged in full; the page says nothing was kept.
                    tracing::error!("importing {name:?}: {detail}");
                    StatusCode::INTERNAL_SERVER_ERROR
                }
                e if e.is_conflict() => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let failed = match &e {
                ImportError::Db(_) => crate::i18n::format(lang.lang, "exchange.err_db", &[]),
                e => e.message(lang.lang),
            };
            let card = ImportCard {
                file: name,
                failed: Some(failed),
                problems: e.problems(lang.lang),
                ..ImportCard::default()
            };
            refused(&state, lang, status, card).await
        }
    }
}

/// GET /sessions/import: the form is on the home page. Reached by switching the
/// language on a refused import's page, which is the answer to a post.
pub async fn import_form() -> Response {
    see_other("/#import")
}

async fn refused(
    state: &AppState,
    lang: PageLang,
    status: StatusCode,
    card: ImportCard,
) -> Result<Response, AppError> {
    let mut page = organizer_home(state, lang, card).await?;
    *page.status_mut() = status;
    Ok(page)
}
