//! Organizer pages: the curricula on offer, the sessions held, creating a session.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::auth::{Organizer, is_organizer};
use super::{AppError, AppState, Form, PageLang, see_other};
use crate::db::{sessions, sessions::NewSession};
use crate::render::to_value;

/// The start page, curricula and creating a session. `/` is open to everyone (the way
/// in for tables) and shows more to the signed-in organizer; the other two take the
/// [`Organizer`](super::auth::Organizer) proof.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/curricula/{id}", get(curriculum))
        .route("/sessions", post(create_session))
}

/// The start page, open to everyone: the way in for tables, and for the signed-in
/// organizer also the curricula and the sessions held.
pub fn home_routes() -> axum::Router<AppState> {
    axum::Router::new().route("/", axum::routing::get(home))
}

/// `?imported=ID`: the session an import has just made, to say so on the home page.
#[derive(Debug, Default, Deserialize)]
pub struct HomeQuery {
    imported: Option<String>,
}

/// The start page: for everyone the way in for tables; for the signed-in organizer
/// also the curricula and the sessions held.
pub async fn home(
    State(state): State<AppState>,
    lang: PageLang,
    headers: axum::http::HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    // Read leniently: the start page must open whatever its address carries.
    let query: HomeQuery = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    if !is_organizer(&state, &headers).await? {
        return state.page(lang, "home.html", context! { organizer => false, curricula => to_value(&Vec::<()>::new()), sessions => to_value(&Vec::<()>::new()) });
    }
    let card = ImportCard {
        imported: query.imported,
        ..ImportCard::default()
    };
    organizer_home(&state, lang, card).await
}

/// What the home page's import card shows after an upload.
#[derive(Debug, Default, Serialize)]
pub struct ImportCard {
    /// The id of the session just imported.
    pub imported: Option<String>,
    /// The name of the file refused.
    pub file: String,
    /// Why the file was refused as a whole, in the organizer's language (its line-numbered
    /// problems are in `problems`); `None` when it was not refused.
    pub failed: Option<String>,
    /// The problems of a refused file, one per line.
    pub problems: Vec<String>,
}

/// The organizer's home page, with the import card in the given state.
pub async fn organizer_home(
    state: &AppState,
    lang: PageLang,
    card: ImportCard,
) -> Result<Response, AppError> {
    let sessions = state.db.read(sessions::sessions).await?;
    let curricula: Vec<_> = state.library().curricula.values().cloned().collect();
    let imported = card
        .imported
        .as_ref()
        .and_then(|id| sessions.iter().find(|s| &s.id == id))
        .map(|s| {
            crate::i18n::format(
                lang.lang,
                "exchange.imported",
                &[s.title.clone(), s.held_on.clone()],
            )
        });
    state.page(
        lang,
        "home.html",
        context! { organizer => true, curricula => to_value(&curricula), sessions => to_value(&sessions), import_card => to_value(&card), imported },
    )
}

/// A curriculum's outline with the form to start a session of it.
pub async fn curriculum(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let curriculum = state
        .library()
        .curricula
        .get(&id)
        .cloned()
        .ok_or_else(|| AppError::not_found("err.curriculum"))?;
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let form = context! { title => curriculum.title.clone(), held_on => today, place => "", tables => "6", rehearsal => false };
    let library = state.library();
    let case_titles = case_titles(&library);
    let warnings = warning_lines(&library, &curriculum.id, lang.lang);
    state.page(lang, "curriculum.html", context! { curriculum => to_value(&curriculum), case_titles, form, errors => to_value(&Vec::<String>::new()), warnings => to_value(&warnings) })
}

/// Each case's title by its id: pages name a case by its title, not its id.
fn case_titles(library: &crate::content::Library) -> std::collections::BTreeMap<String, String> {
    library
        .cases
        .values()
        .map(|c| (c.id.clone(), c.title.clone()))
        .collect()
}

/// A content warning as the curriculum page lists it.
#[derive(Debug, Serialize)]
pub struct WarningLine {
    /// `cases/x.md:12`.
    pub place: String,
    /// What the author may want to look at.
    pub message: String,
    /// How to change it.
    pub hint: String,
}

/// The warnings of a curriculum and the cases it walks, worded in `lang`.
fn warning_lines(
    library: &crate::content::Library,
    curriculum: &str,
    lang: crate::lang::Lang,
) -> Vec<WarningLine> {
    library
        .warnings_for(curriculum)
        .iter()
        .map(|w| WarningLine {
            place: format!("{}:{}", w.path, w.line),
            message: w.message(lang),
            hint: w.hint(lang),
        })
        .collect()
}

/// The fields of the new-session form.
#[derive(Debug, Deserialize)]
pub struct NewSessionForm {
    curriculum: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    tables: String,
    /// Present (any value) when the session is a rehearsal.
    #[serde(default)]
    rehearsal: Option<String>,
}

/// Creates a session and opens its facilitator view.
pub async fn create_session(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Form(form): Form<NewSessionForm>,
) -> Result<Response, AppError> {
    // One snapshot of the content for the whole request: a reload in between must not
    // pair this curriculum with another version's files.
    let library = state.library();
    let curriculum = library
        .curricula
        .get(&form.curriculum)
        .cloned()
        .ok_or_else(|| AppError::not_found("err.curriculum"))?;
    let title = crate::text::clean_line(&form.title);
    let place = crate::text::clean_line(&form.place);
    let mut errors = Vec::new();
    if title.trim().is_empty() || title.chars().count() > crate::text::TITLE_MAX {
        errors.push(crate::i18n::format(lang.lang, "form.err_title", &[]));
    }
    if place.chars().count() > crate::text::PLACE_MAX {
        errors.push(crate::i18n::format(lang.lang, "form.err_place", &[]));
    }
    let held_on = chrono::NaiveDate::parse_from_str(form.held_on.trim(), "%Y-%m-%d").ok();
    if held_on.is_none() {
        errors.push(crate::i18n::format(lang.lang, "form.err_date", &[]));
    }
    let tables = super::number_in(&form.tables, 1..=crate::session::MAX_TABLES);
    if tables.is_none() {
        errors.push(crate::i18n::format(
            lang.lang,
            "form.err_tables",
            &[crate::session::MAX_TABLES.to_string()],
        ));
    }
    let (Some(held_on), Some(table_count), true) = (held_on, tables, errors.is_empty()) else {
        let case_titles = case_titles(&library);
        let values = context! { title => form.title, held_on => form.held_on, place => form.place, tables => form.tables, rehearsal => form.rehearsal.is_some() };
        let warnings = warning_lines(&library, &curriculum.id, lang.lang);
        let mut page = state.page(lang, "curriculum.html", context! { curriculum => to_value(&curriculum), case_titles, form => values, errors => to_value(&errors), warnings => to_value(&warnings) })?;
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(page);
    };
    let sources = library
        .bundle_sources(&curriculum.id)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no sources for {}", curriculum.id)))?;
    let new = NewSession {
        curriculum_id: curriculum.id.clone(),
        content_hash: sources.hash(),
        sources,
        title: title.trim().to_string(),
        held_on: held_on.format("%Y-%m-%d").to_string(),
        place: place.trim().to_string(),
        table_count,
        rehearsal: form.rehearsal.is_some(),
    };
    let session = state
        .db
        .write(move |conn| sessions::create_session(conn, &new))
        .await?;
    Ok(see_other(&format!("/f/{}", session.facilitator_key)))
}
