//! `/api/v1/admin/…`: for administrators only (the policy's `Administer`).

use app::dto::AdminStats;
use axum::{extract::State, Json};

use crate::{
    auth::CurrentUser,
    error::{ApiResult, ServiceError},
    policy::{authorize, Action},
    state::AppState,
    stats,
};

/// Users, files, bytes before and after dedup, jobs by state.
#[utoipa::path(get, path = "/api/v1/admin/stats", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "users, files, folders, logical_bytes, stored_bytes, \
        dedup_saved_bytes, current_bytes, trash_bytes, jobs (count by state), index_lag"), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<AdminStats>> {
    authorize(&current.actor, Action::Administer)?;
    Ok(Json(
        stats::collect(&state.db)
            .await
            .map_err(ServiceError::from)?,
    ))
}
