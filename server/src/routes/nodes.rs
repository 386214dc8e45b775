//! `/api/v1/folders` and `/api/v1/nodes/{id}`: the tree, as the API shows it.

use app::AppError;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};
use chrono::{DateTime, Utc};
use sea_orm::Order;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    auth::CurrentUser,
    entities::node,
    error::{ApiResult, ErrorBody},
    extract::ApiJson,
    files::page,
    policy::Need,
    routes::{parse_id, PageWindow},
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct NodeDto {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    /// `folder` or `file`.
    pub kind: String,
    pub size: i64,
    pub mime: Option<String>,
    pub etag: Option<String>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
    pub owner_id: Uuid,
    pub version: Option<i32>,
    /// Only for items in the trash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trashed_at: Option<DateTime<Utc>>,
}

impl From<node::Model> for NodeDto {
    fn from(n: node::Model) -> Self {
        Self {
            id: n.id,
            parent_id: n.parent_id,
            name: n.name,
            kind: n.kind,
            size: n.size,
            mime: n.mime,
            etag: n.sha256.clone().map(|sha| format!("\"{sha}\"")),
            created_at: n.created_at,
            modified_at: n.modified_at,
            owner_id: n.owner_id,
            version: n.version,
            trashed_at: n.trashed_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateFolder {
    pub parent_id: Uuid,
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateNode {
    pub name: Option<String>,
    pub parent_id: Option<Uuid>,
}

#[derive(Deserialize, ToSchema)]
pub struct CopyNode {
    pub parent_id: Uuid,
    /// The copy's name; by default the original's, as "name (1)" if that is taken.
    pub name: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// `name` (default), `modified` or `size`; folders always come first.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub order: Option<String>,
    /// 1 to 1000, default 100.
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Page {
    pub items: Vec<NodeDto>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Make a folder.
#[utoipa::path(post, path = "/api/v1/folders", tag = "files", request_body = CreateFolder,
    security(("bearer" = [])),
    responses((status = 201, body = NodeDto), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_folder(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(body): ApiJson<CreateFolder>,
) -> ApiResult<(StatusCode, Json<NodeDto>)> {
    let folder = state
        .service
        .create_folder(&current.actor, body.parent_id, &body.name)
        .await?;
    Ok((StatusCode::CREATED, Json(folder.into())))
}

/// A file or folder.
#[utoipa::path(get, path = "/api/v1/nodes/{id}", tag = "files", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = NodeDto), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<NodeDto>> {
    let node = state
        .service
        .node(&current.actor, parse_id(&id)?, Need::Read)
        .await?;
    Ok(Json(node.into()))
}

/// A folder's contents, folders first, one page at a time.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/children", tag = "files", security(("bearer" = [])),
    params(("id" = Uuid, Path), ListQuery),
    responses((status = 200, body = Page), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn children(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Page>> {
    let id = parse_id(&id)?;
    let sort = match query.sort.as_deref() {
        None | Some("name") => page::Sort::Name,
        Some("modified") => page::Sort::Modified,
        Some("size") => page::Sort::Size,
        Some(_) => {
            return Err(AppError::validation("sort", "Sort by name, modified or size.").into())
        }
    };
    let order = match query.order.as_deref() {
        None | Some("asc") => Order::Asc,
        Some("desc") => Order::Desc,
        Some(_) => return Err(AppError::validation("order", "Order is asc or desc.").into()),
    };
    let window = PageWindow::new(query.limit, query.cursor.as_deref())?;
    let listing = state
        .service
        .children(
            &current.actor,
            Some(id),
            sort,
            order,
            window.limit,
            window.offset,
        )
        .await?;
    Ok(Json(Page {
        items: listing.rows.into_iter().map(NodeDto::from).collect(),
        next_cursor: window.next(listing.more),
    }))
}

/// Rename and/or move.
#[utoipa::path(patch, path = "/api/v1/nodes/{id}", tag = "files", request_body = UpdateNode,
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = NodeDto), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateNode>,
) -> ApiResult<Json<NodeDto>> {
    let id = parse_id(&id)?;
    let moved = state
        .service
        .rename_or_move(&current.actor, id, body.name.as_deref(), body.parent_id)
        .await?;
    Ok(Json(moved.into()))
}

/// Copy a file or a folder with everything in it.
#[utoipa::path(post, path = "/api/v1/nodes/{id}/copy", tag = "files", request_body = CopyNode,
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 201, body = NodeDto), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn copy(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CopyNode>,
) -> ApiResult<(StatusCode, Json<NodeDto>)> {
    let id = parse_id(&id)?;
    let copied = state
        .service
        .copy(
            &current.actor,
            id,
            Some(body.parent_id),
            body.name.as_deref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(copied.into())))
}
