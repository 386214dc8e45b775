//! While the database does not answer, requests are refused at once with 503 and
//! `Retry-After`, each in the form its caller reads: the API's JSON error, a server function's
//! error, or a page that says so and tries again by itself. A request that failed on the
//! server's side has the database checked, so the first failure is the last slow one.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

use crate::{outage, state::AppState};

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // What needs no database: the probes, the site's files (names with an extension).
    let exempt = matches!(path, "/healthz" | "/readyz")
        || path.starts_with("/pkg/")
        || (path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
            && !path.starts_with("/api/")
            && !path.starts_with("/dav"));
    if exempt {
        return next.run(request).await;
    }
    let caller = Caller::of(path);
    if state.readiness.database_down() {
        return refuse(caller);
    }
    let response = next.run(request).await;
    let failed = matches!(
        response.status(),
        StatusCode::INTERNAL_SERVER_ERROR | StatusCode::SERVICE_UNAVAILABLE
    );
    if failed && !state.readiness.check_database().await {
        return refuse(caller);
    }
    response
}

#[derive(Clone, Copy)]
enum Caller {
    /// The REST API, WebDAV and public-link requests: API.md's JSON error.
    Api,
    /// A Leptos server function: the serialized `AppError` it decodes.
    ServerFn,
    /// A page in a browser.
    Page,
}

impl Caller {
    fn of(path: &str) -> Self {
        let link_api = path.starts_with("/s/") && path.matches('/').count() > 2;
        if path.starts_with("/api/v1/") || path.starts_with("/dav") || link_api {
            Caller::Api
        } else if path.starts_with("/api/") {
            Caller::ServerFn
        } else {
            Caller::Page
        }
    }
}

fn refuse(caller: Caller) -> Response {
    let error = outage::unavailable();
    let mut response = match caller {
        Caller::Api => crate::error::error_response(&error),
        Caller::ServerFn => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&error).unwrap_or_default(),
        )
            .into_response(),
        Caller::Page => (StatusCode::SERVICE_UNAVAILABLE, Html(BUSY_PAGE)).into_response(),
    };
    let retry = HeaderValue::from(outage::RETRY_AFTER_SECS);
    response.headers_mut().insert(header::RETRY_AFTER, retry);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Self-contained (the site's files may not load either, and the CSP allows no inline style);
/// reloads itself every few seconds.
const BUSY_PAGE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="3"><title>Server busy · GoSync</title>
</head>
<body><main><h1>Server busy, retrying…</h1><p>GoSync cannot reach its database for a moment.
Nothing you did was lost. This page tries again by itself every few seconds.</p></main></body></html>"#;
