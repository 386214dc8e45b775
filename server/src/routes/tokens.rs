//! `/api/v1/tokens`: personal access tokens for scripts.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    auth::CurrentUser,
    entities::personal_access_token as pat,
    error::{ApiResult, ErrorBody},
    extract::ApiJson,
    routes::parse_id,
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
pub struct CreateTokenRequest {
    pub name: String,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub info: TokenInfo,
    /// The secret, shown this once. Send it as `Authorization: Bearer <token>`.
    pub token: String,
}

impl From<pat::Model> for TokenInfo {
    fn from(t: pat::Model) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
        }
    }
}

/// Create a personal access token (not with another personal access token).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = CreateTokenRequest,
    security(("bearer" = [])),
    responses((status = 201, body = CreatedToken), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(body): ApiJson<CreateTokenRequest>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let (row, token) = state
        .service
        .create_token(&current.actor, &body.name, body.expires_at)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            info: row.into(),
            token,
        }),
    ))
}

/// The caller's personal access tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", security(("bearer" = [])),
    responses((status = 200, body = [TokenInfo]), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<Vec<TokenInfo>>> {
    let tokens = state.service.tokens(&current.actor).await?;
    Ok(Json(tokens.into_iter().map(TokenInfo::from).collect()))
}

/// Revoke a personal access token. It stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state
        .service
        .revoke_token(&current.actor, parse_id(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
