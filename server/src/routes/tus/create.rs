//! tus creation (`POST /api/v1/uploads`): a new upload, with or without its first bytes; a
//! partial upload (`Upload-Concat: partial`), or the final one that joins partials.

use app::AppError;
use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, TimeZone, Utc};

use super::{
    protocol::{
        checksum, header_i64, invalid, parse_metadata, progress, require_tus, respond, set,
        OFFSET_CONTENT_TYPE,
    },
    uploader::Uploader,
};
use crate::{
    error::{ApiError, ApiResult},
    routes::parse_id,
    service::{Progress, Target, Wanted},
    state::AppState,
};

/// tus creation: `Upload-Length` bytes; `Upload-Metadata` carries `filename` and
/// `parent_id` (and optionally `relative_path`, `mtime`); the body may carry the first bytes.
/// With `Upload-Hash` (the content's SHA-256, hex), a file whose content you can already read
/// is made at once, without its bytes (`Upload-Offset` = `Upload-Length`, `GoSync-Node-Id`);
/// otherwise it is an ordinary creation (a small file's bytes sent whole with it must then
/// have that hash: 460 otherwise, and nothing is made).
#[utoipa::path(post, path = "/api/v1/uploads", tag = "uploads", security(("bearer" = [])),
    params(("Upload-Hash" = Option<String>, Header,
        description = "SHA-256 of the content, 64 hex digits: made at once if you can read that content; bytes sent whole with the creation must have it")),
    responses((status = 201, description = "Location of the upload, Upload-Offset; GoSync-Node-Id when the file is made at once"),
        (status = 400, body = crate::error::ErrorBody), (status = 412, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 507, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    uploader: Uploader,
    headers: HeaderMap,
    body: Body,
) -> Response {
    respond(async {
        require_tus(&headers)?;
        let concat = headers
            .get("upload-concat")
            .map(|v| v.to_str().unwrap_or_default().trim().to_owned());
        if let Some(parts) = concat.as_deref().and_then(|c| c.strip_prefix("final;")) {
            return join(&state, &uploader, &headers, parts).await;
        }
        let partial = match concat.as_deref() {
            None => false,
            Some("partial") => true,
            Some(_) => {
                return Err(invalid(
                    "upload_concat",
                    "Upload-Concat is \"partial\" or \"final;<upload URLs>\".",
                ))
            }
        };
        let length = header_i64(&headers, "upload-length").ok_or_else(|| {
            invalid(
                "upload_length",
                "Upload-Length is required (deferred lengths are not supported).",
            )
        })?;
        let target = if partial {
            // A part only holds bytes: its final upload says what they become.
            state.service.partial_target(&uploader, length).await?
        } else {
            let wanted = wanted(&headers)?;
            state
                .service
                .upload_target(&uploader, wanted, length)
                .await?
        };
        let sha256 = upload_hash(&headers)?.filter(|_| !partial);
        if let Some(sha256) = &sha256 {
            if let Some(file) = state
                .service
                .upload_known(&uploader, &target, sha256)
                .await?
            {
                return Ok(made_at_once(length, &file));
            }
            // Not content the uploader can read: an ordinary creation, bytes to follow.
        }
        ordinary(&state, &uploader, &headers, target, body, sha256).await
    })
    .await
}

/// `Upload-Hash`: the SHA-256 (hex) of the content, when the client knows it.
fn upload_hash(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(value) = headers.get("upload-hash") else {
        return Ok(None);
    };
    let hash = value
        .to_str()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid(
            "upload_hash",
            "Upload-Hash is the content's SHA-256, as 64 hexadecimal digits.",
        ));
    }
    Ok(Some(hash))
}

/// The answer for a file made without an upload to continue: its Location answers 404 from
/// now on, like any finished upload's.
fn made_at_once(length: i64, file: &crate::entities::node::Model) -> Response {
    let mut response = StatusCode::CREATED.into_response();
    let h = response.headers_mut();
    set(
        h,
        "location",
        &format!("/api/v1/uploads/{}", uuid::Uuid::new_v4()),
    );
    set(h, "upload-offset", &length.to_string());
    set(h, "gosync-node-id", &file.id.to_string());
    response
}

