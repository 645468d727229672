//! PDF downloads: a curriculum's blank workbook and facilitator guide (organizer), a
//! session's record (organizer or facilitator link), one table's record (table link).
//!
//! Rendering is CPU- and memory-heavy, so it runs on a blocking thread and only
//! [`pdf::MAX_JOBS`] run at once; a request beyond that is answered at once with 503
//! and a "busy, try again" page rather than queueing up memory.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::Organizer;
use super::{AppError, AppState, session_for_key};
use crate::db::{sessions, tables};
use crate::pdf::{self, Doc, Orientation, Paper, PdfError};
use crate::session::Run;
use crate::workbook::{self, Document, SessionData};

/// PDF downloads: the organizer's by curriculum or session id (with the [`Organizer`]
/// proof), the facilitator's behind the `/f/{key}` link. The table's own record is a
/// table-screen route, see [`super::table::screen_routes`].
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    curriculum_routes().route("/s/{id}/record.pdf", get(session_record))
}

/// A curriculum's blank workbook and facilitator guide: content only, no session data
/// (the previews of `acp-workbook preview` serve these too).
pub fn curriculum_routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/curricula/{id}/programme.pdf", get(programme))
        .route("/curricula/{id}/guide.pdf", get(guide))
}

/// The PDFs behind the facilitator's link (its key is the guard).
pub fn facilitator_routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/f/{key}/record.pdf", get(session_record_for_facilitator))
        .route("/f/{key}/guide.pdf", get(guide_for_facilitator))
}

/// `?paper=b5` (A4 when absent).
#[derive(Debug, Default, Deserialize)]
pub struct PaperQuery {
    paper: Option<String>,
}

impl PaperQuery {
    fn paper(&self) -> Result<Paper, AppError> {
        match &self.paper {
            None => Ok(Paper::A4),
            Some(p) => Paper::parse(p).ok_or_else(|| AppError::bad("err.form")),
        }
    }
}

/// `filename*=` value: RFC 5987 percent-encoding of UTF-8.
fn encode_filename(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Renders `build()` off the async threads, if a render slot is free.
async fn send(
    build: impl FnOnce() -> Result<Doc, AppError> + Send + 'static,
    paper: Paper,
    ascii_name: String,
    title: String,
) -> Result<Response, AppError> {
    send_turned(build, paper, Orientation::Portrait, ascii_name, title).await
}

/// As [`send`], on paper turned `orientation`.
pub(super) async fn send_turned(
    build: impl FnOnce() -> Result<Doc, AppError> + Send + 'static,
    paper: Paper,
    orientation: Orientation,
    ascii_name: String,
    title: String,
) -> Result<Response, AppError> {
    let permit = pdf::job().ok_or_else(|| {
        AppError::user(StatusCode::SERVICE_UNAVAILABLE, "err.pdf_busy", Vec::new())
    })?;
    let rendered = tokio::task::spawn_blocking(move || {
        // The slot is held until the render ends, even if the client has gone.
        let _permit = permit;
        let doc = build()?;
        pdf::render_turned(&doc, paper, orientation, &mut |_| {}).map_err(|e| match e {
            PdfError::TooLong { pages, max } => AppError::user(
                StatusCode::PAYLOAD_TOO_LARGE,
                "err.pdf_too_long",
                vec![pages.to_string(), max.to_string()],
            ),
            PdfError::Render(message) => {
                AppError::Internal(anyhow::anyhow!("rendering {title}: {message}"))
            }
        })
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("PDF task failed: {e}")))??;
    for warning in rendered.warnings() {
        tracing::warn!("{ascii_name}: {warning}");
    }
    let disposition = format!(
        "attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}",
        encode_filename(&ascii_name)
    );
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/pdf"),
        )],
        rendered.bytes,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

fn curriculum_doc(
    state: &AppState,
    id: &str,
    document: Document,
) -> Result<(Doc, String), AppError> {
    let library = state.library();
    let curriculum = library
        .curricula
        .get(id)
        .ok_or_else(|| AppError::not_found("err.curriculum"))?;
    let doc = match document {
        Document::Guide => workbook::guide(curriculum, &library),
        _ => workbook::programme(curriculum, &library),
    };
    Ok((doc, workbook::file_name(document, id)))
}

/// GET /curricula/{id}/programme.pdf: the blank workbook.
pub async fn programme(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PaperQuery>,
) -> Result<Response, AppError> {
    curriculum_pdf(&state, &id, &q, Document::Programme).await
}

