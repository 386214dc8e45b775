//! The HTTP API under /api/v1, plus /healthz and /metrics. Handlers are thin: parse, ask the
//! policy, call one service, map to a DTO.

pub mod auth;
pub mod health;
pub mod me;
pub mod nodes;
pub mod openapi;
pub mod tokens;

use app::AppError;
use axum::{
    routing::{any, delete, get, post},
    Router,
};
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
        .route("/nodes/{id}", get(nodes::get).patch(nodes::update))
        .route("/nodes/{id}/children", get(nodes::children))
        .route("/openapi.json", get(openapi::get))
        // Also claims unknown /api/v1 paths from the server-function route at /api/{*fn_name}.
        .route("/{*rest}", any(not_found))
}

pub fn service_router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
}

async fn not_found() -> ApiError {
    ApiError(AppError::NotFound)
}

/// A path id: anything but a UUID is a validation error, not a server error.
pub fn parse_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError(AppError::validation("id", "This id is not valid.")))
}
