//! `/api/v1/admin/jobs…` and `/api/v1/admin/activity`: what went wrong, and who did what.

use app::{
    dto::{ActivityFilter, ActivityPage, FailedJobDto},
    services::AdminService,
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::admin;
use crate::{
    auth::CurrentUser,
    error::{ApiResult, ErrorBody},
    routes::parse_id,
    state::AppState,
};

/// The latest 50 failed and dead jobs with their errors, newest first.
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "[{id, kind, state, attempts, error, file_name, \
        updated}]"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn jobs(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<Vec<FailedJobDto>>> {
    let admin = admin(&state, &current)?;
    Ok(Json(admin.failed_jobs(current.user.id).await?))
}

/// Queue a failed or dead job again, with fresh attempts.
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/retry", tag = "admin",
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry_job(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let admin = admin(&state, &current)?;
    let id = parse_id(&id)?;
    admin.retry_job(current.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct ActivityQuery {
    /// Only changes by this account.
    pub user: Option<Uuid>,
    /// Only this action (`upload`, `rename`, `account_disable`, …).
    pub action: Option<String>,
    /// Unix seconds, inclusive.
    pub since: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
    pub cursor: Option<String>,
}

/// The activity log across all users, newest first, 50 at a time.
#[utoipa::path(get, path = "/api/v1/admin/activity", tag = "admin", security(("bearer" = [])),
    params(ActivityQuery),
    responses((status = 200, description = "{entries: [{id, at, actor_id, actor_email, action, \
        node_id, name}], next}"), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn activity(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ActivityQuery>,
) -> ApiResult<Json<ActivityPage>> {
    let admin = admin(&state, &current)?;
    let filter = ActivityFilter {
        user: query.user,
        action: query.action,
        since: query.since,
        until: query.until,
    };
    Ok(Json(
        admin
            .activity(current.user.id, filter, query.cursor)
            .await?,
    ))
}
