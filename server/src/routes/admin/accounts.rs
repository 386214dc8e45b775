//! `/api/v1/admin/users…` and `/api/v1/admin/settings`: accounts and who may sign up.

use app::{
    dto::{AccountChange, AccountDto, AccountPage, CreatedAccount, NewAccount, SignupMode},
    services::AdminService,
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin;
use crate::{
    auth::CurrentUser,
    error::{ApiResult, ErrorBody},
    extract::ApiJson,
    routes::parse_id,
    state::AppState,
};

#[derive(Deserialize, IntoParams)]
pub struct AccountsQuery {
    /// Part of an email or a name.
    pub q: Option<String>,
    pub cursor: Option<String>,
}

/// Accounts by email, 50 at a time, with storage used, quota, role, status, last sign-in.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])),
    params(AccountsQuery),
    responses((status = 200, description = "{accounts: [{id, email, name, is_admin, disabled, \
        invited, quota_bytes, used_bytes, created, last_sign_in}], total, next}"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn users(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<AccountsQuery>,
) -> ApiResult<Json<AccountPage>> {
    let admin = admin(&state, &current)?;
    let page = admin
        .accounts(current.user.id, query.q.unwrap_or_default(), query.cursor)
        .await?;
    Ok(Json(page))
}

/// Make an account: `{email, name?, password?, is_admin?, quota_bytes?}`. Without a password
/// it gets an invitation link (`invitation`, shown once) for its person to choose one.
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])),
    responses((status = 201, description = "{account, invitation}"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(body): ApiJson<NewAccount>,
) -> ApiResult<(StatusCode, Json<CreatedAccount>)> {
    let admin = admin(&state, &current)?;
    let created = admin.create_account(current.user.id, body).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Change an account: `{disabled?, is_admin?, quota_bytes?}` (`quota_bytes: null` =
/// unlimited). Disabling ends its sessions and tokens at once; the last administrator can be
/// neither demoted nor disabled (403).
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "the account"), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AccountChange>,
) -> ApiResult<Json<AccountDto>> {
    let admin = admin(&state, &current)?;
    let id = parse_id(&id)?;
    Ok(Json(admin.change_account(current.user.id, id, body).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordRequest {
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct PasswordReset {
    /// The account's personal access tokens (app passwords) that the reset revoked.
    pub personal_tokens_revoked: u64,
}

/// Set a new password for an account; its sessions, refresh tokens and personal access
/// tokens end.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/password", tag = "admin",
    security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = PasswordRequest,
    responses((status = 200, body = PasswordReset), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_password(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PasswordRequest>,
) -> ApiResult<Json<PasswordReset>> {
    let admin = admin(&state, &current)?;
    let id = parse_id(&id)?;
    let revoked = admin
        .set_password(current.user.id, id, body.password)
        .await?;
    Ok(Json(PasswordReset {
        personal_tokens_revoked: revoked,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct InvitationResponse {
    /// The welcome page's path, shown once; earlier links of the account stop working.
    pub invitation: String,
}

/// A new invitation link for an account whose person has not chosen a password yet.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/invitation", tag = "admin",
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = InvitationResponse), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn invite_again(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<InvitationResponse>> {
    let admin = admin(&state, &current)?;
    let id = parse_id(&id)?;
    let invitation = admin.invite_again(current.user.id, id).await?;
    Ok(Json(InvitationResponse { invitation }))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SettingsBody {
    /// `open`, `invite` or `closed`.
    #[schema(value_type = String)]
    pub signup_mode: SignupMode,
}

/// The deployment's settings: who may make an account.
#[utoipa::path(get, path = "/api/v1/admin/settings", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = SettingsBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn settings(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<SettingsBody>> {
    let admin = admin(&state, &current)?;
    let signup_mode = admin.signup_mode(current.user.id).await?;
    Ok(Json(SettingsBody { signup_mode }))
}

/// Change who may make an account: `open` (anyone), `invite` (invitation links only),
/// `closed` (administrators make accounts with a password).
#[utoipa::path(put, path = "/api/v1/admin/settings", tag = "admin", security(("bearer" = [])),
    request_body = SettingsBody,
    responses((status = 200, body = SettingsBody), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(body): ApiJson<SettingsBody>,
) -> ApiResult<Json<SettingsBody>> {
    let admin = admin(&state, &current)?;
    admin
        .set_signup_mode(current.user.id, body.signup_mode)
        .await?;
    Ok(Json(body))
}
