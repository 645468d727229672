//! The organizer moves an item of the cross-session report to another theme
//! (`POST /reports/move`), from the form beside each item on `/reports`.
//!
//! The form names the item by what the page showed (the list, the theme it is under
//! and its normalised text); the handler rebuilds the report with the same filter and
//! moves every writing of that item the theme holds, so nothing the browser sends is
//! stored but a theme id checked against the report's themes.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{CrossQuery, cross_download};
use crate::db::themes::{self, Change, Target};
use crate::report::{items, moves};
use crate::server::auth::Organizer;
use crate::server::{AppError, AppState, Form, PageLang, see_other};

/// The move form.
#[derive(Debug, Deserialize)]
pub struct MoveForm {
    /// `issues` or `measures`.
    #[serde(default)]
    section: String,
    /// The theme the item is shown under.
    #[serde(default)]
    under: String,
    /// The item's normalised text.
    #[serde(default)]
    item: String,
    /// The theme to move it to; empty puts it back where the report places it.
    #[serde(default)]
    theme: String,
    /// Set by the undo button: back where the report places it.
    #[serde(default)]
    back: String,
    /// The report's filter, to rebuild it and to return to it.
    #[serde(default)]
    curriculum: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The anchor of a theme's row on `/reports`, as the page writes it.
pub fn anchor(section: &str, theme: &str) -> String {
    format!("theme-{section}-{theme}")
}

/// POST /reports/move: stores the move (or removes it when the item goes back to the
/// theme the report chose) and returns to the same theme of the same report.
pub async fn move_item(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Form(f): Form<MoveForm>,
) -> Result<Response, AppError> {
    let target = if f.back.is_empty() {
        f.theme.trim().to_string()
    } else {
        String::new()
    };
    if !target.is_empty() && !moves::is_theme(&target) {
        return Err(AppError::user(
            StatusCode::BAD_REQUEST,
            "reports.err_theme",
            vec![target.chars().take(40).collect()],
        ));
    }
    let q = CrossQuery {
        curriculum: f.curriculum,
        from: f.from,
        to: f.to,
    };
    let (_, report) = cross_download(&state, &q, lang.lang).await?;
    let groups = match f.section.as_str() {
        "issues" => &report.issues,
        "measures" => &report.measures,
        _ => {
            return Err(AppError::user(
                StatusCode::BAD_REQUEST,
                "reports.err_item",
                Vec::new(),
            ));
        }
    };
    let placed = groups.iter().find(|p| p.group.id == f.under);
    let Some(held) = placed.and_then(|p| p.holds.get(&f.item)) else {
        // Another window moved it, or its table changed the text since the page was made.
        return Err(AppError::user(
            StatusCode::CONFLICT,
            "reports.err_item",
            Vec::new(),
        ));
    };
    let changes: Vec<(Target, Change)> = held
        .iter()
        .map(|h| {
            let t = Target {
                session_id: h.session.clone(),
                prompt_key: h.prompt.clone(),
                table_number: h.table,
                item: items::normalize(&h.text),
            };
            // Back where the report puts it alone: no move is kept.
            let back = target.is_empty() || h.engine == [target.as_str()];
            let change = if back {
                Change::Back
            } else {
                Change::Put {
                    text: h.text.clone(),
                    theme: target.clone(),
                }
            };
            (t, change)
        })
        .collect();
    // Where to return: the same theme, unless the item was all it held.
    let emptied = placed.is_some_and(|p| p.holds.len() == 1);
    let to_theme = match (emptied, target.is_empty()) {
        (false, _) => f.under.clone(),
        (true, false) => target.clone(),
        (true, true) => held
            .first()
            .and_then(|h| h.engine.first().cloned())
            .unwrap_or_else(|| items::OTHER.to_string()),
    };
    state
        .db
        .write(move |conn| themes::apply(conn, &changes))
        .await?;
    let query = report.filter.query();
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    Ok(see_other(&format!(
        "/reports{query}#{}",
        anchor(&f.section, &to_theme)
    )))
}
