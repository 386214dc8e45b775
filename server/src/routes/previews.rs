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
    error::{ApiError, ApiResult, ServiceError},
    policy::Actor,
    previews::status,
    routes::{content::set, download::matches_etag, parse_id},
    service::Rendering,
    state::AppState,
    storage::StorageError,
};
use uuid::Uuid;

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
    let id = parse_id(&id)?;
    send_thumbnail(&state, &current.actor, id, &query, &headers).await
}

/// The thumbnail of `id`, for an actor who may read it.
pub async fn send_thumbnail(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
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
    let rendering = state.service.thumbnail(actor, id, size).await?;
    stream(rendering, query.v.as_deref(), headers).await
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
    let id = parse_id(&id)?;
    send_page(&state, &current.actor, id, &n, &query, &headers).await
}

/// Page `n` of the PDF `id`, for an actor who may read it: rendered once, then served from
/// storage.
pub async fn send_page(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    n: &str,
    query: &ThumbQuery,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let page: u32 = n.parse().map_err(|_| AppError::NotFound)?;
    let rendering = state.service.pdf_page(actor, id, page).await?;
    stream(rendering, query.v.as_deref(), headers).await
}

/// A stored rendering, with its ETag; cacheable for good when asked for by its tag.
async fn stream(
    rendering: Rendering,
    asked_tag: Option<&str>,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let tag = status::version_tag(&rendering.sha256);
    let etag = format!("\"{tag}-{}\"", rendering.name);
    let cache = if asked_tag == Some(tag.as_str()) {
        "private, max-age=31536000, immutable"
    } else {
        "private, no-cache"
    };
    let mut response = if matches_etag(headers, header::IF_NONE_MATCH, &etag, true) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let bytes = match rendering.source.read(None).await {
            Ok(bytes) => bytes,
            Err(StorageError::NotFound) => return Err(AppError::NotFound.into()),
            Err(e) => return Err(ServiceError::from(e).into()),
        };
        let body = Body::from_stream(bytes.map_err(std::io::Error::other));
        let mut response = (StatusCode::OK, body).into_response();
        set(&mut response, header::CONTENT_TYPE, &rendering.content_type);
        response
    };
    set(&mut response, header::ETAG, &etag);
    set(&mut response, header::CACHE_CONTROL, cache);
    Ok(response)
}
