//! Reading an uploaded file from a multipart form: the one loop and the one refusal that
//! the roster, session-file and programme imports share.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;

use super::AppError;

/// What a form with a file brought: the `file` field (its name as the browser gave it,
/// and its bytes, empty when no file was chosen) and the other fields sent (check boxes
/// such as `replace`, the text a preview posts back), with their values when they are
/// UTF-8.
#[derive(Debug, Default)]
pub(super) struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    fields: Vec<(String, Option<String>)>,
}

impl Upload {
    /// Whether the form sent a field of this name (a ticked check box).
    pub fn has(&self, field: &str) -> bool {
        self.fields.iter().any(|(f, _)| f == field)
    }

    /// The text of the first field of this name, if it was sent as UTF-8.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Reads the whole form; `what` names the upload in the log when the form is refused.
/// A body over the route's limit is a 413 page, a broken form a 400 page.
pub(super) async fn read(mut multipart: Multipart, what: &str) -> Result<Upload, AppError> {
    let refused = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::user(StatusCode::PAYLOAD_TOO_LARGE, "err.too_large", Vec::new())
        } else {
            tracing::info!("{what} upload refused: {e}");
            AppError::user(StatusCode::BAD_REQUEST, "err.form", Vec::new())
        }
    };
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(refused)? {
        match field.name().map(str::to_string) {
            Some(name) if name == "file" => {
                upload.name = field.file_name().unwrap_or_default().to_string();
                upload.bytes = field.bytes().await.map_err(refused)?.to_vec();
            }
            Some(name) => {
                let bytes = field.bytes().await.map_err(refused)?;
                let value = String::from_utf8(bytes.to_vec()).ok();
                upload.fields.push((name, value));
            }
            None => {}
        }
    }
    Ok(upload)
}
