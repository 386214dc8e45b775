//! `POST /api/v1/uploads/batch`: many small files in one multipart request, for a drop of a
//! thousand notes that would otherwise be a thousand requests. A `manifest` part (JSON, one
//! entry per file: where it goes and its length) comes first, then one `file` part per entry,
//! in order. A malformed request stores nothing; a well-formed one answers 200 with one
//! outcome per file (its id, or the error it alone met), each file made exactly as a tus
//! creation that carries its bytes would make it.

use app::AppError;
use axum::{
    extract::{
        multipart::{MultipartError, MultipartRejection},
        Multipart, State,
    },
    http::StatusCode,
    Json,
};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult, ErrorDetail},
    routes::tus::{parse_mtime, protocol::invalid, Uploader},
    service::{BatchFile, Wanted},
    state::AppState,
};

/// Files one batch may hold.
pub const MAX_FILES: usize = 100;
/// Their bytes together.
pub const MAX_BYTES: u64 = 16 << 20;
/// The request's body: the files, the manifest and the form's framing.
pub const BODY_LIMIT: usize = (MAX_BYTES as usize) + (1 << 20);

/// One file of the manifest.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchEntry {
    /// Its name in the folder.
    pub filename: String,
    /// The folder it goes into.
    pub parent_id: Uuid,
    /// Its path in a dropped folder (`Photos/2026/a.jpg`): the folders are made under
    /// `parent_id`.
    pub relative_path: Option<String>,
    /// When it was last changed: Unix time (seconds or milliseconds) or RFC 3339.
    pub mtime: Option<String>,
    /// Its SHA-256 (64 hex digits): bytes of another content make nothing.
    pub sha256: Option<String>,
    /// Its length: its `file` part has exactly these bytes (at most 1 MiB).
    pub length: u64,
}

/// The form: `manifest` (a JSON list of [`BatchEntry`]), then one `file` per entry.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BatchForm {
    manifest: String,
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
}

/// What became of one file.
#[derive(Serialize, ToSchema)]
pub struct BatchOutcome {
    /// The file made (or the file of that name, with a new version).
    pub id: Option<Uuid>,
    /// Why this file was not stored.
    pub error: Option<ErrorDetail>,
}

/// The outcomes, in the manifest's order.
#[derive(Serialize, ToSchema)]
pub struct BatchResult {
    pub files: Vec<BatchOutcome>,
}

/// Up to 100 small files in one request: 200 with an outcome per file.
#[utoipa::path(post, path = "/api/v1/uploads/batch", tag = "uploads", security(("bearer" = [])),
    request_body(content = BatchForm, content_type = "multipart/form-data"),
    responses((status = 200, body = BatchResult),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 415, body = crate::error::ErrorBody)))]
pub async fn upload_batch(
    State(state): State<AppState>,
    uploader: Uploader,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<BatchResult>> {
    let mut form = form.map_err(|_| ApiError(AppError::UnsupportedMediaType))?;
    let manifest = part(&mut form, "manifest")
        .await?
        .ok_or_else(|| invalid("manifest", "The form's first part is the manifest."))?;
    let entries = manifest_entries(&manifest)?;
    let mut files = Vec::with_capacity(entries.len());
    let count = entries.len();
    for (n, entry) in (1..).zip(entries) {
        let bytes = part(&mut form, "file").await?.ok_or_else(|| {
            invalid(
                "file",
                &format!("The manifest lists {count} files, but file {n} is not in the form."),
            )
        })?;
        if bytes.len() as u64 != entry.length {
            return Err(invalid(
                "file",
                &format!(
                    "File {n} has {} bytes; the manifest says {}. Nothing was stored.",
                    bytes.len(),
                    entry.length
                ),
            ));
        }
        files.push(BatchFile {
            wanted: Wanted {
                filename: entry.filename,
                parent: entry.parent_id,
                relative_path: entry.relative_path,
                mtime: entry.mtime.as_deref().map(parse_mtime).transpose()?,
            },
            bytes,
            sha256: entry.sha256.map(|s| s.to_ascii_lowercase()),
        });
    }
    if part(&mut form, "file").await?.is_some() {
        return Err(invalid(
            "file",
            "The form has more files than the manifest lists. Nothing was stored.",
        ));
    }
    let outcomes = state.service.upload_batch(&uploader, files).await;
    let files = outcomes
        .into_iter()
        .map(|outcome| match outcome {
            Ok(id) => BatchOutcome {
                id: Some(id),
                error: None,
            },
            Err(e) => BatchOutcome {
                id: None,
                error: Some(ErrorDetail::from(&AppError::from(e))),
            },
        })
        .collect();
    Ok(Json(BatchResult { files }))
}

/// The manifest's entries, checked against the batch's limits.
fn manifest_entries(raw: &[u8]) -> ApiResult<Vec<BatchEntry>> {
    let entries: Vec<BatchEntry> = serde_json::from_slice(raw).map_err(|e| {
        let (_, detail) = crate::extract::serde_detail(&e.to_string());
        invalid(
            "manifest",
            &format!("The manifest is a JSON list of files ({{\"filename\", \"parent_id\", \"length\"}}): {detail}."),
        )
    })?;
    if entries.is_empty() || entries.len() > MAX_FILES {
        return Err(invalid(
            "manifest",
            &format!("A batch holds 1 to {MAX_FILES} files."),
        ));
    }
    let total = entries
        .iter()
        .try_fold(0u64, |sum, e| sum.checked_add(e.length));
    if total.is_none_or(|total| total > MAX_BYTES) {
        return Err(ApiError(AppError::TooLarge));
    }
    if let Some(hash) = entries
        .iter()
        .filter_map(|e| e.sha256.as_deref())
        .find(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        let shown: String = hash.chars().take(70).collect();
        return Err(invalid(
            "sha256",
            &format!("\"{shown}\" is not a SHA-256: 64 hexadecimal digits."),
        ));
    }
    Ok(entries)
}

/// The next part's bytes, which must be named `name`; None when the form has ended.
async fn part(form: &mut Multipart, name: &str) -> ApiResult<Option<Bytes>> {
    let Some(field) = form.next_field().await.map_err(unreadable)? else {
        return Ok(None);
    };
    if field.name() != Some(name) {
        return Err(invalid(
            name,
            &format!("The form's parts are the manifest, then one \"file\" per file; \"{name}\" was expected here."),
        ));
    }
    field.bytes().await.map(Some).map_err(unreadable)
}

fn unreadable(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError(AppError::TooLarge);
    }
    invalid(
        "body",
        "The body is not a complete multipart form. Nothing was stored.",
    )
}