/// A creation with the bytes to come (some of them, or all of a small file, maybe here).
async fn ordinary(
    state: &AppState,
    uploader: &Uploader,
    headers: &HeaderMap,
    target: Target,
    body: Body,
    sha256: Option<String>,
) -> ApiResult<Response> {
    let length = target.length();
    let has_body = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == OFFSET_CONTENT_TYPE);
    let whole = header_i64(headers, "content-length") == Some(length);
    if target.is_small() && (length == 0 || (has_body && whole)) {
        return small_file(state, headers, target, body, sha256).await;
    }
    let first = if has_body || length == 0 {
        Some((checksum(headers)?, body.into_data_stream()))
    } else {
        None
    };
    let done = state.service.create_upload(uploader, target, first).await?;
    Ok(created(&done))
}

/// A small file sent whole with its creation: stored at once, with no upload to resume.
async fn small_file(
    state: &AppState,
    headers: &HeaderMap,
    target: Target,
    body: Body,
    sha256: Option<String>,
) -> ApiResult<Response> {
    let length = target.length();
    let bytes = crate::routes::content::whole_body(body, length).await?;
    if let Some(expected) = checksum(headers)? {
        let mut digest = expected.digest();
        digest.update(&bytes);
        if !digest.matches(&expected) {
            return Err(ApiError(AppError::ChecksumMismatch));
        }
    }
    // Bytes that are not what Upload-Hash announced make nothing (checked where they are
    // hashed for storing).
    let file = state
        .service
        .store_small_upload(target, bytes, sha256.as_deref())
        .await?;
    Ok(made_at_once(length, &file))
}

fn created(done: &Progress) -> Response {
    let mut response = progress(StatusCode::CREATED, &done.upload, done.offset, done.file);
    let location = format!("/api/v1/uploads/{}", done.upload.id);
    set(response.headers_mut(), "location", &location);
    response
}

/// Where the upload asks to go, from its `Upload-Metadata`.
fn wanted(headers: &HeaderMap) -> ApiResult<Wanted> {
    let metadata = parse_metadata(headers)?;
    let filename = metadata
        .get("filename")
        .ok_or_else(|| invalid("filename", "Upload-Metadata needs a filename."))?;
    let parent_id = metadata
        .get("parent_id")
        .ok_or_else(|| invalid("parent_id", "Upload-Metadata needs a parent_id."))?;
    let mtime = metadata.get("mtime").map(|m| parse_mtime(m)).transpose()?;
    Ok(Wanted {
        filename: filename.clone(),
        parent: parse_id(parent_id)?,
        relative_path: metadata.get("relative_path").cloned(),
        mtime,
    })
}

/// `mtime`: Unix time in milliseconds (as browsers give it) or seconds, or RFC 3339.
pub(crate) fn parse_mtime(raw: &str) -> ApiResult<DateTime<Utc>> {
    let bad = || {
        invalid(
            "mtime",
            "mtime is Unix time (seconds or milliseconds) or an RFC 3339 date.",
        )
    };
    let raw = raw.trim();
    if let Ok(number) = raw.parse::<i64>() {
        let millis = if number.abs() >= 100_000_000_000 {
            number
        } else {
            number.saturating_mul(1000)
        };
        return Utc.timestamp_millis_opt(millis).single().ok_or_else(bad);
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| bad())
}

/// `Upload-Concat: final;<url> <url>…`: the caller's complete partial uploads, joined in
/// that order into the file that the metadata describes.
async fn join(
    state: &AppState,
    uploader: &Uploader,
    headers: &HeaderMap,
    urls: &str,
) -> ApiResult<Response> {
    let parts = urls
        .split_whitespace()
        .map(|url| {
            let id = url
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default();
            parse_id(id)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let wanted = wanted(headers)?;
    let done = state.service.join_uploads(uploader, &parts, wanted).await?;
    Ok(created(&done))
}
