//! `DELETE /api/v1/nodes/{id}` and `/api/v1/trash`: delete, list, restore, purge, empty.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::nodes::{NodeDto, Page};
use crate::{
    auth::CurrentUser,
    error::{ApiResult, ErrorBody},
    routes::{parse_id, PageWindow},
    state::AppState,
};

#[derive(Deserialize, IntoParams)]
pub struct TrashQuery {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// Move a file or folder (with everything in it) to the trash.
#[utoipa::path(delete, path = "/api/v1/nodes/{id}", tag = "trash", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.service.trash(&current.actor, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the caller deleted, newest first (`trashed_at` set; `parent_id` is where it was).
#[utoipa::path(get, path = "/api/v1/trash", tag = "trash", security(("bearer" = [])), params(TrashQuery),
    responses((status = 200, body = Page), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<TrashQuery>,
) -> ApiResult<Json<Page>> {
    let window = PageWindow::new(query.limit, query.cursor.as_deref())?;
    let (rows, more) = state
        .service
        .list_trash(&current.actor, window.limit, window.offset)
        .await?;
    Ok(Json(Page {
        items: rows.into_iter().map(NodeDto::from).collect(),
        next_cursor: window.next(more),
    }))
}

/// Put an item back where it was (or in the root folder if that folder is gone; renamed to
/// "name (1).ext" if its name was taken meanwhile).
#[utoipa::path(post, path = "/api/v1/trash/{id}/restore", tag = "trash", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = NodeDto), (status = 404, body = ErrorBody)))]
pub async fn restore(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<NodeDto>> {
    let restored = state
        .service
        .restore(&current.actor, parse_id(&id)?)
        .await?;
    Ok(Json(restored.into()))
}

/// Delete an item in the trash for good.
#[utoipa::path(delete, path = "/api/v1/trash/{id}", tag = "trash", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn purge(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.service.purge(&current.actor, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Empty the trash.
#[utoipa::path(delete, path = "/api/v1/trash", tag = "trash", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn empty(State(state): State<AppState>, current: CurrentUser) -> ApiResult<StatusCode> {
    state.service.empty_trash(&current.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
