//! Server-side helpers for the auth server functions: the session and the request context.

use leptos::prelude::*;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    error::AppError,
    services::{ClientIp, Services, SessionUser, SESSION_USER_KEY},
};

pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or(AppError::Internal)
}

pub fn client_ip() -> Option<std::net::IpAddr> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientIp>().map(|ip| ip.0))
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|_| AppError::Internal)
}

/// The signed-in user's id. The server has already ended a session whose account was
/// disabled or whose password an administrator reset (an unreadable one counts as none).
pub async fn user_id() -> Result<Option<Uuid>, AppError> {
    Ok(session()
        .await?
        .get::<SessionUser>(SESSION_USER_KEY)
        .await
        .ok()
        .flatten()
        .map(|user| user.id))
}

/// The public links whose password this browser gave.
pub async fn unlocked_links() -> Result<Vec<Uuid>, AppError> {
    Ok(crate::services::unlocked_links(&session().await?).await)
}

/// Remembers that this browser gave link `id`'s password.
pub async fn remember_link(id: Uuid) -> Result<(), AppError> {
    crate::services::remember_unlocked(&session().await?, id).await
}

/// Sets the page's HTTP status to the error's (a page for a gone link answers 410).
pub fn page_status(error: &AppError) {
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(error.status()),
    ) {
        response.set_status(status);
    }
}

/// A new session id on every sign-in, so a planted session id is worthless.
pub async fn start(user: SessionUser) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(|_| AppError::Internal)?;
    session
        .insert(SESSION_USER_KEY, user)
        .await
        .map_err(|_| AppError::Internal)
}

pub async fn end() -> Result<(), AppError> {
    session()
        .await?
        .flush()
        .await
        .map_err(|_| AppError::Internal)
}

/// Gives a failed server-function call the HTTP status of its error (a 400 is a mistake in
/// the form, not a server failure). Plain form posts (no WASM yet) keep Leptos' redirect back.
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        let plain_form = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        });
        if let (false, Some(response)) = (plain_form, use_context::<leptos_axum::ResponseOptions>())
        {
            if let Ok(status) = http::StatusCode::from_u16(error.status()) {
                response.set_status(status);
            }
        }
    }
    result
}
