//! Request extractors: the UI language, and forms whose rejections become our error pages.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::AppError;
use crate::lang::Lang;

/// The UI language chosen by the `lang` cookie (Japanese unless English was picked),
/// and the page's own path so the language switch can come back to it. This is where a
/// request's language is decided; handlers pass `lang.lang` on from here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLang {
    /// The language of everything this request answers with.
    pub lang: Lang,
    /// Path and query of the request.
    pub path: String,
}

impl PageLang {
    /// Reads the language from request headers.
    pub fn from_headers(headers: &axum::http::HeaderMap, path: &str) -> Self {
        let english = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|pair| pair.trim() == "lang=en");
        PageLang {
            lang: if english { Lang::En } else { Lang::Ja },
            path: path.to_string(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
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
        let form_type = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if req.method() != axum::http::Method::GET && !form_type {
            return Err(AppError::user(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "err.form",
                Vec::new(),
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::user(StatusCode::PAYLOAD_TOO_LARGE, "err.too_large", Vec::new())
                } else if timed_out(&rejection) {
                    AppError::user(StatusCode::REQUEST_TIMEOUT, "err.body_timeout", Vec::new())
                } else {
                    AppError::user(StatusCode::BAD_REQUEST, "err.form", Vec::new())
                }
            })?;
        // Text that is not valid UTF-8 would be stored with replacement marks: refuse it instead.
        if !percent_decodes_to_utf8(&bytes) {
            return Err(AppError::user(
                StatusCode::UNPROCESSABLE_ENTITY,
                "err.form_not_utf8",
                Vec::new(),
            ));
        }
        let cleaned = cleaned_form(&bytes).ok_or_else(|| {
            AppError::user(StatusCode::UNPROCESSABLE_ENTITY, "err.form", Vec::new())
        })?;
        serde_urlencoded::from_str::<T>(&cleaned)
            .map(Form)
            .map_err(|e| {
                tracing::info!("form rejected: {e}");
                AppError::user(StatusCode::UNPROCESSABLE_ENTITY, "err.form", Vec::new())
            })
    }
}

/// Fields kept exactly as typed: the organizer's secret is compared, never shown.
const VERBATIM_FIELDS: &[&str] = &["secret"];

/// The form body with every value passed through the one cleaning path
/// ([`crate::text::strip`]: hidden characters removed, line ends unified; the handler
/// still trims and checks lengths), so no handler can forget a field. `None` if the
/// body is not a URL-encoded form.
fn cleaned_form(body: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    if !pairs
        .iter()
        .any(|(k, v)| crate::text::needs_cleaning(k) || crate::text::needs_cleaning(v))
    {
        return std::str::from_utf8(body).ok().map(str::to_string);
    }
    let cleaned: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| {
            let v = if VERBATIM_FIELDS.contains(&k.as_str()) {
                v
            } else {
                crate::text::strip(&v)
            };
            (crate::text::strip(&k), v)
        })
        .collect();
    serde_urlencoded::to_string(cleaned).ok()
}

/// True when every key and value of a URL-encoded body decodes to valid UTF-8.
fn percent_decodes_to_utf8(body: &[u8]) -> bool {
    body.split(|b| *b == b'&' || *b == b'=').all(|part| {
        let mut out = Vec::with_capacity(part.len());
        let mut i = 0;
        while i < part.len() {
            match part[i] {
                b'%' if i + 2 < part.len() => {
                    let hex = std::str::from_utf8(&part[i + 1..i + 3])
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    match hex {
                        Some(byte) => {
                            out.push(byte);
                            i += 3;
                        }
                        None => {
                            out.push(b'%');
                            i += 1;
                        }
                    }
                }
                b'+' => {
                    out.push(b' ');
                    i += 1;
                }
                byte => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        std::str::from_utf8(&out).is_ok()
    })
}

/// A whole number typed into a form field (spaces around it allowed), if it lies in
/// `range`.
pub fn number_in(text: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
}

/// True when a body was refused because it did not arrive before its deadline.
fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<super::conn::BodyTimedOut>() {
            return true;
        }
        current = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::percent_decodes_to_utf8;

    #[test]
    fn invalid_utf8_in_a_form_is_detected() {
        assert!(percent_decodes_to_utf8(b"text=%E3%81%82&x=1+2"));
        assert!(percent_decodes_to_utf8(b"a=100%"));
        assert!(!percent_decodes_to_utf8(b"text=%FF%FE"));
        assert!(!percent_decodes_to_utf8(b"text=%E3%81"));
    }
}
