//! Stars and Recent: `PUT|DELETE /api/v1/nodes/{id}/star`, `GET /api/v1/starred` and
//! `GET /api/v1/recent`.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::nodes::NodeDto;
use crate::{
    auth::CurrentUser,
    error::{ApiResult, ErrorBody},
    routes::parse_id,
    state::AppState,
};

/// Star a file or folder you may see (again: nothing changes).
#[utoipa::path(put, path = "/api/v1/nodes/{id}/star", tag = "files", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn star(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.service.star(&current.actor, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Take your star off (none there: nothing changes).
#[utoipa::path(delete, path = "/api/v1/nodes/{id}/star", tag = "files", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn unstar(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.service.unstar(&current.actor, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What you starred and may still see, newest star first.
#[utoipa::path(get, path = "/api/v1/starred", tag = "files", security(("bearer" = [])),
    responses((status = 200, body = [NodeDto]), (status = 401, body = ErrorBody)))]
pub async fn starred(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<Vec<NodeDto>>> {
    let rows = state.service.starred(&current.actor).await?;
    Ok(Json(rows.into_iter().map(NodeDto::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct RecentDto {
    pub node: NodeDto,
    /// When you last changed or opened it (in the browser).
    pub at: DateTime<Utc>,
}

/// The files you changed or opened in the browser lately, newest first (at most 50).
#[utoipa::path(get, path = "/api/v1/recent", tag = "files", security(("bearer" = [])),
    responses((status = 200, body = [RecentDto]), (status = 401, body = ErrorBody)))]
pub async fn recent(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<Vec<RecentDto>>> {
    let rows = state.service.recent(&current.actor).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(node, at)| RecentDto {
                node: node.into(),
                at,
            })
            .collect(),
    ))
}