/// GET /curricula/{id}/guide.pdf: the facilitator guide.
pub async fn guide(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PaperQuery>,
) -> Result<Response, AppError> {
    curriculum_pdf(&state, &id, &q, Document::Guide).await
}

/// One of a bundled curriculum's documents, rendered on the paper asked for.
async fn curriculum_pdf(
    state: &AppState,
    id: &str,
    q: &PaperQuery,
    document: Document,
) -> Result<Response, AppError> {
    let paper = q.paper()?;
    let (doc, name) = curriculum_doc(state, id, document)?;
    let title = doc.title.clone();
    send(move || Ok(doc), paper, name, title).await
}

/// GET /f/{key}/guide.pdf: the guide of the content the session runs on.
pub async fn guide_for_facilitator(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(q): Query<PaperQuery>,
) -> Result<Response, AppError> {
    let paper = q.paper()?;
    let run = session_for_key(&state, key).await?;
    let name = workbook::file_name(Document::Guide, &run.curriculum.id);
    let title = run.curriculum.title.clone();
    send(
        move || Ok(workbook::guide(&run.curriculum, &run.library)),
        paper,
        name,
        title,
    )
    .await
}

async fn session_data(state: &AppState, run: Run) -> Result<SessionData, AppError> {
    Ok(state
        .db
        .write(move |conn| SessionData::load(conn, run))
        .await?)
}

async fn record(state: &AppState, run: Run, paper: Paper) -> Result<Response, AppError> {
    let name = workbook::file_name(Document::Session, &run.session.held_on);
    let title = run.session.title.clone();
    let data = session_data(state, run).await?;
    send(
        move || Ok(workbook::session_record(&data)),
        paper,
        name,
        title,
    )
    .await
}

/// GET /s/{id}/record.pdf: the session record, for the organizer.
pub async fn session_record(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PaperQuery>,
) -> Result<Response, AppError> {
    let paper = q.paper()?;
    let session = state
        .db
        .read(move |conn| sessions::session(conn, &id))
        .await?
        .ok_or_else(|| AppError::not_found("err.session"))?;
    let run = state.session_with_content(session).await?;
    record(&state, run, paper).await
}

/// GET /f/{key}/record.pdf: the session record, with the facilitator's link.
pub async fn session_record_for_facilitator(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(q): Query<PaperQuery>,
) -> Result<Response, AppError> {
    let paper = q.paper()?;
    let run = session_for_key(&state, key).await?;
    record(&state, run, paper).await
}

/// GET /t/{token}/record.pdf: one table's record, for the table to take home.
pub async fn table_record(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<PaperQuery>,
) -> Result<Response, AppError> {
    let paper = q.paper()?;
    let (table, session) = state
        .db
        .read(move |conn| {
            let Some(table) = tables::table_by_token(conn, &token)? else {
                return Ok(None);
            };
            let session = sessions::session(conn, &table.session_id)?;
            Ok(session.map(|s| (table, s)))
        })
        .await?
        .ok_or_else(|| AppError::not_found("err.table_link"))?;
    let run = state.session_with_content(session).await?;
    let number = table.number;
    let name = workbook::file_name(
        Document::Table,
        &format!("{}-table-{number}", run.session.held_on),
    );
    let title = run.session.title.clone();
    let data = session_data(&state, run).await?;
    send(
        move || {
            workbook::table_record(&data, number).ok_or_else(|| AppError::not_found("err.table"))
        },
        paper,
        name,
        title,
    )
    .await
}

/// The typed characters of `run`'s session (or of one `table`) that its PDFs print as
/// code points, one line each with where they were typed, for the pages that link to
/// the PDFs (`templates/unprintable.html`). Empty when everything prints. A session's
/// texts are small and the check is a font lookup per distinct character.
pub(super) async fn unprintable_lines(
    state: &AppState,
    run: &Run,
    table: Option<i64>,
    lang: crate::lang::Lang,
) -> Result<Vec<String>, AppError> {
    let id = run.session.id.clone();
    let (tables, conclusions, people, responses) = state
        .db
        .read(move |conn| {
            Ok((
                tables::tables(conn, &id)?,
                crate::db::conclusions::latest_conclusions(conn, &id)?,
                crate::db::roster::participants(conn, &id)?,
                crate::db::survey::responses(conn, &id)?,
            ))
        })
        .await?;
    let report = workbook::glyphs::session_unprintable(
        run,
        &tables,
        &conclusions,
        &people,
        &responses,
        table,
        lang,
    );
    Ok(report.lines(lang))
}
