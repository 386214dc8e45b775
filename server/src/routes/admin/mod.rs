//! `/api/v1/admin/…`: for administrators only (the policy's `Administer`, asked first by every
//! handler here and again by the admin service they call).

mod accounts;
mod operations;

pub use accounts::*;
pub use operations::*;

use axum::{
    extract::{Query, State},
    Json,
};
use serde::Deserialize;
use utoipa::IntoParams;

use app::dto::{AdminStats, StorageDay};
use app::services::AdminService;

use crate::{
    admin::Admin,
    auth::CurrentUser,
    error::ApiResult,
    policy::{authorize, Action},
    state::AppState,
};

/// The admin service, for a caller the policy let through.
fn admin(state: &AppState, current: &CurrentUser) -> ApiResult<std::sync::Arc<Admin>> {
    authorize(&current.actor, Action::Administer)?;
    Ok(state.admin.clone())
}

/// Users, files, bytes before and after dedup, jobs by state.
#[utoipa::path(get, path = "/api/v1/admin/stats", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "users, files, folders, logical_bytes, stored_bytes, \
        dedup_saved_bytes, current_bytes, trash_bytes, jobs (count by state), index_lag"), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<AdminStats>> {
    let admin = admin(&state, &current)?;
    Ok(Json(admin.stats(current.user.id).await?))
}

/// This server's health: database and storage answering (and how fast), the search index,
/// version, uptime, the previews' converters, and every setting in effect (secrets shown only
/// as set).
#[utoipa::path(get, path = "/api/v1/admin/health", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "version, uptime_secs, database_kind, database {ok, millis}, \
        storage_kind, storage {ok, millis}, index_lag, index_documents, \
        converters [{name, available, note}], settings [{name, value}]"),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn health(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<app::dto::HealthDto>> {
    let admin = admin(&state, &current)?;
    Ok(Json(admin.health_report().await))
}

#[derive(Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// How many days back (1 to 366, default 30).
    pub days: Option<u32>,
}

/// Daily storage samples, oldest first: logical and stored bytes, files, uploads that day.
#[utoipa::path(get, path = "/api/v1/admin/storage", tag = "admin", security(("bearer" = [])),
    params(HistoryQuery),
    responses((status = 200, description = "[{day, logical_bytes, stored_bytes, files, uploads, \
        uploaded_bytes}]"), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)))]
pub async fn storage(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<HistoryQuery>,
) -> ApiResult<Json<Vec<StorageDay>>> {
    let admin = admin(&state, &current)?;
    let days = query.days.unwrap_or(30);
    Ok(Json(admin.storage_history(current.user.id, days).await?))
}
