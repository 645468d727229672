//! The reception desk on the day: find a person on the roster, mark them arrived, and
//! tell them their table. People can also check themselves in on their own phone
//! (see `participant`); both land in the same place. Organizer-only.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

use super::auth::Organizer;
use super::{AppError, AppState, Form, PageLang, see_other};
use crate::db::{Actor, roster};
use crate::live::Audience;
use crate::render::to_value;

/// The organizer's check-in desk; each handler takes the [`Organizer`] proof.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/s/{id}/checkin", get(view))
        .route("/s/{id}/checkin/{person}", post(mark))
}

/// The desk page's search.
#[derive(Debug, Default, Deserialize)]
pub struct DeskQuery {
    #[serde(default)]
    q: String,
}

/// Whether a roster row matches the desk's search: a number finds that person only;
/// other text is looked for in the name, organization and area; empty matches everyone.
fn matches(p: &roster::ParticipantRow, q: &str) -> bool {
    let q = q.trim();
    let digits = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    if !q.is_empty() && q.chars().all(digits) {
        return crate::token::normalize_code(q).parse::<i64>() == Ok(p.seq);
    }
    q.is_empty()
        || [&p.name, &p.organization, &p.area]
            .iter()
            .any(|field| field.contains(q))
}

/// The desk page.
pub async fn view(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
    Query(query): Query<DeskQuery>,
) -> Result<Response, AppError> {
    let query = DeskQuery {
        q: crate::text::clean_line(&query.q),
    };
    let session = super::session_by_id(&state, &id).await?;
    // Read so the page names the roles of the session's own content.
    state.session_with_content(session.clone()).await?;
    let people = super::roster::people(&state, &id).await?;
    let arrived = people.iter().filter(|p| p.checked_in_at.is_some()).count();
    let shown: Vec<_> = people.iter().filter(|p| matches(p, &query.q)).collect();
    state.page(
        lang,
        "checkin.html",
        context! {
            session => to_value(&session),
            people => to_value(&shown),
            total => people.len(),
            arrived,
            q => query.q,
        },
    )
}

/// Arrived or not, from the desk.
#[derive(Debug, Deserialize)]
pub struct DeskForm {
    #[serde(default)]
    arrived: String,
    #[serde(default)]
    q: String,
}

/// Marks one person arrived (or undoes it) and returns to the same search.
pub async fn mark(
    _: Organizer,
    State(state): State<AppState>,
    Path((id, person)): Path<(String, i64)>,
    Form(form): Form<DeskForm>,
) -> Result<Response, AppError> {
    let arrived = form.arrived == "1";
    let sid = id.clone();
    let found = state
        .db
        .write(move |conn| roster::set_checked_in(conn, &sid, person, arrived, Actor::Organizer))
        .await?;
    if !found {
        return Err(AppError::not_found("err.person"));
    }
    state.hub.publish(&id, Audience::Staff, "roster", &person);
    let back = serde_urlencoded::to_string([("q", form.q.as_str())]).unwrap_or_default();
    Ok(see_other(&format!("/s/{id}/checkin?{back}#p{person}")))
}
