//! `/healthz` for load balancers and `/metrics` for Prometheus.

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde_json::json;

use crate::state::AppState;

/// 200 when the database and the blob storage answer, else 503.
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let database = state.db.ping().await.is_ok();
    let storage = state.blobs.ping().await;
    let word = |ok: bool| if ok { "ok" } else { "unavailable" };
    if database && storage {
        (StatusCode::OK, Json(json!({ "status": "ok" })))
    } else {
        tracing::error!(database, storage, "health check failed");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({ "status": "unavailable", "checks": { "database": word(database), "storage": word(storage) } }),
            ),
        )
    }
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(state.started.elapsed()),
    )
}
