//! `GET /api/v1/nodes/{id}/content`: a file's bytes, streamed, with ETag (the SHA-256),
//! If-None-Match, a single Range, and a Content-Disposition that carries any name safely.

use app::AppError;
use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use futures::StreamExt;
use serde::Deserialize;

use crate::{
    auth::CurrentUser,
    error::{ApiError, ApiResult, ServiceError},
    files::content,
    routes::nodes::load,
    state::AppState,
};

#[derive(Deserialize)]
pub struct ContentQuery {
    pub version: Option<i32>,
}

/// A file's bytes (`?version=N` for an older one), with Range, If-Range and If-None-Match.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/content", tag = "files", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("version" = Option<i32>, Query)),
    responses((status = 200, description = "The bytes"), (status = 206, description = "A range"),
        (status = 304), (status = 404, body = crate::error::ErrorBody),
        (status = 416, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ContentQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let file = load(&state, &current.actor, &id, false).await?;
    if file.is_folder() {
        return Err(ApiError(AppError::validation(
            "id",
            "Folders download as zip archives (coming soon).",
        )));
    }
    let (_, blob) = content::version_blob(&state.db, &file, query.version).await?;
    let etag = format!("\"{}\"", blob.sha256);
    let size = blob.size as u64;
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return Ok(with_common(
            StatusCode::NOT_MODIFIED.into_response(),
            &etag,
            &file.name,
            None,
        ));
    }
    let mime = file.mime.as_deref().unwrap_or("application/octet-stream");
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .is_none_or(|v| v.to_str().is_ok_and(|v| v == etag));
    match range.filter(|_| if_range_ok).map(|r| parse_range(r, size)) {
        Some(Err(())) => {
            let mut response = ApiError(AppError::RangeNotSatisfiable).into_response();
            set(
                &mut response,
                header::CONTENT_RANGE,
                &format!("bytes */{size}"),
            );
            Ok(response)
        }
        Some(Ok(Some((start, end)))) => {
            let bytes = state
                .blobs
                .get_range(&blob.storage_key, start..end + 1)
                .await
                .map_err(ServiceError::from)?;
            let mut response = (StatusCode::PARTIAL_CONTENT, bytes).into_response();
            set(
                &mut response,
                header::CONTENT_RANGE,
                &format!("bytes {start}-{end}/{size}"),
            );
            Ok(with_common(response, &etag, &file.name, Some(mime)))
        }
        _ => {
            let stream = state
                .blobs
                .get(&blob.storage_key)
                .await
                .map_err(ServiceError::from)?;
            let body = Body::from_stream(stream.map(|chunk| chunk.map_err(std::io::Error::other)));
            let mut response = (StatusCode::OK, body).into_response();
            set(&mut response, header::CONTENT_LENGTH, &size.to_string());
            Ok(with_common(response, &etag, &file.name, Some(mime)))
        }
    }
}

/// `Ok(Some((first, last)))` for one satisfiable range, `Ok(None)` to send everything
/// (several ranges, or a header we don't read), `Err` when nothing of it is in the file.
fn parse_range(header: &str, size: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let (start, end) = spec.split_once('-').ok_or(())?;
    let (start, end) = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().map_err(|_| ())?;
            if n == 0 || size == 0 {
                return Err(());
            }
            (size.saturating_sub(n), size - 1)
        }
        (start, "") => (start.parse().map_err(|_| ())?, size.saturating_sub(1)),
        (start, end) => {
            let (s, e): (u64, u64) = (start.parse().map_err(|_| ())?, end.parse().map_err(|_| ())?);
            (s, e.min(size.saturating_sub(1)))
        }
    };
    if size == 0 || start >= size || start > end {
        return Err(());
    }
    Ok(Some((start, end)))
}

fn with_common(mut response: Response, etag: &str, name: &str, mime: Option<&str>) -> Response {
    set(&mut response, header::ETAG, etag);
    set(&mut response, header::ACCEPT_RANGES, "bytes");
    set(&mut response, header::CACHE_CONTROL, "private, no-cache");
    if let Some(mime) = mime {
        set(&mut response, header::CONTENT_TYPE, mime);
    }
    set(
        &mut response,
        header::CONTENT_DISPOSITION,
        &attachment(name),
    );
    response
}

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

fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_like_rfc_9110_says() {
        assert_eq!(parse_range("bytes=0-9", 100), Ok(Some((0, 9))));
        assert_eq!(parse_range("bytes=90-", 100), Ok(Some((90, 99))));
        assert_eq!(parse_range("bytes=-10", 100), Ok(Some((90, 99))));
        assert_eq!(parse_range("bytes=-500", 100), Ok(Some((0, 99))));
        assert_eq!(parse_range("bytes=50-500", 100), Ok(Some((50, 99))));
        assert_eq!(parse_range("bytes=100-", 100), Err(()));
        assert_eq!(parse_range("bytes=9-3", 100), Err(()));
        assert_eq!(parse_range("bytes=-0", 100), Err(()));
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Ok(None));
        assert_eq!(parse_range("items=0-1", 100), Ok(None));
    }

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
    let file = load(&state, &current.actor, &id, true).await?;
    if file.is_folder() {
        return Err(ApiError(AppError::validation(
            "id",
            "Only files have content.",
        )));
    }
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
    if length > state.uploads.max_size {
        return Err(ApiError(AppError::TooLarge));
    }
    let parent = file.parent_id.ok_or(AppError::NotFound)?;
    crate::files::quota::check(&state.db, file.owner_id, length).await?;
    let upload = state
        .uploads
        .create(
            &state.db,
            current.user.id,
            parent,
            file.name.clone(),
            length,
        )
        .await?;
    let appended = state
        .uploads
        .append(&state.db, &upload, 0, None, body.into_data_stream())
        .await;
    let appended = match appended {
        Ok(a) if a.complete => a,
        other => {
            state.uploads.forget(&state.db, upload.id).await?;
            other?;
            return Err(ApiError(AppError::validation(
                "body",
                "The body ended before Content-Length bytes.",
            )));
        }
    };
    let complete = crate::entities::upload::Model {
        offset: appended.offset,
        ..upload
    };
    let updated =
        content::finish_upload(&state.db, &state.blobs, &state.uploads, &complete).await?;
    let keep = state.settings.files.keep_versions;
    crate::files::versions::prune(&state.db, &state.blobs, &updated, keep).await?;
    Ok(axum::Json(updated.into()))
}
