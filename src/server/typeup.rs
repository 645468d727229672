//! The organizer's page for typing up a meeting's results reported on paper or in Word
//! (`/s/{id}/typeup`): a CSV file, or one table's report text pasted. Each post is
//! checked and previewed first; the save is a second post of the same text, which the
//! server reads and checks again (the preview is never trusted), all or nothing.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::{AppError, AppState, Form, PageLang, see_other, session_by_id};
use crate::content::OWN_HEADINGS_MAX;
use crate::problem::Problem;
use crate::render::to_value;
use crate::session::Run;
use crate::typeup::{self, Row, Typed};

/// Largest CSV file or form accepted: a 60-table day with three long lists each is a
/// few hundred KB; this leaves room and still bounds memory.
pub const TYPEUP_LIMIT: usize = 2 * 1024 * 1024;

/// The page, its template, and the two posts (CSV, paste); organizer-only.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/s/{id}/typeup", get(view))
        .route("/s/{id}/typeup/template.csv", get(template))
        .route(
            "/s/{id}/typeup/csv",
            get(to_page)
                .post(csv)
                .layer(axum::extract::DefaultBodyLimit::max(TYPEUP_LIMIT)),
        )
        .route(
            "/s/{id}/typeup/paste",
            get(to_page)
                .post(paste)
                .layer(axum::extract::DefaultBodyLimit::max(TYPEUP_LIMIT)),
        )
}

/// What a successful save reports on the page.
#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    saved: Option<usize>,
    unchanged: Option<usize>,
}

/// The paste form as posted (and shown again).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct PasteForm {
    #[serde(default)]
    table: String,
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    text: String,
    /// What the preview saw as stored; present when the save is confirmed.
    #[serde(default)]
    seen: Option<String>,
}

/// What one post found, for the page.
#[derive(Default)]
struct Found {
    /// Which form it answers: `csv` or `paste`.
    mode: &'static str,
    problems: Vec<Problem>,
    preview: Option<Vec<Typed>>,
    /// The preview is shown again because something was saved after it.
    changed: bool,
    /// The CSV file as text, posted back with the save.
    csv_text: String,
    encoding: Option<&'static str>,
    paste: PasteForm,
}

async fn page(
    state: &AppState,
    lang: PageLang,
    run: &Run,
    found: Found,
    notice: Notice,
) -> Result<Response, AppError> {
    let prompts = typeup::prompts(run, lang.lang);
    let messages: Vec<String> = found
        .problems
        .iter()
        .map(|p| p.message(lang.lang))
        .collect();
    let (preview, seen) = match &found.preview {
        Some(typed) => (
            Some(typeup::preview(run, typed, lang.lang)),
            typeup::seen(typed),
        ),
        None => (None, String::new()),
    };
    let saved = notice.saved.map(|n| {
        let mut text = crate::i18n::format(lang.lang, "typeup.saved", &[n.to_string()]);
        if let Some(u) = notice.unchanged.filter(|u| *u > 0) {
            text = format!(
                "{text}{}{}",
                lang.lang.pick("", " "),
                crate::i18n::format(lang.lang, "typeup.saved_unchanged", &[u.to_string()])
            );
        }
        text
    });
    let mut response = state.page(
        lang,
        "typeup.html",
        context! {
            session => to_value(&run.session),
            prompts => to_value(&prompts),
            tables => run.session.table_count,
            own_max => OWN_HEADINGS_MAX,
            mode => found.mode,
            problems => to_value(&messages),
            preview => to_value(&preview),
            seen,
            changed => found.changed,
            csv_text => found.csv_text,
            encoding => found.encoding,
            paste => to_value(&found.paste),
            saved,
        },
    )?;
    if !found.problems.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    } else if found.changed {
        *response.status_mut() = super::REFUSED;
    }
    Ok(response)
}

/// The page.
pub async fn view(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let run = state.session_with_content(session).await?;
    page(&state, lang, &run, Found::default(), notice).await
}

/// A post's own address opened directly (the language switch after a post does this).
pub async fn to_page(Path(id): Path<String>) -> Response {
    see_other(&format!("/s/{id}/typeup"))
}

/// The CSV template: the header and example rows for this session's prompt.
pub async fn template(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let run = state.session_with_content(session).await?;
    Ok(super::attachment(
        typeup::template_csv(&run),
        "text/csv; charset=utf-8",
        "typeup-template.csv",
    ))
}

/// What checking (and, when confirmed, storing) the rows came to.
enum Outcome {
    Problems(Vec<Problem>),
    Preview(Vec<Typed>),
    Changed(Vec<Typed>),
    Saved(usize, usize),
}

