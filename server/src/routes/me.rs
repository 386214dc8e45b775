//! `/api/v1/me`: the caller's own account.

use axum::{extract::State, Json};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    auth::CurrentUser,
    error::{ApiResult, ErrorBody},
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    /// `null` means unlimited.
    pub quota_bytes: Option<i64>,
    pub used_bytes: i64,
    /// The user's root folder.
    pub root_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = MeResponse), (status = 401, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<MeResponse>> {
    let (root, used_bytes) = state.service.account_usage(&current.actor).await?;
    let user = current.user;
    Ok(Json(MeResponse {
        id: user.id,
        email: user.email,
        name: user.name,
        is_admin: user.is_admin,
        quota_bytes: user.quota_bytes,
        used_bytes,
        root_id: Some(root.id),
        created_at: user.created_at,
    }))
}
