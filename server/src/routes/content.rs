//! `PUT /api/v1/nodes/{id}/content` (a small file's new content in one request), and the
//! headers every download shares: a Content-Disposition that carries any name safely.

use app::AppError;
use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue},
    response::Response,
};

use crate::{
    auth::CurrentUser,
    error::{ApiError, ApiResult},
    files::content::SMALL_FILE_MAX,
    policy::Need,
    routes::parse_id,
    service::short_body,
    state::AppState,
};

/// RFC 6266: an ASCII fallback name and the exact name, percent-encoded as UTF-8. Always an
/// attachment: nothing a user uploaded is rendered from our origin.
pub fn attachment(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

pub fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_name_goes_safely_into_content_disposition() {
        assert_eq!(
            attachment("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
        );
        let hostile = attachment("a\"b\r\n<script>.html");
        assert!(!hostile.contains('\r') && !hostile.contains('\n'));
        assert!(hostile.starts_with("attachment; filename=\"a_b__<script>.html\""));
        assert!(attachment("日本.txt").ends_with("filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt"));
    }
}

/// Replace a file's content in one request (a new version), for small files; larger ones go
/// over tus. The body must say its length.
#[utoipa::path(put, path = "/api/v1/nodes/{id}/content", tag = "files", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = crate::routes::nodes::NodeDto),
        (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 507, body = crate::error::ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<axum::Json<crate::routes::nodes::NodeDto>> {
    let id = parse_id(&id)?;
    let length: i64 = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            ApiError(AppError::validation(
                "content_length",
                "Send Content-Length with the body.",
            ))
        })?;
    let actor = &current.actor;
    let updated = if (0..=SMALL_FILE_MAX).contains(&length) {
        // Small content is read whole (it is stored in one step), once the right was asked.
        state.service.file(actor, id, Need::Replace).await?;
        let bytes = whole_body(body, length).await?;
        let none = Body::empty().into_data_stream();
        state
            .service
            .replace_content(actor, &current.user, id, length, Some(bytes), none)
            .await?
    } else {
        let stream = body.into_data_stream();
        state
            .service
            .replace_content(actor, &current.user, id, length, None, stream)
            .await?
    };
    Ok(axum::Json(updated.into()))
}

/// A small body, whole: exactly `length` bytes, or a clear error (nothing is stored).
pub(super) async fn whole_body(body: Body, length: i64) -> Result<bytes::Bytes, AppError> {
    let bytes = axum::body::to_bytes(body, length as usize)
        .await
        .map_err(|_| short_body())?;
    if bytes.len() as i64 != length {
        return Err(short_body());
    }
    Ok(bytes)
}
