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
    entities::node,
    error::{ApiError, ApiResult, ServiceError},
    files::{archive, versions},
    policy::Need,
    routes::{
        content::{attachment, set},
        nodes::load,
        ranges::{self, Ranges},
    },
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
    let need = if query.version.is_some() {
        Need::History
    } else {
        Need::Read
    };
    let node = load(&state, &current.actor, &id, need).await?;
    send(&state, node, query.version, &headers).await
}

/// The answer for a node the caller may read: its bytes (or a version's), or a folder's zip.
pub async fn send(
    state: &AppState,
    node: node::Model,
    version: Option<i32>,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    Ok(send_sized(state, node, version, headers).await?.0)
}

/// The same answer, and the length of the whole content it is (a part of): the file's size,
/// or the zip's.
pub async fn send_sized(
    state: &AppState,
    node: node::Model,
    version: Option<i32>,
    headers: &HeaderMap,
) -> ApiResult<(Response, u64)> {
    let query = ContentQuery { version };
    if node.is_folder() {
        if query.version.is_some() {
            return Err(ApiError(AppError::validation(
                "version",
                "Folders have no versions.",
            )));
        }
        let zip = archive::FolderArchive::of(&state.db, &node).await?;
        let length = zip.byte_len();
        let name = format!("{}.zip", archive::archive_name(&node));
        let mut response = (StatusCode::OK, body(zip.stream(state.blobs.clone()))).into_response();
        set(&mut response, header::CONTENT_LENGTH, &length.to_string());
        set(&mut response, header::CONTENT_TYPE, "application/zip");
        set(
            &mut response,
            header::CONTENT_DISPOSITION,
            &attachment(&name),
        );
        set(&mut response, header::CACHE_CONTROL, "private, no-store");
        return Ok((response, length));
    }
    let (version, blob) = versions::version_blob(&state.db, &node, query.version).await?;
    let file = FileHeaders {
        etag: format!("\"{}\"", blob.sha256),
        name: node.name,
        mime: node
            .mime
            .unwrap_or_else(|| "application/octet-stream".to_owned()),
        modified: version.created_at,
    };
    let size = blob.size as u64;
    if matches_etag(headers, header::IF_NONE_MATCH, &file.etag, true) {
        return Ok((
            file.apply(StatusCode::NOT_MODIFIED.into_response(), false),
            size,
        ));
    }
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let if_range_ok = headers.get(header::IF_RANGE).is_none()
        || matches_etag(headers, header::IF_RANGE, &file.etag, false);
    let ranges = match range.filter(|_| if_range_ok) {
        Some(range) => ranges::parse(range, size),
        None => Ranges::Full,
    };
    let key = &blob.storage_key;
    let read = |range| state.blobs.read(key, range);
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
            let stream = read(Some(first..last + 1))
                .await
                .map_err(ServiceError::from)?;
            let mut response = (StatusCode::PARTIAL_CONTENT, body(stream)).into_response();
            let range = format!("bytes {first}-{last}/{size}");
            set(&mut response, header::CONTENT_RANGE, &range);
            let length = (last - first + 1).to_string();
            set(&mut response, header::CONTENT_LENGTH, &length);
            file.apply(response, true)
        }
        Ranges::Some(list) => {
            let parts = ranges::multipart(&state.blobs, key, &list, size, &file.mime);
            let response = (StatusCode::PARTIAL_CONTENT, body(parts.body)).into_response();
            let mut response = file.apply(response, false);
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
            let stream = read(None).await.map_err(ServiceError::from)?;
            let mut response = (StatusCode::OK, body(stream)).into_response();
            set(&mut response, header::CONTENT_LENGTH, &size.to_string());
            file.apply(response, true)
        }
    };
    Ok((response, size))
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
