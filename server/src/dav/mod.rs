//! WebDAV (class 1 and 2) at `/dav/` (the person's own drive) and `/dav-shared/` (what
//! others share with them), for Finder, Explorer, davfs2 and rclone. An adapter like the REST
//! routes: it translates the protocol and acts only through [`Service`], which asks the
//! policy; locks and dead properties are kept in the database, so any node honours them.
//!
//! Written here rather than over the `dav-server` crate: that crate deletes and copies a
//! folder one file at a time (a deleted folder would reach the trash as hundreds of items),
//! keeps locks behind a path-keyed interface that asks once per listed entry, answers
//! PROPPATCH of `getlastmodified` with 403, and has no place for a PUT's `X-OC-Mtime`.

mod auth;
mod conditions;
mod copymove;
mod ifheader;
mod lock;
mod path;
mod propfind;
mod proppatch;
mod props;
mod reply;
mod resolve;
mod write;
mod xml;

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::any,
    Router,
};

use crate::{entities::user, policy::Actor, service::Service, state::AppState};
use path::DavPath;
use reply::Reply;

/// Every method `OPTIONS` announces.
pub const METHODS: &str =
    "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dav", any(handle))
        .route("/dav/", any(handle))
        .route("/dav/{*path}", any(handle))
        .route("/dav-shared", any(handle))
        .route("/dav-shared/", any(handle))
        .route("/dav-shared/{*path}", any(handle))
}

/// One WebDAV request's person.
pub struct Dav {
    pub service: Service,
    pub actor: Actor,
    pub user: user::Model,
}

async fn handle(State(state): State<AppState>, request: Request) -> Response {
    let method = request.method().clone();
    if method == Method::OPTIONS {
        return options();
    }
    let (user, actor) = match auth::person(&state, request.headers()).await {
        Ok(found) => found,
        Err(reply) => return reply.into_response(),
    };
    let dav = Dav {
        service: state.service.clone(),
        actor,
        user,
    };
    let path = match DavPath::parse(request.uri().path()) {
        Ok(path) => path,
        Err(e) => return Reply::from(e).into_response(),
    };
    let (parts, body) = request.into_parts();
    let result = dispatch(&dav, &method, path, &parts.headers, body).await;
    match result {
        Ok(response) => response,
        Err(reply) => reply.into_response(),
    }
}

async fn dispatch(
    dav: &Dav,
    method: &Method,
    path: DavPath,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, Reply> {
    match method.as_str() {
        "GET" | "HEAD" => write::get(dav, path, headers).await,
        "PUT" => write::put(dav, path, headers, body).await,
        "MKCOL" => write::mkcol(dav, path, headers, body).await,
        "DELETE" => write::delete(dav, path, headers).await,
        "PROPFIND" => propfind::propfind(dav, path, headers, body).await,
        "PROPPATCH" => proppatch::proppatch(dav, path, headers, body).await,
        "COPY" => copymove::copy_or_move(dav, path, headers, false).await,
        "MOVE" => copymove::copy_or_move(dav, path, headers, true).await,
        "LOCK" => lock::lock(dav, path, headers, body).await,
        "UNLOCK" => lock::unlock(dav, path, headers).await,
        _ => Err(Reply::status(
            StatusCode::METHOD_NOT_ALLOWED,
            "WebDAV does not know this method here.",
        )),
    }
}

fn options() -> Response {
    (
        StatusCode::OK,
        [
            ("dav", "1, 2"),
            ("ms-author-via", "DAV"),
            (header::ALLOW.as_str(), METHODS),
            (header::ACCEPT_RANGES.as_str(), "bytes"),
        ],
    )
        .into_response()
}
