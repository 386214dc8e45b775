//! The tus 1.0 protocol's headers: versions, offsets, checksums, metadata, and the
//! `Tus-Resumable` header on every answer.

use std::collections::HashMap;

use app::AppError;
use axum::{
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use base64::{engine::general_purpose::STANDARD, Engine};
use uuid::Uuid;

use crate::{
    entities::upload,
    error::{ApiError, ApiResult},
    files::uploads::Checksum,
};

pub const TUS_VERSION: &str = "1.0.0";
pub const OFFSET_CONTENT_TYPE: &str = "application/offset+octet-stream";

/// Where an upload stands after a request: its offset, expiry and, once complete, the file.
pub fn progress(
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

pub async fn respond(work: impl std::future::Future<Output = ApiResult<Response>>) -> Response {
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

pub fn require_tus(headers: &HeaderMap) -> ApiResult<()> {
    match headers.get("tus-resumable") {
        Some(v) if v == TUS_VERSION => Ok(()),
        _ => Err(ApiError(AppError::Precondition {
            message: "This server speaks tus 1.0.0 (Tus-Resumable: 1.0.0).".into(),
        })),
    }
}

/// `Upload-Checksum: sha1|sha256 <base64>`; another algorithm is a 400.
pub fn checksum(headers: &HeaderMap) -> ApiResult<Option<Checksum>> {
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

pub fn header_i64(headers: &HeaderMap, name: &str) -> Option<i64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// `key base64,key2 base64` → map; values must be valid base64 of UTF-8.
pub fn parse_metadata(headers: &HeaderMap) -> ApiResult<HashMap<String, String>> {
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

pub fn invalid(field: &str, message: &str) -> ApiError {
    ApiError(AppError::validation(field, message))
}

pub fn set(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(HeaderName::from_static(name), value);
    }
}

pub fn http_date(upload: &upload::Model) -> String {
    upload
        .expires_at
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}
