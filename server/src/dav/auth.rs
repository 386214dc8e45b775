//! HTTP Basic for WebDAV: the account's email and an app password (a personal access token,
//! made and revoked in the drive's settings). The token is checked with one hash and one
//! query, so no password hashing sits on the path of every request.

use app::AppError;
use axum::http::{header, HeaderMap, StatusCode};
use base64::{engine::general_purpose::STANDARD, Engine};

use super::reply::Reply;
use crate::{
    entities::user,
    policy::{Actor, Credential},
    state::AppState,
};

fn unauthorized(message: &str) -> Reply {
    let mut reply = Reply::status(StatusCode::UNAUTHORIZED, message);
    reply.0.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Basic realm=\"GoSync\", charset=\"UTF-8\""),
    );
    reply
}

const HOW: &str =
    "Sign in with your email and an app password (in GoSync: Settings, App passwords).";

/// The person a request's Basic credentials name.
pub async fn person(state: &AppState, headers: &HeaderMap) -> Result<(user::Model, Actor), Reply> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(unauthorized(HOW));
    };
    let (email, secret) = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        })
        .and_then(|b64| STANDARD.decode(b64.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|s| s.split_once(':').map(|(a, b)| (a.to_owned(), b.to_owned())))
        .ok_or_else(|| unauthorized(HOW))?;
    if !secret.starts_with(crate::identity::access_tokens::PREFIX) {
        return Err(unauthorized(
            "Use an app password, not your account password (in GoSync: Settings, App passwords).",
        ));
    }
    let found = state
        .identity
        .user_for_bearer(&secret)
        .await
        .map_err(|e| Reply::from(AppError::from(e)))?;
    match found {
        Some((user, true)) if user.email.eq_ignore_ascii_case(email.trim()) => {
            let actor = Actor::user(user.id, user.is_admin, Credential::PersonalAccessToken);
            Ok((user, actor))
        }
        _ => Err(unauthorized(
            "That email and app password do not match. Make a new app password if you lost it.",
        )),
    }
}
