//! The organizer moves an item of the cross-session report to another theme
//! (`POST /reports/move`), from the form beside each item on `/reports`.
//!
//! The form names the item by its key (`report::items::item_key`: session, table,
//! prompt, normalised text) and the theme; the handler rebuilds the report with the
//! same filter, finds the item there and checks the theme against the report's own
//! themes (a curriculum's first, then the built-ins). Nothing the browser sends is
//! stored but a key and a theme id the report itself holds.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{CrossQuery, cross_download};
use crate::db::themes::{self, Change, Target};
use crate::report::items;
use crate::server::auth::Organizer;
use crate::server::{AppError, AppState, Form, PageLang, see_other};

/// The move form.
#[derive(Debug, Deserialize)]
pub struct MoveForm {
    /// The item's key, as the page wrote it (`data-key`).
    #[serde(default)]
    key: String,
    /// The theme to move it to; the theme its words put it under removes the move.
    #[serde(default)]
    theme: String,
    /// Set by the undo button: back where its words put it.
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
    format!("{section}-{theme}")
}

/// POST /reports/move: stores the move (or removes it when the item goes back to the
/// theme its words chose) and returns to the theme it now stands under.
pub async fn move_item(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Form(f): Form<MoveForm>,
) -> Result<Response, AppError> {
    let q = CrossQuery {
        curriculum: f.curriculum,
        from: f.from,
        to: f.to,
    };
    let (_, report) = cross_download(&state, &q, lang.lang).await?;
    let back = !f.back.is_empty();
    let target = f.theme.trim();
    if !back && !report.knows_theme(target) {
        return Err(AppError::user(
            StatusCode::BAD_REQUEST,
            "reports.err_theme",
            vec![target.chars().take(40).collect()],
        ));
    }
    let Some((section, group, place)) = report.place(&f.key) else {
        // Its table rewrote it since the page was made, or the filter leaves it out.
        return Err(AppError::user(
            StatusCode::CONFLICT,
            "reports.err_item",
            Vec::new(),
        ));
    };
    // The theme its words put it under: where it goes back to.
    let own = place.from.clone().unwrap_or_else(|| group.id.clone());
    let to_theme = if back || target == own {
        own.clone()
    } else {
        target.to_string()
    };
    let change = if to_theme == own {
        Change::Back
    } else {
        Change::Put {
            text: place.text.clone(),
            theme: to_theme.clone(),
        }
    };
    let target = Target {
        session_id: place.session.clone(),
        prompt_key: place.prompt.clone(),
        table_number: place.table,
        item: items::normalize(&place.text),
    };
    state
        .db
        .write(move |conn| themes::apply(conn, &[(target, change)]))
        .await?;
    let query = report.filter.query();
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    Ok(see_other(&format!(
        "/reports{query}#{}",
        anchor(section, &to_theme)
    )))
}
