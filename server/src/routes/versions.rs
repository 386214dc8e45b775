//! `/api/v1/nodes/{id}/versions`: a file's history, and restoring an old version.

use app::AppError;
use axum::{
    extract::{Path, State},
    Json,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::nodes::NodeDto;
use crate::{
    auth::CurrentUser,
    error::{ApiError, ApiResult, ErrorBody},
    routes::parse_id,
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct VersionDto {
    pub number: i32,
    pub size: i64,
    pub created_at: DateTime<Utc>,
    pub author_id: Option<Uuid>,
    /// The public link that wrote it (then `author_id` is null).
    pub link_id: Option<Uuid>,
    /// Whether this is the file's content now.
    pub current: bool,
}

/// The versions of a file, newest first.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/versions", tag = "files", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = [VersionDto]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<VersionDto>>> {
    let (file, rows) = state
        .service
        .versions(&current.actor, parse_id(&id)?)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|v| VersionDto {
                current: Some(v.number) == file.version,
                number: v.number,
                size: v.size,
                created_at: v.created_at,
                author_id: v.author_id,
                link_id: v.link_id,
            })
            .collect(),
    ))
}

/// Make version `n` the newest version again (a new version; history is kept).
#[utoipa::path(post, path = "/api/v1/nodes/{id}/versions/{n}/restore", tag = "files",
    security(("bearer" = [])), params(("id" = Uuid, Path), ("n" = i32, Path)),
    responses((status = 200, body = NodeDto), (status = 404, body = ErrorBody), (status = 507, body = ErrorBody)))]
pub async fn restore(
    State(state): State<AppState>,
    current: CurrentUser,
    Path((id, number)): Path<(String, String)>,
) -> ApiResult<Json<NodeDto>> {
    let id = parse_id(&id)?;
    let number: i32 = number.parse().map_err(|_| {
        ApiError(AppError::validation(
            "n",
            "A version number is a whole number.",
        ))
    })?;
    let restored = state
        .service
        .restore_version(&current.actor, id, number)
        .await?;
    Ok(Json(restored.into()))
}
