//! Server-side helpers for the auth server functions: the session and the request context.

use leptos::prelude::*;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    error::AppError,
    services::{ClientIp, Services, SESSION_USER_KEY},
};

pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or(AppError::Internal)
}

pub fn client_ip() -> Option<std::net::IpAddr> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientIp>().map(|ip| ip.0))
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|_| AppError::Internal)
}

pub async fn user_id() -> Result<Option<Uuid>, AppError> {
    session().await?.get::<Uuid>(SESSION_USER_KEY).await.map_err(|_| AppError::Internal)
}

/// A new session id on every sign-in, so a planted session id is worthless.
pub async fn start(user: Uuid) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(|_| AppError::Internal)?;
    session.insert(SESSION_USER_KEY, user).await.map_err(|_| AppError::Internal)
}

pub async fn end() -> Result<(), AppError> {
    session().await?.flush().await.map_err(|_| AppError::Internal)
}
