//! Sends people to the right page before anything renders: signed-out visitors of private pages
//! to /login, signed-in visitors of /login and /signup to their files.

use app::pages::{page_access, PageAccess};
use axum::{
    extract::Request,
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::session_user::SessionAccount;

/// Runs inside `session_user::check`, which found the session's account (if any).
pub async fn guard_pages(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let access = page_access(path);
    if request.method() != Method::GET || access == PageAccess::Public {
        return next.run(request).await;
    }
    let signed_in = request.extensions().get::<SessionAccount>().is_some();
    match (access, signed_in) {
        (PageAccess::SignedIn, false) => found("/login"),
        (PageAccess::SignedOut, true) => found("/"),
        _ => next.run(request).await,
    }
}

fn found(location: &'static str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}
