//! `GET /api/v1/nodes/{id}/content`: a file's bytes, streamed, with ETag (the SHA-256),
//! Last-Modified, If-None-Match, If-Range and Range (one range or several); a folder comes
//! as a zip archive streamed while it is read.

use app::AppError;
use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;

use crate::{
    auth::CurrentUser,
    error::{ApiError, ApiResult, ServiceError},
    routes::{
        content::{attachment, set},
        parse_id,
        ranges::{self, Ranges},
    },
    service::{Download, ZipDownload},
    state::AppState,
    storage::ByteStream,
};

#[derive(Deserialize)]
pub struct ContentQuery {
    pub version: Option<i32>,
}

/// A file's bytes (`?version=N` for an older one), or a folder as a zip.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/content", tag = "files", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("version" = Option<i32>, Query)),
    responses((status = 200, description = "The bytes, or a zip of the folder"),
        (status = 206, description = "One range, or multipart/byteranges"),
        (status = 304), (status = 404, body = crate::error::ErrorBody),
        (status = 416, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ContentQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = parse_id(&id)?;
    let download = state
        .service
        .download(&current.actor, id, query.version)
        .await?;
    send(download, &headers).await
}

/// The answer for what the service handed out: a file's bytes (all, one range or several,
/// or 304 / 416), or a zip; with the length of the whole content it is (a part of).
pub async fn send(download: Download, headers: &HeaderMap) -> ApiResult<Response> {
    let file = match download {
        Download::Zip(zip) => return Ok(zip_response(zip)),
        Download::File(file) => file,
    };
    let size = file.size;
    let head = FileHeaders {
        etag: file.etag,
        name: file.name,
        mime: file.mime,
        modified: file.modified,
    };
    if matches_etag(headers, header::IF_NONE_MATCH, &head.etag, true) {
        return Ok(head.apply(StatusCode::NOT_MODIFIED.into_response(), false));
    }
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let if_range_ok = headers.get(header::IF_RANGE).is_none()
        || matches_etag(headers, header::IF_RANGE, &head.etag, false);
    let ranges = match range.filter(|_| if_range_ok) {
        Some(range) => ranges::parse(range, size),
        None => Ranges::Full,
    };
    let source = file.source;
    let response = match ranges {
        Ranges::Unsatisfiable => {
            let mut response = ApiError(AppError::RangeNotSatisfiable).into_response();
            set(
                &mut response,
                header::CONTENT_RANGE,
                &format!("bytes */{size}"),
            );
            response
        }
        Ranges::Some(list) if list.len() == 1 => {
            let (first, last) = (*list[0].start(), *list[0].end());
            let stream = source
                .read(Some(first..last + 1))
                .await
                .map_err(ServiceError::from)?;
            let mut response = (StatusCode::PARTIAL_CONTENT, body(stream)).into_response();
            let range = format!("bytes {first}-{last}/{size}");
            set(&mut response, header::CONTENT_RANGE, &range);
            let length = (last - first + 1).to_string();
            set(&mut response, header::CONTENT_LENGTH, &length);
            head.apply(response, true)
        }
        Ranges::Some(list) => {
            let parts = ranges::multipart(source, &list, size, &head.mime);
            let response = (StatusCode::PARTIAL_CONTENT, body(parts.body)).into_response();
            let mut response = head.apply(response, false);
            let mime = format!("multipart/byteranges; boundary={}", parts.boundary);
            set(&mut response, header::CONTENT_TYPE, &mime);
            set(
                &mut response,
                header::CONTENT_LENGTH,
                &parts.length.to_string(),
            );
            response
        }
        Ranges::Full => {
            let stream = source.read(None).await.map_err(ServiceError::from)?;
            let mut response = (StatusCode::OK, body(stream)).into_response();
            set(&mut response, header::CONTENT_LENGTH, &size.to_string());
            head.apply(response, true)
        }
    };
    Ok(response)
}

/// A zip, streamed as it is made, saved under its name.
pub fn zip_response(zip: ZipDownload) -> Response {
    let (length, name) = (zip.length, zip.name.clone());
    let mut response = (StatusCode::OK, body(zip.stream())).into_response();
    set(&mut response, header::CONTENT_LENGTH, &length.to_string());
    set(&mut response, header::CONTENT_TYPE, "application/zip");
    set(
        &mut response,
        header::CONTENT_DISPOSITION,
        &attachment(&name),
    );
    set(&mut response, header::CACHE_CONTROL, "private, no-store");
    response
}

fn body(stream: ByteStream) -> Body {
    Body::from_stream(stream.map_err(std::io::Error::other).boxed())
}

/// Whether the header lists `etag` (`*` counts for If-None-Match; If-Range compares strongly).
pub(crate) fn matches_etag(
    headers: &HeaderMap,
    name: header::HeaderName,
    etag: &str,
    star: bool,
) -> bool {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').map(str::trim).any(|t| {
                t == etag || (star && t == "*") || (star && t.strip_prefix("W/") == Some(etag))
            })
        })
}

/// What every answer about a file carries.
struct FileHeaders {
    etag: String,
    name: String,
    mime: String,
    modified: DateTime<Utc>,
}

impl FileHeaders {
    fn apply(&self, mut response: Response, content_type: bool) -> Response {
        set(&mut response, header::ETAG, &self.etag);
        let modified = self
            .modified
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        set(&mut response, header::LAST_MODIFIED, &modified);
        set(&mut response, header::ACCEPT_RANGES, "bytes");
        set(&mut response, header::CACHE_CONTROL, "private, no-cache");
        if content_type {
            set(&mut response, header::CONTENT_TYPE, &self.mime);
        }
        set(
            &mut response,
            header::CONTENT_DISPOSITION,
            &attachment(&self.name),
        );
        response
    }
}