/// Checks the rows against the session as stored now; with `seen` (what the preview
/// showed as stored) stores them in one transaction, unless something was saved since.
async fn check_or_save(
    state: &AppState,
    run: &Run,
    rows: Vec<Row>,
    seen: Option<String>,
    via: &'static str,
) -> Result<Outcome, AppError> {
    let run = run.clone();
    let outcome = match seen {
        None => {
            state
                .db
                .read(move |conn| {
                    Ok(match typeup::check(conn, &run, &rows)? {
                        Ok(typed) => Outcome::Preview(typed),
                        Err(problems) => Outcome::Problems(problems),
                    })
                })
                .await?
        }
        Some(seen) => {
            state
                .db
                .write(move |conn| {
                    let typed = match typeup::check(conn, &run, &rows)? {
                        Ok(typed) => typed,
                        Err(problems) => return Ok(Outcome::Problems(problems)),
                    };
                    if typeup::seen(&typed) != seen {
                        return Ok(Outcome::Changed(typed));
                    }
                    let (saved, unchanged) = typeup::store(conn, &run.session.id, typed, via)?;
                    Ok(Outcome::Saved(saved, unchanged))
                })
                .await?
        }
    };
    Ok(outcome)
}

/// Shows what a post came to: the problems, the preview, or (saved) the page's notice.
async fn answer(
    state: &AppState,
    lang: PageLang,
    run: &Run,
    outcome: Outcome,
    mut found: Found,
) -> Result<Response, AppError> {
    match outcome {
        Outcome::Problems(problems) => found.problems = problems,
        Outcome::Preview(typed) => found.preview = Some(typed),
        Outcome::Changed(typed) => {
            found.preview = Some(typed);
            found.changed = true;
        }
        Outcome::Saved(saved, unchanged) => {
            return Ok(see_other(&format!(
                "/s/{}/typeup?saved={saved}&unchanged={unchanged}#done",
                run.session.id
            )));
        }
    }
    page(state, lang, run, found, Notice::default()).await
}

/// A CSV file (multipart `file`), or its text posted back by the preview (`csv`, with
/// `seen` to save).
pub async fn csv(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let run = state.session_with_content(session).await?;
    let upload = super::upload::read(multipart, "typeup").await?;
    let mut found = Found {
        mode: "csv",
        ..Found::default()
    };
    if run.session.purged_at.is_some() {
        found.problems = vec![Problem::at_line(0, "typeup.err_purged", &[])];
        return page(&state, lang, &run, found, Notice::default()).await;
    }
    let sheet = if !upload.bytes.is_empty() {
        typeup::read_csv(&upload.bytes).inspect(|sheet| found.encoding = Some(sheet.encoding))
    } else if let Some(text) = upload.text("csv").filter(|t| !t.trim().is_empty()) {
        typeup::read_text(text)
    } else {
        Err(vec![Problem::at_line(0, "typeup.err_no_file", &[])])
    };
    let sheet = match sheet {
        Ok(sheet) => sheet,
        Err(problems) => {
            found.problems = problems;
            return page(&state, lang, &run, found, Notice::default()).await;
        }
    };
    found.csv_text = sheet.text;
    // A file chosen again is a new check, even when the form also carries the old text.
    let seen = if upload.bytes.is_empty() {
        upload.text("seen").map(str::to_string)
    } else {
        None
    };
    let outcome = check_or_save(&state, &run, sheet.rows, seen, "csv").await?;
    answer(&state, lang, &run, outcome, found).await
}

/// One table's report text pasted for one prompt (`table`, `prompt`, `text`; `seen` to
/// save).
pub async fn paste(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
    Form(form): Form<PasteForm>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let run = state.session_with_content(session).await?;
    let mut found = Found {
        mode: "paste",
        ..Found::default()
    };
    if run.session.purged_at.is_some() {
        found.problems = vec![Problem::at_line(0, "typeup.err_purged", &[])];
        return page(&state, lang, &run, found, Notice::default()).await;
    }
    if form.table.trim().is_empty() {
        found.problems = vec![Problem::at_line(0, "typeup.err_paste_table", &[])];
        found.paste = form;
        return page(&state, lang, &run, found, Notice::default()).await;
    }
    let headed = typeup::prompts(&run, lang.lang)
        .iter()
        .find(|p| p.key == form.prompt)
        .is_none_or(|p| p.headed);
    let rows = typeup::paste_rows(&form.text, &form.table, &form.prompt, headed);
    let seen = form.seen.clone();
    found.paste = PasteForm { seen: None, ..form };
    let rows = match rows {
        Ok(rows) => rows,
        Err(problems) => {
            found.problems = problems;
            return page(&state, lang, &run, found, Notice::default()).await;
        }
    };
    let outcome = check_or_save(&state, &run, rows, seen, "paste").await?;
    answer(&state, lang, &run, outcome, found).await
}
