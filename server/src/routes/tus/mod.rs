//! tus 1.0 at `/api/v1/uploads` (core, creation, creation-with-upload, checksum,
//! termination, expiration, concatenation). When the last byte arrives the file is in its
//! folder, or is a new version of the file of that name there.

mod create;
pub mod protocol;
mod uploader;

use app::AppError;
use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
pub(crate) use create::parse_mtime;
pub use create::{__path_create, create};
use protocol::{
    checksum, header_i64, invalid, progress, require_tus, respond, set, OFFSET_CONTENT_TYPE,
    TUS_VERSION,
};
pub use uploader::Uploader;

use crate::{error::ApiError, routes::parse_id, state::AppState};

/// tus `OPTIONS`: versions, extensions and the largest upload.
#[utoipa::path(options, path = "/api/v1/uploads", tag = "uploads", responses((status = 204)))]
pub async fn options(State(state): State<AppState>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    set(headers, "tus-version", TUS_VERSION);
    set(
        headers,
        "tus-extension",
        "creation,creation-with-upload,termination,expiration,checksum,concatenation",
    );
    set(headers, "tus-checksum-algorithm", "sha1,sha256");
    set(
        headers,
        "tus-max-size",
        &state.service.max_upload_size().to_string(),
    );
    set(headers, "tus-resumable", TUS_VERSION);
    response
}

/// tus `HEAD`: how far the upload is (Upload-Offset, Upload-Length); an upload with every
/// byte but no file yet (its node stopped in between) gets its file now (GoSync-Node-Id).
#[utoipa::path(head, path = "/api/v1/uploads/{id}", tag = "uploads", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200), (status = 404)))]
pub async fn head(
    State(state): State<AppState>,
    uploader: Uploader,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    respond(async {
        require_tus(&headers)?;
        let done = state
            .service
            .upload_status(&uploader, parse_id(&id)?)
            .await?;
        let upload = &done.upload;
        let mut response = progress(StatusCode::OK, upload, done.offset, done.file);
        let h = response.headers_mut();
        set(h, "upload-length", &upload.length.to_string());
        set(h, "cache-control", "no-store");
        if upload.partial {
            set(h, "upload-concat", "partial");
        }
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
    uploader: Uploader,
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
        let id = parse_id(&id)?;
        let checksum = checksum(&headers)?;
        let stream = body.into_data_stream();
        let done = state
            .service
            .append_upload(&uploader, id, offset, checksum, stream)
            .await?;
        Ok(progress(
            StatusCode::NO_CONTENT,
            &done.upload,
            done.offset,
            done.file,
        ))
    })
    .await
}

/// tus termination: give up an upload; its bytes are discarded.
#[utoipa::path(delete, path = "/api/v1/uploads/{id}", tag = "uploads", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404)))]
pub async fn terminate(
    State(state): State<AppState>,
    uploader: Uploader,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    respond(async {
        require_tus(&headers)?;
        state
            .service
            .terminate_upload(&uploader, parse_id(&id)?)
            .await?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })
    .await
}
