//! tus creation (`POST /api/v1/uploads`): a new upload, with or without its first bytes; a
//! partial upload (`Upload-Concat: partial`), or the final one that joins partials.

use std::collections::HashMap;

use app::AppError;
use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, TimeZone, Utc};

use super::{
    append,
    protocol::{
        checksum, header_i64, invalid, parse_metadata, progress, require_tus, respond, set,
        OFFSET_CONTENT_TYPE,
    },
    uploader::Uploader,
};
use crate::{
    entities::{node, upload},
    error::{ApiError, ApiResult},
    files::{
        access,
        content::{self, SMALL_FILE_MAX},
        name::validate_name,
        paths::{ensure_folders, folders_of},
        quota, tree,
        uploads::NewUpload,
    },
    policy::Need,
    routes::parse_id,
    state::AppState,
};

/// tus creation: `Upload-Length` bytes; `Upload-Metadata` carries `filename` and
/// `parent_id` (and optionally `relative_path`, `mtime`); the body may carry the first bytes.
#[utoipa::path(post, path = "/api/v1/uploads", tag = "uploads", security(("bearer" = [])),
    responses((status = 201, description = "Location of the upload, Upload-Offset"),
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
        if length < 0 {
            return Err(invalid("upload_length", "Upload-Length can't be negative."));
        }
        if length > state.uploads.max_size {
            return Err(ApiError(AppError::FileTooLarge {
                max_bytes: state.uploads.max_size,
            }));
        }
        let new = if partial {
            // A part only holds bytes: its final upload says what they become.
            let Some(account) = &uploader.account else {
                return Err(invalid(
                    "upload_concat",
                    "Uploads through a link come in one piece (no parallel parts).",
                ));
            };
            let root = tree::root_of(&state.db, account.id).await?;
            quota::check_for(&state.db, account, account.id, length).await?;
            NewUpload {
                owner: account.id,
                author: uploader.actor.author(),
                payer: account.id,
                parent: root.id,
                filename: "partial".into(),
                length,
                mtime: None,
                partial: true,
            }
        } else {
            let metadata = parse_metadata(&headers)?;
            target(&state, &uploader, &metadata, length).await?
        };
        let has_body = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v == OFFSET_CONTENT_TYPE);
        let whole = header_i64(&headers, "content-length") == Some(length);
        if !new.partial && (length == 0 || (has_body && whole && length <= SMALL_FILE_MAX)) {
            return small_file(&state, &headers, new, body).await;
        }
        let upload = state.uploads.create(&state.db, new, 0).await?;
        let (offset, file) = if has_body || length == 0 {
            append(&state, &uploader, &upload, 0, checksum(&headers)?, body).await?
        } else {
            (0, None)
        };
        Ok(created(&upload, offset, file))
    })
    .await
}

/// A small file sent whole with its creation: stored at once, with no upload to resume
/// (its Location answers 404 from now on, like any finished upload's).
async fn small_file(
    state: &AppState,
    headers: &HeaderMap,
    new: NewUpload,
    body: Body,
) -> ApiResult<Response> {
    let bytes = crate::routes::content::whole_body(body, new.length).await?;
    if let Some(expected) = checksum(headers)? {
        let mut digest = expected.digest();
        digest.update(&bytes);
        if !digest.matches(&expected) {
            return Err(ApiError(AppError::ChecksumMismatch));
        }
    }
    let keep = state.settings.files.keep_versions;
    let length = new.length;
    let file = state
        .small_files
        .store(&state.db, &state.blobs, new, bytes, keep)
        .await?;
    let mut response = StatusCode::CREATED.into_response();
    let h = response.headers_mut();
    set(
        h,
        "location",
        &format!("/api/v1/uploads/{}", uuid::Uuid::new_v4()),
    );
    set(h, "upload-offset", &length.to_string());
    set(h, "gosync-node-id", &file.id.to_string());
    Ok(response)
}

fn created(upload: &upload::Model, offset: i64, file: Option<uuid::Uuid>) -> Response {
    let mut response = progress(StatusCode::CREATED, upload, offset, file);
    let location = format!("/api/v1/uploads/{}", upload.id);
    set(response.headers_mut(), "location", &location);
    response
}

/// Where an upload's file goes, from its metadata: checked, authorised, within quota, with
/// the folders of its `relative_path` made.
async fn target(
    state: &AppState,
    uploader: &Uploader,
    metadata: &HashMap<String, String>,
    length: i64,
) -> ApiResult<NewUpload> {
    let filename = metadata
        .get("filename")
        .ok_or_else(|| invalid("filename", "Upload-Metadata needs a filename."))?;
    let filename = validate_name(filename).map_err(|e| match e {
        AppError::Validation { message, .. } => invalid("filename", &message),
        other => ApiError(other),
    })?;
    let parent_id = metadata
        .get("parent_id")
        .ok_or_else(|| invalid("parent_id", "Upload-Metadata needs a parent_id."))?;
    let parent_id = parse_id(parent_id)?;
    let parent = access::live_node(&state.db, &uploader.actor, parent_id, Need::Upload).await?;
    if !parent.is_folder() {
        return Err(invalid(
            "parent_id",
            "Files can only be uploaded into folders.",
        ));
    }
    let folders = folders_of(metadata.get("relative_path").map(String::as_str))?;
    let mtime = metadata.get("mtime").map(|m| parse_mtime(m)).transpose()?;
    match &uploader.account {
        Some(account) => quota::check_for(&state.db, account, parent.owner_id, length).await?,
        None => quota::check(&state.db, parent.owner_id, length).await?,
    }
    let author = uploader.actor.author();
    let payer = parent.owner_id;
    let parent: node::Model = ensure_folders(&state.db, author, parent, &folders).await?;
    Ok(NewUpload {
        // A link's upload is the folder owner's to keep, and the link's to continue.
        owner: uploader.account.as_ref().map_or(payer, |a| a.id),
        author,
        payer,
        parent: parent.id,
        filename,
        length,
        mtime,
        partial: false,
    })
}

/// `mtime`: Unix time in milliseconds (as browsers give it) or seconds, or RFC 3339.
fn parse_mtime(raw: &str) -> ApiResult<DateTime<Utc>> {
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
    let mut parts: Vec<upload::Model> = Vec::new();
    for url in urls.split_whitespace() {
        let id = url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        let part = state
            .uploads
            .find(&state.db, &uploader.actor, parse_id(id)?)
            .await?;
        if !part.partial {
            return Err(invalid(
                "upload_concat",
                "Only partial uploads can be joined.",
            ));
        }
        if part.offset != part.length {
            return Err(invalid(
                "upload_concat",
                "Every partial upload must be complete before the final one.",
            ));
        }
        if parts.iter().any(|p| p.id == part.id) {
            return Err(invalid(
                "upload_concat",
                "A partial upload is listed twice.",
            ));
        }
        parts.push(part);
    }
    if parts.is_empty() {
        return Err(invalid(
            "upload_concat",
            "List the partial uploads to join.",
        ));
    }
    let length: i64 = parts.iter().map(|p| p.length).sum();
    if length > state.uploads.max_size {
        return Err(ApiError(AppError::FileTooLarge {
            max_bytes: state.uploads.max_size,
        }));
    }
    let metadata = parse_metadata(headers)?;
    let new = target(state, uploader, &metadata, length).await?;
    let joined = state.uploads.concat(&state.db, &parts, new).await?;
    let keep = state.settings.files.keep_versions;
    let uploads = &state.uploads;
    let file = content::finish_upload(&state.db, &state.blobs, uploads, &joined, keep).await?;
    Ok(created(&joined, length, Some(file.id)))
}
