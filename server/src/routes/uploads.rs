//! tus 1.0 at `/api/v1/uploads` (core, creation, creation-with-upload, termination,
//! expiration). `Upload-Metadata` carries `filename` and `parent_id`. When the last byte
//! arrives the file is in its folder, or is a new version of the file of that name there.

use std::collections::HashMap;

use app::AppError;
use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use base64::{engine::general_purpose::STANDARD, Engine};
use uuid::Uuid;

use crate::{
    auth::CurrentUser,
    entities::upload,
    error::{ApiError, ApiResult},
    files::{content, name::validate_name, quota, tree, uploads::Checksum, versions},
    policy::{authorize, Action},
    routes::parse_id,
    state::AppState,
};

const TUS_VERSION: &str = "1.0.0";
const OFFSET_CONTENT_TYPE: &str = "application/offset+octet-stream";

/// tus `OPTIONS`: versions, extensions and the largest upload.
#[utoipa::path(options, path = "/api/v1/uploads", tag = "uploads", responses((status = 204)))]
pub async fn options(State(state): State<AppState>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    set(headers, "tus-version", TUS_VERSION);
    set(
        headers,
        "tus-extension",
        "creation,creation-with-upload,termination,expiration,checksum",
    );
    set(headers, "tus-checksum-algorithm", "sha1,sha256");
    set(headers, "tus-max-size", &state.uploads.max_size.to_string());
    set(headers, "tus-resumable", TUS_VERSION);
    response
}

/// tus creation: a new upload of `Upload-Length` bytes; `Upload-Metadata` carries `filename`
/// and `parent_id` (base64); the body may carry the first bytes.
#[utoipa::path(post, path = "/api/v1/uploads", tag = "uploads", security(("bearer" = [])),
    responses((status = 201, description = "Location of the upload, Upload-Offset"),
        (status = 400, body = crate::error::ErrorBody), (status = 412, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 507, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    body: Body,
) -> Response {
    respond(async {
        require_tus(&headers)?;
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
            return Err(ApiError(AppError::TooLarge));
        }
        let metadata = parse_metadata(&headers)?;
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
        let parent = tree::get_live(&state.db, parent_id)
            .await?
            .ok_or(AppError::NotFound)?;
        authorize(
            &current.actor,
            Action::WriteNode {
                owner: parent.owner_id,
            },
        )?;
        if !parent.is_folder() {
            return Err(invalid(
                "parent_id",
                "Files can only be uploaded into folders.",
            ));
        }
        quota::check(&state.db, parent.owner_id, length).await?;
        let upload = state
            .uploads
            .create(&state.db, current.user.id, parent.id, filename, length)
            .await?;
        let location = format!("/api/v1/uploads/{}", upload.id);
        let has_body = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v == OFFSET_CONTENT_TYPE);
        let (offset, file) = if has_body || length == 0 {
            append(&state, &upload, 0, checksum(&headers)?, body).await?
        } else {
            (0, None)
        };
        let mut response = progress(StatusCode::CREATED, &upload, offset, file);
        set(response.headers_mut(), "location", &location);
        Ok(response)
    })
    .await
}

/// tus `HEAD`: how far the upload is (Upload-Offset, Upload-Length).
#[utoipa::path(head, path = "/api/v1/uploads/{id}", tag = "uploads", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200), (status = 404)))]
pub async fn head(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    respond(async {
        let upload = find_upload(&state, &current, &headers, &id).await?;
        let mut response = StatusCode::OK.into_response();
        let h = response.headers_mut();
        set(h, "upload-offset", &upload.offset.to_string());
        set(h, "upload-length", &upload.length.to_string());
        set(h, "upload-expires", &http_date(&upload));
        set(h, "cache-control", "no-store");
        Ok(response)
    })
    .await
}

