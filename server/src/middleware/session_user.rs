//! The browser session's account, checked once per request: a session whose account is
//! gone, disabled, or signed out by an administrator (its generation moved on) is ended here,
//! before any handler, page or server function reads it. The account found is passed on as
//! [`SessionAccount`].

use app::services::{SessionUser, SESSION_USER_KEY};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use tower_sessions::Session;

use crate::{entities::user, state::AppState};

/// The signed-in account of this request's browser session.
#[derive(Clone)]
pub struct SessionAccount(pub user::Model);

pub async fn check(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    if let (Some(session), true) = (session, needs_account(request.uri().path())) {
        match session.get::<SessionUser>(SESSION_USER_KEY).await {
            Ok(None) => {}
            Ok(Some(signed_in)) => match state.identity.active(signed_in.id).await {
                Ok(Some(account)) if account.session_generation == signed_in.generation => {
                    request.extensions_mut().insert(SessionAccount(account));
                }
                Ok(_) => end(&session).await,
                // The database did not answer: the request goes on signed out (and fails
                // wherever it needs an account) but the session stays for the next one.
                Err(e) => tracing::warn!(error = %e, "cannot check the session's account"),
            },
            // The session store (the database) did not answer: the session is kept, and the
            // request is refused for now (503, try again) rather than run signed out.
            Err(tower_sessions::session::Error::Store(e)) => {
                tracing::warn!(error = %e, "cannot read the session");
                return crate::error::error_response(&crate::outage::unavailable());
            }
            // Unreadable (a format from before an upgrade): as if signed out.
            Err(_) => end(&session).await,
        }
    }
    next.run(request).await
}

async fn end(session: &Session) {
    if let Err(e) = session.flush().await {
        tracing::warn!(error = %e, "cannot end a session");
    }
}

/// Static files (the site's bundle and the top-level files like /favicon.svg) need no account.
fn needs_account(path: &str) -> bool {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    first != "pkg" && !first.contains('.')
}
