//! `/healthz` (alive) and `/readyz` (ready for traffic) for load balancers and orchestrators,
//! and `/metrics` for Prometheus.

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde_json::json;

use crate::state::AppState;

/// Liveness: 200 while the process serves requests at all (restart it when this fails).
pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, Json(json!({ "status": "ok" })))
}

/// Readiness: 200 when this node should get traffic: the database and the blob storage
/// answer and it is not draining (stopping); else 503 with what is wrong.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let draining = state.readiness.draining();
    let (database, storage) = state.service.ready().await;
    let word = |ok: bool| if ok { "ok" } else { "unavailable" };
    if database && storage && !draining {
        return (StatusCode::OK, Json(json!({ "status": "ok" })));
    }
    if !draining {
        tracing::error!(database, storage, "readiness check failed");
    }
    let status = if draining { "draining" } else { "unavailable" };
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({
            "status": status,
            "checks": { "database": word(database), "storage": word(storage) }
        })),
    )
}

pub async fn metrics(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    // Not public: only for the scraper holding the configured token (compared in constant
    // time); without one configured, there is nothing here.
    let Some(expected) = &state.settings.metrics_token else {
        return crate::error::ApiError(app::AppError::NotFound).into_response();
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let same = given.len() == expected.expose().len()
        && given
            .bytes()
            .zip(expected.expose().bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        let mut refused = crate::error::ApiError(app::AppError::Unauthorized).into_response();
        refused.headers_mut().insert(
            axum::http::header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer realm=\"metrics\""),
        );
        return refused;
    }
    let mut text = state.metrics.render(state.started.elapsed());
    let figures = state.service.figures().await;
    // The queue as the database has it (every node reports the same numbers).
    if let Some(counts) = figures.jobs {
        text.push_str("# HELP gosync_jobs Background jobs (previews) by state.\n");
        text.push_str("# TYPE gosync_jobs gauge\n");
        for (state, n) in counts {
            text.push_str(&format!("gosync_jobs{{state=\"{state}\"}} {n}\n"));
        }
    }
    if let Some(lag) = figures.index_lag {
        text.push_str("# HELP gosync_search_index_lag Changes this server's search index has not applied yet.\n");
        text.push_str("# TYPE gosync_search_index_lag gauge\n");
        text.push_str(&format!("gosync_search_index_lag {lag}\n"));
        text.push_str("# HELP gosync_search_documents Items in this server's search index.\n");
        text.push_str("# TYPE gosync_search_documents gauge\n");
        text.push_str(&format!(
            "gosync_search_documents {}\n",
            figures.index_documents
        ));
    }
    text.push_str("# HELP gosync_live_listeners Live-update streams open on this server.\n");
    text.push_str("# TYPE gosync_live_listeners gauge\n");
    text.push_str(&format!(
        "gosync_live_listeners {}\n",
        figures.live_listeners
    ));
    text.push_str("# HELP gosync_pdf_pages_rendered_total PDF pages rendered for the viewer by this server.\n");
    text.push_str("# TYPE gosync_pdf_pages_rendered_total counter\n");
    text.push_str(&format!(
        "gosync_pdf_pages_rendered_total {}\n",
        figures.pages_rendered
    ));
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}