/// tus `PATCH`: the next bytes at `Upload-Offset` (Content-Type application/offset+octet-stream).
#[utoipa::path(patch, path = "/api/v1/uploads/{id}", tag = "uploads", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204, description = "New Upload-Offset; GoSync-Node-Id once complete"),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 415, body = crate::error::ErrorBody)))]
pub async fn patch(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Response {
    respond(async {
        require_tus(&headers)?;
        if headers
            .get(header::CONTENT_TYPE)
            .is_none_or(|v| v != OFFSET_CONTENT_TYPE)
        {
            return Err(ApiError(AppError::UnsupportedMediaType));
        }
        let offset = header_i64(&headers, "upload-offset")
            .ok_or_else(|| invalid("upload_offset", "Upload-Offset is required."))?;
        let upload = find_upload(&state, &current, &headers, &id).await?;
        let (offset, file) = append(&state, &upload, offset, checksum(&headers)?, body).await?;
        Ok(progress(StatusCode::NO_CONTENT, &upload, offset, file))
    })
    .await
}

/// tus termination: give up an upload; its bytes are discarded.
#[utoipa::path(delete, path = "/api/v1/uploads/{id}", tag = "uploads", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404)))]
pub async fn terminate(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    respond(async {
        let upload = find_upload(&state, &current, &headers, &id).await?;
        state.uploads.forget(&state.db, upload.id).await?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })
    .await
}

/// The caller's live upload `id`, once the request speaks tus 1.0.0.
async fn find_upload(
    state: &AppState,
    current: &CurrentUser,
    headers: &HeaderMap,
    id: &str,
) -> ApiResult<upload::Model> {
    require_tus(headers)?;
    Ok(state
        .uploads
        .find(&state.db, current.user.id, parse_id(id)?)
        .await?)
}

/// Appends the body; when the upload is complete, makes the file. Returns the offset reached
/// and, once complete, the file's id.
async fn append(
    state: &AppState,
    upload: &upload::Model,
    offset: i64,
    checksum: Option<Checksum>,
    body: Body,
) -> ApiResult<(i64, Option<Uuid>)> {
    let appended = state
        .uploads
        .append(&state.db, upload, offset, checksum, body.into_data_stream())
        .await?;
    if !appended.complete {
        return Ok((appended.offset, None));
    }
    let complete = upload::Model {
        offset: appended.offset,
        ..upload.clone()
    };
    let file = content::finish_upload(&state.db, &state.blobs, &state.uploads, &complete).await?;
    versions::prune(
        &state.db,
        &state.blobs,
        &file,
        state.settings.files.keep_versions,
    )
    .await?;
    Ok((appended.offset, Some(file.id)))
}

/// Where an upload stands after a request: its offset, expiry and, once complete, the file.
fn progress(
    status: StatusCode,
    upload: &upload::Model,
    offset: i64,
    file: Option<Uuid>,
) -> Response {
    let mut response = status.into_response();
    let headers = response.headers_mut();
    set(headers, "upload-offset", &offset.to_string());
    set(headers, "upload-expires", &http_date(upload));
    if let Some(file) = file {
        set(headers, "gosync-node-id", &file.to_string());
    }
    response
}

async fn respond(work: impl std::future::Future<Output = ApiResult<Response>>) -> Response {
    let mut response = match work.await {
        Ok(response) => response,
        Err(error) => {
            let precondition = matches!(error.0, AppError::Precondition { .. });
            let mut response = error.into_response();
            if precondition {
                set(response.headers_mut(), "tus-version", TUS_VERSION);
            }
            response
        }
    };
    set(response.headers_mut(), "tus-resumable", TUS_VERSION);
    response
}

fn require_tus(headers: &HeaderMap) -> ApiResult<()> {
    match headers.get("tus-resumable") {
        Some(v) if v == TUS_VERSION => Ok(()),
        _ => Err(ApiError(AppError::Precondition {
            message: "This server speaks tus 1.0.0 (Tus-Resumable: 1.0.0).".into(),
        })),
    }
}

/// `Upload-Checksum: sha1|sha256 <base64>`; another algorithm is a 400.
fn checksum(headers: &HeaderMap) -> ApiResult<Option<Checksum>> {
    let Some(raw) = headers.get("upload-checksum") else {
        return Ok(None);
    };
    let bad = || {
        invalid(
            "upload_checksum",
            "Upload-Checksum is \"sha1 <base64>\" or \"sha256 <base64>\".",
        )
    };
    let (algorithm, value) = raw
        .to_str()
        .map_err(|_| bad())?
        .trim()
        .split_once(' ')
        .ok_or_else(bad)?;
    let digest = STANDARD.decode(value.trim()).map_err(|_| bad())?;
    match algorithm {
        "sha1" => Ok(Some(Checksum::Sha1(digest))),
        "sha256" => Ok(Some(Checksum::Sha256(digest))),
        _ => Err(bad()),
    }
}

fn header_i64(headers: &HeaderMap, name: &str) -> Option<i64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// `key base64,key2 base64` → map; values must be valid base64 of UTF-8.
fn parse_metadata(headers: &HeaderMap) -> ApiResult<HashMap<String, String>> {
    let raw = headers
        .get("upload-metadata")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut out = HashMap::new();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once(' ').unwrap_or((pair, ""));
        let bad = || invalid("upload_metadata", "Upload-Metadata values must be base64.");
        let bytes = STANDARD.decode(value.trim()).map_err(|_| bad())?;
        out.insert(key.to_owned(), String::from_utf8(bytes).map_err(|_| bad())?);
    }
    Ok(out)
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError(AppError::validation(field, message))
}

fn set(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(HeaderName::from_static(name), value);
    }
}

fn http_date(upload: &upload::Model) -> String {
    upload
        .expires_at
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}
