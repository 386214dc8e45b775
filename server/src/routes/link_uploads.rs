//! tus for public links that take uploads: `POST /s/{token}/uploads` and
//! `HEAD|PATCH|DELETE /s/{token}/uploads/{id}`, a thin adapter: the link acts as itself (an
//! `Uploader` with the link's actor, never the owner's), into the linked folder whatever the
//! metadata says (folders of a `relative_path` are made below it), and the same tus as
//! `/api/v1/uploads` does the rest, asking the policy at every step. No link replaces: a name
//! already taken gets a free one, "name (1).ext", and the answer is the same either way.

use std::collections::BTreeMap;

use app::AppError;
use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use base64::{engine::general_purpose::STANDARD, Engine};
use tower_sessions::Session;

use crate::{
    error::{ApiError, ApiResult},
    policy::Need,
    routes::{
        public_link::link_actor,
        tus::{self, Uploader},
    },
    sharing::links::Opened,
    state::AppState,
};

/// The link, checked for uploads, as the uploader.
async fn uploader(
    state: &AppState,
    session: &Session,
    token: &str,
) -> ApiResult<(Opened, Uploader)> {
    let (opened, actor) = link_actor(state, session, token).await?;
    let root = state
        .service
        .node(&actor, opened.root.id, Need::Upload)
        .await?;
    if !root.is_folder() {
        return Err(ApiError(AppError::Forbidden));
    }
    Ok((
        opened,
        Uploader {
            actor,
            account: None,
        },
    ))
}

/// `Upload-Metadata` as pairs (values decoded).
fn metadata(headers: &HeaderMap) -> BTreeMap<String, String> {
    let raw = headers
        .get("upload-metadata")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    raw.split(',')
        .filter_map(|pair| {
            let mut parts = pair.trim().splitn(2, ' ');
            let key = parts.next()?.to_owned();
            let value = parts.next().unwrap_or_default();
            let bytes = STANDARD.decode(value.trim()).ok()?;
            Some((key, String::from_utf8(bytes).ok()?))
        })
        .collect()
}

fn encode(pairs: &BTreeMap<String, String>) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k} {}", STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// Points the upload's Location at this link's tus URL.
fn relocate(mut response: Response, token: &str) -> Response {
    let moved = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(|l| l.replace("/api/v1/uploads/", &format!("/s/{token}/uploads/")));
    if let Some(value) = moved.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert("location", value);
    }
    response
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let prepared = async {
        let (opened, link) = uploader(&state, &session, &token).await?;
        if headers.contains_key("upload-concat") {
            return Err(ApiError(AppError::validation(
                "upload_concat",
                "Uploads through a link come in one piece (no parallel parts).",
            )));
        }
        let mut pairs = metadata(&headers);
        // Into the linked folder, whatever the request says.
        pairs.insert("parent_id".into(), opened.root.id.to_string());
        let mut headers = headers.clone();
        let value = HeaderValue::from_str(&encode(&pairs)).map_err(|_| {
            ApiError(AppError::validation(
                "upload_metadata",
                "Upload-Metadata is not valid.",
            ))
        })?;
        headers.insert("upload-metadata", value);
        Ok((link, headers))
    }
    .await;
    match prepared {
        Ok((link, headers)) => {
            relocate(tus::create(State(state), link, headers, body).await, &token)
        }
        Err(e) => e.into_response(),
    }
}

/// The link as the uploader, once it works (the upload itself is found as the link's own).
async fn for_upload(state: &AppState, session: &Session, token: &str) -> ApiResult<Uploader> {
    Ok(uploader(state, session, token).await?.1)
}

pub async fn head(
    State(state): State<AppState>,
    session: Session,
    Path((token, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match for_upload(&state, &session, &token).await {
        Ok(link) => tus::head(State(state), link, headers, Path(id)).await,
        Err(e) => e.into_response(),
    }
}

pub async fn patch(
    State(state): State<AppState>,
    session: Session,
    Path((token, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match for_upload(&state, &session, &token).await {
        Ok(link) => tus::patch(State(state), link, headers, Path(id), body).await,
        Err(e) => e.into_response(),
    }
}

pub async fn terminate(
    State(state): State<AppState>,
    session: Session,
    Path((token, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match for_upload(&state, &session, &token).await {
        Ok(link) => tus::terminate(State(state), link, headers, Path(id)).await,
        Err(e) => e.into_response(),
    }
}
