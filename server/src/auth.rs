//! The `CurrentUser` extractor: a bearer token (JWT access token or personal access token)
//! or, for browsers, the session cookie (its account checked by `middleware::session_user`).
//! Disabled accounts are refused on every request.

use app::AppError;
use axum::{extract::FromRequestParts, http::request::Parts};

use crate::{
    entities::user,
    error::ApiError,
    middleware::session_user::SessionAccount,
    policy::{Actor, Credential},
    state::AppState,
};

pub struct CurrentUser {
    pub user: user::Model,
    pub actor: Actor,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let token = header
                .to_str()
                .ok()
                .and_then(|h| {
                    h.strip_prefix("Bearer ")
                        .or_else(|| h.strip_prefix("bearer "))
                })
                .map(str::trim)
                .ok_or(AppError::Unauthorized)?;
            let (user, is_pat) = state
                .identity
                .user_for_bearer(token)
                .await?
                .ok_or(AppError::Unauthorized)?;
            let via = if is_pat {
                Credential::PersonalAccessToken
            } else {
                Credential::AccessToken
            };
            return Ok(Self::new(user, via));
        }
        let SessionAccount(user) = parts
            .extensions
            .get::<SessionAccount>()
            .cloned()
            .ok_or(AppError::Unauthorized)?;
        Ok(Self::new(user, Credential::Session))
    }
}

impl CurrentUser {
    fn new(user: user::Model, via: Credential) -> Self {
        let actor = Actor::user(user.id, user.is_admin, via);
        Self { user, actor }
    }
}
