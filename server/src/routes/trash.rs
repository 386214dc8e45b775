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
    entities::node,
    error::{ApiResult, ErrorBody},
    files::{access, trash},
    policy::{authorize, Action, Actor, Need},
    routes::{parse_id, PageWindow},
    state::AppState,
};

#[derive(Deserialize, IntoParams)]
pub struct TrashQuery {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

async fn load_entry(state: &AppState, actor: &Actor, raw_id: &str) -> ApiResult<node::Model> {
    let id = parse_id(raw_id)?;
    Ok(crate::files::access::trash_entry(&state.db, actor, id).await?)
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
    let id = parse_id(&id)?;
    let item = access::live_node(&state.db, &current.actor, id, Need::Delete).await?;
    trash::trash(&state.db, current.user.id, &item).await?;
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
    // One's own trash: nobody else's can be named here.
    authorize(&current.actor, Action::OwnTrash)?;
    let window = PageWindow::new(query.limit, query.cursor.as_deref())?;
    let (rows, more) = trash::list(&state.db, current.user.id, window.limit, window.offset).await?;
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
    let entry = load_entry(&state, &current.actor, &id).await?;
    Ok(Json(
        trash::restore(&state.db, current.user.id, &entry)
            .await?
            .into(),
    ))
}

/// Delete an item in the trash for good.
#[utoipa::path(delete, path = "/api/v1/trash/{id}", tag = "trash", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn purge(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let entry = load_entry(&state, &current.actor, &id).await?;
    trash::purge(&state.db, &state.blobs, current.user.id, &entry).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Empty the trash.
#[utoipa::path(delete, path = "/api/v1/trash", tag = "trash", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn empty(State(state): State<AppState>, current: CurrentUser) -> ApiResult<StatusCode> {
    // One's own trash: nobody else's can be named here.
    authorize(&current.actor, Action::OwnTrash)?;
    trash::empty(&state.db, &state.blobs, current.user.id, current.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
