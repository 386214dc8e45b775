//! Sends people to the right page before anything renders: signed-out visitors of private pages
//! to /login, signed-in visitors of /login and /signup to their files.

use app::{
    pages::{page_access, PageAccess},
    services::SESSION_USER_KEY,
};
use axum::{
    extract::{Request, State},
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_sessions::Session;
use uuid::Uuid;

use crate::state::AppState;

pub async fn guard_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let access = page_access(path);
    if request.method() != Method::GET || access == PageAccess::Public {
        return next.run(request).await;
    }
    let signed_in = match request.extensions().get::<Session>() {
        Some(session) => match session.get::<Uuid>(SESSION_USER_KEY).await {
            Ok(Some(id)) => matches!(state.identity.active(id).await, Ok(Some(_))),
            _ => false,
        },
        None => false,
    };
    match (access, signed_in) {
        (PageAccess::SignedIn, false) => found("/login"),
        (PageAccess::SignedOut, true) => found("/"),
        _ => next.run(request).await,
    }
}

fn found(location: &'static str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}
