//! The HTTP API under /api/v1, plus /healthz and /metrics. Handlers are thin: parse, ask the
//! policy, call one service, map to a DTO.

pub mod admin;
pub mod auth;
pub mod changes;
pub mod content;
pub mod download;
pub mod events;
pub mod health;
pub mod link_uploads;
pub mod links;
pub mod marks;
pub mod me;
pub mod nodes;
pub mod openapi;
pub mod previews;
pub mod public_link;
pub mod ranges;
pub mod search;
pub mod selection;
pub mod shares;
pub mod tokens;
pub mod trash;
pub mod tus;
pub mod upload_batch;
pub mod versions;

use app::AppError;
use axum::{
    extract::DefaultBodyLimit,
    routing::{any, delete, get, patch, post, put},
    Router,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use uuid::Uuid;

use crate::{error::ApiError, state::AppState};

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/auth/signup", post(auth::signup))
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(me::get))
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}", delete(tokens::delete))
        .route("/folders", post(nodes::create_folder))
        .route(
            "/nodes/{id}",
            get(nodes::get).patch(nodes::update).delete(trash::delete),
        )
        .route("/trash", get(trash::list).delete(trash::empty))
        .route("/trash/{id}", delete(trash::purge))
        .route("/trash/{id}/restore", post(trash::restore))
        .route("/nodes/{id}/children", get(nodes::children))
        .route("/nodes/{id}/copy", post(nodes::copy))
        .route("/nodes/{id}/star", put(marks::star).delete(marks::unstar))
        .route("/starred", get(marks::starred))
        .route("/recent", get(marks::recent))
        .route("/events", get(events::events))
        .route("/changes", get(changes::changes))
        .route("/changes/latest", get(changes::latest))
        .route("/nodes/{id}/content", get(download::get).put(content::put))
        .route("/nodes/{id}/versions", get(versions::list))
        .route("/nodes/{id}/thumbnail", get(previews::thumbnail))
        .route("/nodes/{id}/pages/{n}", get(previews::page))
        .route("/zip", get(selection::get))
        .route("/nodes/{id}/shares", get(shares::list).post(shares::create))
        .route("/shares/{id}", patch(shares::update).delete(shares::delete))
        .route("/shared-with-me", get(shares::shared_with_me))
        .route("/search", get(search::search))
        .route("/nodes/{id}/links", get(links::list).post(links::create))
        .route("/links/{id}", delete(links::delete))
        .route("/nodes/{id}/versions/{n}/restore", post(versions::restore))
        .route("/uploads", post(tus::create).options(tus::options))
        .route(
            "/uploads/batch",
            post(upload_batch::upload_batch).layer(DefaultBodyLimit::max(upload_batch::BODY_LIMIT)),
        )
        .route(
            "/uploads/{id}",
            axum::routing::head(tus::head)
                .patch(tus::patch)
                .delete(tus::terminate)
                .options(tus::options),
        )
        .route("/admin/stats", get(admin::stats))
        .route("/admin/health", get(admin::health))
        .route("/admin/storage", get(admin::storage))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{id}", patch(admin::update_user))
        .route("/admin/users/{id}/password", post(admin::set_password))
        .route("/admin/users/{id}/invitation", post(admin::invite_again))
        .route(
            "/admin/settings",
            get(admin::settings).put(admin::put_settings),
        )
        .route("/admin/jobs", get(admin::jobs))
        .route("/admin/jobs/{id}/retry", post(admin::retry_job))
        .route("/admin/activity", get(admin::activity))
        .route("/openapi.json", get(openapi::get))
        // Also claims unknown /api/v1 paths from the server-function route at /api/{*fn_name}.
        .route("/{*rest}", any(not_found))
}

pub fn service_router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        // What a public link's holder reaches (its page, /s/{token}, is the app's).
        .route("/s/{token}/content", get(public_link::content))
        .route("/s/{token}/unlock", post(public_link::unlock))
        .route("/s/{token}/thumbnail", get(public_link::thumbnail))
        .route("/s/{token}/pages/{n}", get(public_link::page))
        .route("/s/{token}/uploads", post(link_uploads::create))
        .route(
            "/s/{token}/uploads/{id}",
            axum::routing::head(link_uploads::head)
                .patch(link_uploads::patch)
                .delete(link_uploads::terminate),
        )
}

async fn not_found() -> ApiError {
    ApiError(AppError::NotFound)
}

/// A path id: anything but a UUID is a validation error, not a server error.
pub fn parse_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError(AppError::validation("id", "This id is not valid.")))
}

/// Offset pagination behind an opaque cursor: `limit` 1 to 1000 (default 100).
pub struct PageWindow {
    pub limit: u64,
    pub offset: u64,
}

impl PageWindow {
    pub fn new(limit: Option<u64>, cursor: Option<&str>) -> Result<Self, ApiError> {
        let limit = limit.unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            return Err(ApiError(AppError::validation(
                "limit",
                "The limit is between 1 and 1000.",
            )));
        }
        let offset = match cursor {
            Some(cursor) => decode_cursor(cursor)?,
            None => 0,
        };
        Ok(Self { limit, offset })
    }

    /// The cursor of the page after this one, when there is one.
    pub fn next(&self, more: bool) -> Option<String> {
        more.then(|| URL_SAFE_NO_PAD.encode(format!("o:{}", self.offset + self.limit)))
    }
}

fn decode_cursor(cursor: &str) -> Result<u64, ApiError> {
    let invalid = || {
        ApiError(AppError::validation(
            "cursor",
            "This cursor is not valid; start again without one.",
        ))
    };
    let raw = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(raw).map_err(|_| invalid())?;
    text.strip_prefix("o:")
        .and_then(|n| n.parse().ok())
        .ok_or_else(invalid)
}
