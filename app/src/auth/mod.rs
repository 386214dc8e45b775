//! Sign-up, sign-in and sign-out as server functions. They are public endpoints: each checks
//! its input through the identity service and keeps the browser session in step.

#[cfg(feature = "ssr")]
pub(crate) mod session;

use leptos::prelude::*;

use crate::{
    dto::{InvitationDto, SignupMode, UserDto},
    error::AppError,
};

/// The signed-in user, loaded once per page (sign-in and sign-out reload the page).
pub type UserResource = Resource<Result<Option<UserDto>, AppError>>;

#[server(endpoint = "auth/current_user")]
pub async fn current_user() -> Result<Option<UserDto>, AppError> {
    let services = session::services()?;
    let Some(id) = session::user_id().await? else {
        return Ok(None);
    };
    services.identity.active_user(id).await
}

#[server(endpoint = "auth/sign_up")]
pub async fn sign_up(name: String, email: String, password: String) -> Result<UserDto, AppError> {
    session::with_status(
        async {
            let services = session::services()?;
            let input = crate::dto::SignUpInput {
                name,
                email,
                password,
            };
            let (user, signed_in) = services
                .identity
                .sign_up(input, session::client_ip())
                .await?;
            session::start(signed_in).await?;
            Ok(user)
        }
        .await,
    )
}

#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<UserDto, AppError> {
    session::with_status(
        async {
            let services = session::services()?;
            let (user, signed_in) = services
                .identity
                .sign_in(&email, &password, session::client_ip())
                .await?;
            session::start(signed_in).await?;
            Ok(user)
        }
        .await,
    )
}

/// Who may make an account here, for the sign-up page.
#[server(endpoint = "auth/signup_mode")]
pub async fn who_may_sign_up() -> Result<SignupMode, AppError> {
    session::services()?.identity.signup_mode().await
}

/// The account an invitation link is for.
#[server(endpoint = "auth/invitation")]
pub async fn invitation(token: String) -> Result<InvitationDto, AppError> {
    let result = session::services()?.identity.invitation(token).await;
    if let Err(e) = &result {
        session::page_status(e); // the welcome page of a used link answers 410
    }
    result
}

/// Chooses the invited account's password and signs its person in.
#[server(endpoint = "auth/accept_invitation")]
pub async fn accept_invitation(token: String, password: String) -> Result<UserDto, AppError> {
    session::with_status(
        async {
            let services = session::services()?;
            let (user, signed_in) = services
                .identity
                .accept_invitation(token, password, session::client_ip())
                .await?;
            session::start(signed_in).await?;
            Ok(user)
        }
        .await,
    )
}

#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    session::end().await
}

/// Loads a new page so that everything on it reflects the new session.
pub fn reload_at(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
