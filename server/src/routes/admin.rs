//! `/api/v1/admin/…`: for administrators only (the policy's `Administer`).

use axum::{extract::State, Json};

use crate::{
    auth::CurrentUser,
    error::{ApiResult, ServiceError},
    policy::{authorize, Action},
    state::AppState,
    stats::{self, Stats},
};

/// Users, files, bytes before and after dedup, jobs by state.
#[utoipa::path(get, path = "/api/v1/admin/stats", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Stats), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)))]
pub async fn stats(State(state): State<AppState>, current: CurrentUser) -> ApiResult<Json<Stats>> {
    authorize(&current.actor, Action::Administer)?;
    Ok(Json(
        stats::collect(&state.db)
            .await
            .map_err(ServiceError::from)?,
    ))
}
