//! `/api/v1/auth/*`: sign-up, sign-in for programs (token pairs), refresh, sign-out.

use app::{dto::SignUpInput, services::ClientIp};
use axum::{body::Bytes, http::StatusCode, Extension, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult, ErrorBody, ServiceError},
    extract::ApiJson,
    identity::TokenPair,
    state::AppState,
};
use axum::extract::State;

#[derive(Deserialize, ToSchema)]
pub struct SignupRequest {
    pub email: String,
    pub password: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Deserialize, ToSchema)]
pub struct LogoutRequest {
    pub refresh_token: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// JWT for `Authorization: Bearer`, valid for `expires_in` seconds.
    pub access_token: String,
    /// Single use: exchange it at /auth/refresh for a new pair.
    pub refresh_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
}

impl From<TokenPair> for TokenResponse {
    fn from(pair: TokenPair) -> Self {
        Self {
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
            token_type: "Bearer",
            expires_in: pair.expires_in,
        }
    }
}

fn ip(client: Option<Extension<ClientIp>>) -> Option<std::net::IpAddr> {
    client.map(|Extension(ClientIp(ip))| ip)
}

/// Create an account. The first account becomes an administrator.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = SignupRequest,
    responses((status = 201, body = UserResponse), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn signup(
    State(state): State<AppState>,
    client: Option<Extension<ClientIp>>,
    ApiJson(body): ApiJson<SignupRequest>,
) -> ApiResult<(StatusCode, Json<UserResponse>)> {
    let input = SignUpInput {
        name: body.name,
        email: body.email,
        password: body.password,
    };
    let user = state.identity.create_user(input, ip(client)).await?;
    let response = UserResponse {
        id: user.id,
        email: user.email,
        name: user.name,
        is_admin: user.is_admin,
        created_at: user.created_at,
    };
    Ok((StatusCode::CREATED, Json(response)))
}

/// Exchange email and password for an access token and a refresh token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    client: Option<Extension<ClientIp>>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let user = state
        .identity
        .check_credentials(&body.email, &body.password, ip(client))
        .await?;
    Ok(Json(state.identity.issue_tokens(&user, None).await?.into()))
}

/// Exchange a refresh token for a new pair. The old refresh token stops working; using it
/// again revokes every token of its sign-in.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> ApiResult<Json<TokenResponse>> {
    Ok(Json(
        state.identity.refresh(&body.refresh_token).await?.into(),
    ))
}

/// Sign out: revokes the given refresh token (and its family) and ends the browser session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body(content = LogoutRequest,
    description = "Optional"), responses((status = 204), (status = 400, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn logout(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    if !body.is_empty() {
        let request: LogoutRequest = serde_json::from_slice(&body).map_err(|_| {
            ApiError(app::AppError::Validation {
                field: None,
                message:
                    "The request body is not valid JSON of the form {\"refresh_token\": \"…\"}."
                        .into(),
            })
        })?;
        if let Some(token) = request.refresh_token {
            state.identity.revoke_refresh_token(&token).await?;
        }
    }
    if let Some(Extension(session)) = session {
        session.flush().await.map_err(ServiceError::from)?;
    }
    Ok(StatusCode::NO_CONTENT)
}
