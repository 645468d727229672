//! The one error type handlers return, shown to people as a page in their language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::db::DbError;
use crate::render::RenderError;

/// What went wrong, as a message key from [`crate::i18n`] with its arguments.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something the user can fix or understand: a wrong code, an over-long answer…
    #[error("{key} {args:?}")]
    User {
        /// The status the page is sent with (400, 403, 404, 409, 429…), which scripts act on.
        status: StatusCode,
        /// The [`crate::i18n`] key of the message, shown in the user's language.
        key: &'static str,
        /// Values for `{0}`, `{1}`… in the message.
        args: Vec<String>,
        /// Text the user typed that could not be saved, shown back so nothing is lost.
        kept: Option<String>,
    },
    /// A fault of ours; logged in full, shown only as a generic message.
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// 404 with a message saying what was not found.
    pub fn not_found(key: &'static str) -> Self {
        Self::User {
            status: StatusCode::NOT_FOUND,
            key,
            args: Vec::new(),
            kept: None,
        }
    }

    /// 400 with a message.
    pub fn bad(key: &'static str) -> Self {
        Self::User {
            status: StatusCode::BAD_REQUEST,
            key,
            args: Vec::new(),
            kept: None,
        }
    }

    /// Any status with a message and arguments.
    pub fn user(status: StatusCode, key: &'static str, args: Vec<String>) -> Self {
        Self::User {
            status,
            key,
            args,
            kept: None,
        }
    }

    /// Shows `text` back on the error page (a refused save must not lose what was typed).
    pub fn keeping(self, text: Option<String>) -> Self {
        match self {
            Self::User {
                status, key, args, ..
            } => Self::User {
                status,
                key,
                args,
                kept: text.filter(|t| !t.trim().is_empty()),
            },
            other => other,
        }
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        Self::Internal(e.into())
    }
}

impl From<RenderError> for AppError {
    fn from(e: RenderError) -> Self {
        Self::Internal(e.into())
    }
}

/// Carried from the handler to the error-page layer, which knows the user's language.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// The i18n key of the message shown on the error page (in the page's language).
    pub key: &'static str,
    /// The values filled into the message's `{}` places, in order.
    pub args: Vec<String>,
    /// What the person had typed when a save was refused, shown back so nothing is lost.
    pub kept: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, page) = match self {
            AppError::User {
                status,
                key,
                args,
                kept,
            } => (status, ErrorPage { key, args, kept }),
            AppError::Internal(e) => {
                tracing::error!("{e:#}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorPage {
                        key: "err.internal",
                        args: Vec::new(),
                        kept: None,
                    },
                )
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}
