//! `GET /api/v1/nodes/{id}/thumbnail?size=256|1024` and `GET /api/v1/nodes/{id}/pages/{n}` (a
//! PDF page for the viewer, rendered on first demand and kept). Both read-authorised like the
//! content, both cacheable for good when the URL carries the content's tag (`?v=`).

use app::AppError;
use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use futures::TryStreamExt;
use serde::Deserialize;

use crate::{
    auth::CurrentUser,
    entities::node,
    error::{ApiError, ApiResult, ServiceError},
    jobs::queue,
    policy::Need,
    previews::{self, status, Kind, Made, THUMBNAIL},
    routes::{content::set, download::matches_etag, nodes::load},
    state::AppState,
    storage::StorageError,
};

#[derive(Deserialize)]
pub struct ThumbQuery {
    pub size: Option<String>,
    /// The content's tag, from the listing: makes the answer cacheable for good.
    pub v: Option<String>,
}

/// A file's thumbnail; 404 while none exists (being made, or none can be).
#[utoipa::path(get, path = "/api/v1/nodes/{id}/thumbnail", tag = "files", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("size" = Option<u32>, Query, description = "256 (default) or 1024"),
        ("v" = Option<String>, Query, description = "The tag from the listing")),
    responses((status = 200, description = "JPEG, WebP or SVG"), (status = 304),
        (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn thumbnail(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ThumbQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let node = load(&state, &current.actor, &id, Need::Read).await?;
    send_thumbnail(&state, &node, &query, &headers).await
}

/// The thumbnail of a node the caller may read.
pub async fn send_thumbnail(
    state: &AppState,
    node: &node::Model,
    query: &ThumbQuery,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let size = match query.size.as_deref() {
        None | Some("256") => 256,
        Some("1024") => 1024,
        Some(_) => {
            return Err(ApiError(AppError::validation(
                "size",
                "Thumbnails come in sizes 256 and 1024.",
            )))
        }
    };
    let (sha256, made) = made(state, node).await?;
    let stored = if made.sizes.contains(&size) {
        size
    } else {
        made.sizes.iter().copied().min().ok_or(AppError::NotFound)?
    };
    let key = previews::storage_key(&sha256, &stored.to_string());
    stream(
        state,
        &key,
        &sha256,
        &made.content_type,
        query.v.as_deref(),
        headers,
        &stored.to_string(),
    )
    .await
}

/// The content's done thumbnail job, or 404.
async fn made(state: &AppState, node: &node::Model) -> ApiResult<(String, Made)> {
    let sha256 = node
        .sha256
        .clone()
        .filter(|_| !node.is_folder())
        .ok_or(AppError::NotFound)?;
    let job = queue::find(&state.db, THUMBNAIL, vec![sha256.clone()])
        .await
        .map_err(ServiceError::from)?;
    let made = job
        .first()
        .and_then(status::made)
        .ok_or(AppError::NotFound)?;
    Ok((sha256, made))
}

/// A PDF's page `n` (from 1) at 1024, for the viewer.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/pages/{n}", tag = "files", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("n" = u32, Path), ("v" = Option<String>, Query)),
    responses((status = 200, description = "The page as JPEG"), (status = 304),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
    Path((id, n)): Path<(String, String)>,
    Query(query): Query<ThumbQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let node = load(&state, &current.actor, &id, Need::Read).await?;
    send_page(&state, &node, &n, &query, &headers).await
}

/// Page `n` of a PDF the caller may read: rendered once, then served from storage.
pub async fn send_page(
    state: &AppState,
    node: &node::Model,
    n: &str,
    query: &ThumbQuery,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    if Kind::of(node.mime.as_deref(), &node.name) != Some(Kind::Pdf) {
        return Err(AppError::NotFound.into());
    }
    let (sha256, made) = made(state, node).await?;
    let page: u32 = n.parse().map_err(|_| AppError::NotFound)?;
    if page == 0 || page > made.pages.unwrap_or(0) {
        return Err(AppError::NotFound.into());
    }
    let rendering = format!("page-{page}");
    let key = state.previews.page(&state.db, &sha256, page).await?;
    stream(
        state,
        &key,
        &sha256,
        "image/jpeg",
        query.v.as_deref(),
        headers,
        &rendering,
    )
    .await
}

/// A stored rendering, with its ETag; cacheable for good when asked for by its tag.
async fn stream(
    state: &AppState,
    key: &str,
    sha256: &str,
    content_type: &str,
    asked_tag: Option<&str>,
    headers: &HeaderMap,
    rendering: &str,
) -> ApiResult<Response> {
    let tag = status::version_tag(sha256);
    let etag = format!("\"{tag}-{rendering}\"");
    let cache = if asked_tag == Some(tag.as_str()) {
        "private, max-age=31536000, immutable"
    } else {
        "private, no-cache"
    };
    let mut response = if matches_etag(headers, header::IF_NONE_MATCH, &etag, true) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let bytes = match state.blobs.get(key).await {
            Ok(bytes) => bytes,
            Err(StorageError::NotFound) => return Err(AppError::NotFound.into()),
            Err(e) => return Err(ServiceError::from(e).into()),
        };
        let body = Body::from_stream(bytes.map_err(std::io::Error::other));
        let mut response = (StatusCode::OK, body).into_response();
        set(&mut response, header::CONTENT_TYPE, content_type);
        response
    };
    set(&mut response, header::ETAG, &etag);
    set(&mut response, header::CACHE_CONTROL, cache);
    Ok(response)
}
