//! tus for public links that take uploads: `POST /s/{token}/uploads` and
//! `HEAD|PATCH|DELETE /s/{token}/uploads/{id}`. The link's holder uploads into the linked
//! folder (folders of a `relative_path` are made below it), and its owner's quota pays. A drop
//! box (uploader link) never touches what is there: a name already taken gets a free one,
//! "name (1).ext". Everything else is the same tus as `/api/v1/uploads`.

use std::collections::BTreeMap;

use app::{dto::LinkRole, AppError};
use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use base64::{engine::general_purpose::STANDARD, Engine};
use tower_sessions::Session;

use crate::{
    auth::CurrentUser,
    error::{ApiError, ApiResult},
    files::{name::validate_name, trash::free_name},
    identity::users,
    policy::{Actor, Credential, Need},
    routes::{parse_id, public_link::unlocked, tus},
    sharing::links::Opened,
    state::AppState,
};

/// The link, checked for uploads, and the owner the upload is made for.
async fn uploader(
    state: &AppState,
    session: &Session,
    token: &str,
) -> ApiResult<(Opened, CurrentUser)> {
    let opened = state.links.open(token).await?;
    let open = unlocked(session, &opened).await;
    let root = state.links.item(&opened, None, Need::Upload, open).await?;
    if !root.is_folder() {
        return Err(ApiError(AppError::Forbidden));
    }
    let owner = users::by_id(&state.db, root.owner_id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or(AppError::Gone)?;
    let actor = Actor {
        user_id: owner.id,
        is_admin: false,
        via: Credential::Session,
    };
    Ok((opened, CurrentUser { user: owner, actor }))
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
        let (opened, owner) = uploader(&state, &session, &token).await?;
        if headers.contains_key("upload-concat") {
            return Err(ApiError(AppError::validation(
                "upload_concat",
                "Uploads through a link come in one piece (no parallel parts).",
            )));
        }
        let mut pairs = metadata(&headers);
        // Into the linked folder, whatever the request says.
        pairs.insert("parent_id".into(), opened.root.id.to_string());
        if opened.role == LinkRole::Uploader && !pairs.contains_key("relative_path") {
            if let Some(name) = pairs.get("filename").and_then(|n| validate_name(n).ok()) {
                let free = free_name(&state.db, opened.root.id, &name).await?;
                pairs.insert("filename".into(), free);
            }
        }
        let mut headers = headers.clone();
        let value = HeaderValue::from_str(&encode(&pairs)).map_err(|_| {
            ApiError(AppError::validation(
                "upload_metadata",
                "Upload-Metadata is not valid.",
            ))
        })?;
        headers.insert("upload-metadata", value);
        Ok((owner, headers))
    }
    .await;
    match prepared {
        Ok((owner, headers)) => relocate(
            tus::create(State(state), owner, headers, body).await,
            &token,
        ),
        Err(e) => e.into_response(),
    }
}

/// The owner, when upload `id` belongs to this link's folder.
async fn for_upload(
    state: &AppState,
    session: &Session,
    token: &str,
    id: &str,
) -> ApiResult<CurrentUser> {
    let (opened, owner) = uploader(state, session, token).await?;
    let upload = state
        .uploads
        .find(&state.db, owner.user.id, parse_id(id)?)
        .await?;
    if !crate::files::tree::is_below(&state.db, upload.parent_id, opened.root.id).await? {
        return Err(ApiError(AppError::NotFound));
    }
    Ok(owner)
}

pub async fn head(
    State(state): State<AppState>,
    session: Session,
    Path((token, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match for_upload(&state, &session, &token, &id).await {
        Ok(owner) => tus::head(State(state), owner, headers, Path(id)).await,
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
    match for_upload(&state, &session, &token, &id).await {
        Ok(owner) => tus::patch(State(state), owner, headers, Path(id), body).await,
        Err(e) => e.into_response(),
    }
}

pub async fn terminate(
    State(state): State<AppState>,
    session: Session,
    Path((token, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match for_upload(&state, &session, &token, &id).await {
        Ok(owner) => tus::terminate(State(state), owner, headers, Path(id)).await,
        Err(e) => e.into_response(),
    }
}
