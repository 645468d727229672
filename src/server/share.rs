//! Sharing a programme between districts: the organizer downloads a curriculum with
//! its cases as one file, and another server's organizer imports it into that
//! server's content folder (see [`crate::content::share`]), which is then reloaded so
//! new sessions can use it; running and past sessions keep their pinned content.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::Serialize;

use super::auth::Organizer;
use super::{AppError, AppState, PageLang, attachment};
use crate::content::share;

/// The download, and the import page whose post may be up to [`share::UPLOAD_MAX`].
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/curricula/{id}/share.json", get(download))
        .route(
            "/programmes/import",
            get(form)
                .post(import)
                .layer(axum::extract::DefaultBodyLimit::max(share::UPLOAD_MAX)),
        )
}

/// GET /curricula/{id}/share.json: the curriculum and its cases as one file.
pub async fn download(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let library = state.library();
    let json = share::export(&library, &id).ok_or_else(|| AppError::not_found("err.curriculum"))?;
    Ok(attachment(
        json,
        "application/json; charset=utf-8",
        &share::file_name(&library, &id),
    ))
}

/// What the import page shows after an upload.
#[derive(Debug, Default, Serialize)]
struct Outcome {
    /// The name of the file uploaded.
    file: String,
    /// Why nothing was written, in the organizer's language.
    failed: Option<String>,
    /// Each thing wrong, one per line.
    problems: Vec<String>,
    /// What was done, one sentence per line.
    done: Vec<String>,
    /// The imported curricula as (id, title), to open.
    curricula: Vec<(String, String)>,
}

/// GET /programmes/import: the upload form.
pub async fn form(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
) -> Result<Response, AppError> {
    page(&state, lang, StatusCode::OK, Outcome::default())
}

fn page(
    state: &AppState,
    lang: PageLang,
    status: StatusCode,
    outcome: Outcome,
) -> Result<Response, AppError> {
    let ready = state.content_dir().is_some();
    let mut page = state.page(
        lang,
        "programme_import.html",
        context! { outcome => crate::render::to_value(&outcome), ready },
    )?;
    *page.status_mut() = status;
    Ok(page)
}

/// POST /programmes/import (multipart: `file`): checks the file with the whole content
/// folder and writes it, all or nothing; then reloads the content.
pub async fn import(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let l = lang.lang;
    let upload = super::upload::read(multipart, "programme").await?;
    let Some((name, bytes)) = Some((upload.name, upload.bytes)).filter(|(_, b)| !b.is_empty())
    else {
        let outcome = Outcome {
            failed: Some(crate::i18n::format(l, "share.err_no_file", &[])),
            ..Outcome::default()
        };
        return page(&state, lang, StatusCode::UNPROCESSABLE_ENTITY, outcome);
    };
    let Some(dir) = state.content_dir().map(std::path::Path::to_path_buf) else {
        let outcome = Outcome {
            file: name,
            failed: Some(crate::i18n::format(l, "share.no_folder", &[])),
            ..Outcome::default()
        };
        return page(&state, lang, StatusCode::CONFLICT, outcome);
    };
    let now = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    // The import and the reload read and write files: both off the async threads.
    let reloading = state.clone();
    let result = tokio::task::spawn_blocking(move || -> Result<_, share::Refusal> {
        let imported = share::import(&dir, &bytes, &now)?;
        if let Err(problems) = reloading.reload_content() {
            // Only a file changed by someone else since the check can do this; the
            // last good content keeps serving, and the organizer pages say why.
            tracing::warn!(
                "content reload after a programme import found {} problems",
                problems.len()
            );
        }
        Ok(imported)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("programme import: {e}")))?;
    match result {
        Ok(imported) => {
            tracing::info!(
                "imported programme {:?}: wrote {:?}, kept {:?}",
                imported.curricula,
                imported.written,
                imported.kept
            );
            let library = state.library();
            let mut done = vec![crate::i18n::format(l, "share.imported", &[])];
            if !imported.written.is_empty() {
                done.push(crate::i18n::format(
                    l,
                    "share.written",
                    &[imported.written.join(", ")],
                ));
            }
            if !imported.unchanged.is_empty() {
                done.push(crate::i18n::format(
                    l,
                    "share.unchanged",
                    &[imported.unchanged.join(", ")],
                ));
            }
            for (file, kept) in &imported.kept {
                done.push(crate::i18n::format(
                    l,
                    "share.kept",
                    &[file.clone(), kept.clone()],
                ));
            }
            let curricula = imported
                .curricula
                .iter()
                .filter_map(|id| library.curricula.get(id))
                .map(|c| (c.id.clone(), c.title.clone()))
                .collect();
            let outcome = Outcome {
                file: name,
                done,
                curricula,
                ..Outcome::default()
            };
            page(&state, lang, StatusCode::OK, outcome)
        }
        Err(refusal) => {
            let status = if refusal.conflict {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let outcome = Outcome {
                file: name,
                failed: Some(format!(
                    "{}{}{}",
                    refusal.message(l),
                    l.pick("", " "),
                    crate::i18n::format(l, "share.nothing_written", &[])
                )),
                problems: refusal.lines(l),
                ..Outcome::default()
            };
            page(&state, lang, status, outcome)
        }
    }
}
