//! Health, metrics, the OpenAPI document, security headers, request ids, graceful shutdown.

use serde_json::Value;

use crate::helpers::{spawn_app, PASSWORD};

#[tokio::test]
async fn healthz_answers_ok_when_the_database_answers() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = spawn_app().await;
    app.login("nobody@example.com", PASSWORD).await;
    app.client.get(app.url("/healthz")).send().await.unwrap();
    let unscraped = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(unscraped.status(), 401, "not public");
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("guess")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let text = app.metrics().await;
    assert!(
        text.contains(
            r#"gosync_http_requests_total{method="POST",route="/api/v1/auth/login",status="401"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"gosync_http_request_duration_seconds_count{route="/healthz"} 1"#),
        "{text}"
    );
}

#[tokio::test]
async fn the_openapi_document_covers_every_api_route() {
    let app = spawn_app().await;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for (path, method) in [
        ("/api/v1/auth/signup", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/tokens", "get"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens/{id}", "delete"),
        ("/api/v1/folders", "post"),
        ("/api/v1/nodes/{id}", "get"),
        ("/api/v1/nodes/{id}", "patch"),
        ("/api/v1/nodes/{id}/children", "get"),
        ("/api/v1/nodes/{id}/copy", "post"),
        ("/api/v1/nodes/{id}/content", "get"),
        ("/api/v1/nodes/{id}/content", "put"),
        ("/api/v1/uploads", "post"),
        ("/api/v1/nodes/{id}/versions", "get"),
        ("/api/v1/nodes/{id}/versions/{n}/restore", "post"),
        ("/api/v1/uploads/{id}", "patch"),
        ("/api/v1/uploads/{id}", "head"),
        ("/api/v1/trash", "get"),
        ("/api/v1/trash/{id}/restore", "post"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is documented"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    for path in ["/healthz", "/login", "/api/v1/me"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let h = response.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
        assert!(h.contains_key("x-request-id"), "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(
            !h.contains_key("strict-transport-security"),
            "no HSTS over plain HTTP"
        );
    }
    let page = app.client.get(app.url("/login")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a nonce")
        .to_owned();
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry this response's nonce"
    );
}

#[tokio::test]
async fn shutting_down_stops_the_server_cleanly() {
    let mut app = spawn_app().await;
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.shut_down().await.expect("a clean stop");
    assert!(
        reqwest::get(app.url("/healthz")).await.is_err(),
        "nothing listens any more"
    );
}

#[tokio::test]
async fn pages_and_json_are_compressed_for_clients_that_ask() {
    let app = spawn_app().await;
    let raw = reqwest::Client::new();
    let page = raw
        .get(app.url("/login"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["content-encoding"], "gzip");
    let plain = raw.get(app.url("/login")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(plain.text().await.unwrap().contains("Sign in"));
}
