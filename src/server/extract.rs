//! Request extractors: the UI language, and forms whose rejections become our error pages.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::AppError;

/// The UI language chosen by the `lang` cookie (Japanese unless English was picked),
/// and the page's own path so the language switch can come back to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lang {
    /// `ja` or `en`.
    pub code: &'static str,
    /// Path and query of the request.
    pub path: String,
}

impl Lang {
    /// Reads the language from request headers.
    pub fn from_headers(headers: &axum::http::HeaderMap, path: &str) -> Self {
        let english = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|pair| pair.trim() == "lang=en");
        Lang {
            code: if english { "en" } else { "ja" },
            path: path.to_string(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        Ok(Self::from_headers(&parts.headers, path))
    }
}

/// `axum::Form` with rejections turned into a clear page instead of plain text.
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) => {
                let too_large = rejection.status() == StatusCode::PAYLOAD_TOO_LARGE;
                tracing::info!("form rejected: {rejection}");
                Err(if too_large {
                    AppError::user(StatusCode::PAYLOAD_TOO_LARGE, "err.too_large", Vec::new())
                } else {
                    AppError::user(StatusCode::UNPROCESSABLE_ENTITY, "err.form", Vec::new())
                })
            }
        }
    }
}
