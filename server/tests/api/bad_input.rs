//! Malformed requests get a clear JSON error and change nothing.

use serde_json::json;

use crate::helpers::{assert_error, spawn_app, spawn_app_with, PASSWORD};

#[tokio::test]
async fn malformed_json_wrong_types_and_missing_fields_are_400s_that_say_why() {
    let app = spawn_app().await;
    let url = app.url("/api/v1/auth/signup");
    let raw = |body: &'static str| {
        app.client
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_error(raw("{\"email\": ").await.unwrap(), 400, "validation").await;
    let e = assert_error(
        raw(r#"{"email": 5, "password": "x", "name": "y"}"#)
            .await
            .unwrap(),
        400,
        "validation",
    )
    .await;
    assert_eq!(e["error"]["field"], "email");
    let e = assert_error(
        raw(r#"{"password": "correct horse battery", "name": "y"}"#)
            .await
            .unwrap(),
        400,
        "validation",
    )
    .await;
    assert_eq!(e["error"]["field"], "email");
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("missing field"));
    assert_error(raw("[]").await.unwrap(), 400, "validation").await;
    let no_type = app
        .client
        .post(&url)
        .body(r#"{"email":"a@b.co"}"#)
        .send()
        .await
        .unwrap();
    assert_error(no_type, 400, "validation").await;
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let app = spawn_app_with(|s| s.limits.json_body_bytes = 4096).await;
    let body =
        json!({"email": "ann@example.com", "password": PASSWORD, "name": "x".repeat(10_000)});
    assert_error(
        app.post_json("/api/v1/auth/signup", &body).await,
        413,
        "too_large",
    )
    .await;
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_and_errors_leak_nothing() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/v1/no/such/thing"))
        .send()
        .await
        .unwrap();
    assert_error(response, 404, "not_found").await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": \"\\u0000\", \"password\": 1}")
        .send()
        .await
        .unwrap();
    let body = assert_error(response, 400, "validation").await.to_string();
    for internal in ["sqlx", "sea_orm", "panicked", "src/"] {
        assert!(!body.contains(internal), "{body} leaks {internal}");
    }
}

#[tokio::test]
async fn hostile_strings_are_stored_as_text_and_returned_escaped() {
    let app = spawn_app().await;
    let name = "<script>alert(1)</script> Robert'); DROP TABLE users;--";
    let response = app.signup("ann@example.com", PASSWORD, name).await;
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["name"], name);
    assert_eq!(app.count("users").await, 1);
}
