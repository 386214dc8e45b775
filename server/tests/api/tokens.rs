//! Personal access tokens: shown once, usable as bearer tokens, revocable, private.

use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app};

#[tokio::test]
async fn a_personal_token_is_shown_once_works_and_stops_when_deleted() {
    let app = spawn_app().await;
    let (access, _) = app.signed_in_user("ann@example.com").await;
    let created = app
        .create_token(&access, &json!({"name": "backup script"}))
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let secret = created["token"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("gs_pat_"));

    let me: Value = app.me(&secret).await.json().await.unwrap();
    assert_eq!(me["email"], "ann@example.com");

    let list: Value = app.list_tokens(&access).await.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "backup script");
    assert!(list[0].get("token").is_none(), "the secret is never listed");
    assert!(!list[0]["last_used_at"].is_null(), "use is recorded");

    let id = created["id"].as_str().unwrap();
    assert_eq!(app.delete_token(&access, id).await.status(), 204);
    assert_error(app.me(&secret).await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn tokens_of_other_users_are_invisible() {
    let app = spawn_app().await;
    let (ann, _) = app.signed_in_user("ann@example.com").await;
    let (bob, _) = app.signed_in_user("bob@example.com").await;
    let created: Value = app
        .create_token(&ann, &json!({"name": "ann's"}))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();

    assert_error(app.delete_token(&bob, id).await, 404, "not_found").await;
    let bobs: Value = app.list_tokens(&bob).await.json().await.unwrap();
    assert_eq!(bobs.as_array().unwrap().len(), 0);
    assert_eq!(
        app.me(created["token"].as_str().unwrap()).await.status(),
        200,
        "still works"
    );
}

#[tokio::test]
async fn a_personal_token_cannot_mint_another() {
    let app = spawn_app().await;
    let (access, _) = app.signed_in_user("ann@example.com").await;
    let created: Value = app
        .create_token(&access, &json!({"name": "ci"}))
        .await
        .json()
        .await
        .unwrap();
    let pat = created["token"].as_str().unwrap();
    assert_error(
        app.create_token(pat, &json!({"name": "child"})).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(app.count("personal_access_tokens").await, 1);
}

#[tokio::test]
async fn token_input_is_checked() {
    let app = spawn_app().await;
    let (access, _) = app.signed_in_user("ann@example.com").await;
    let past = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let e = assert_error(
        app.create_token(&access, &json!({"name": "x", "expires_at": past}))
            .await,
        400,
        "validation",
    )
    .await;
    assert_eq!(e["error"]["field"], "expires_at");
    let e = assert_error(
        app.create_token(&access, &json!({"name": " "})).await,
        400,
        "validation",
    )
    .await;
    assert_eq!(e["error"]["field"], "name");
    assert_error(
        app.create_token(&access, &json!({"name": "x", "expires_at": "tomorrow"}))
            .await,
        400,
        "validation",
    )
    .await;
    assert_error(
        app.delete_token(&access, "not-a-uuid").await,
        400,
        "validation",
    )
    .await;
    assert_error(
        app.delete_token(&access, &uuid::Uuid::new_v4().to_string())
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.count("personal_access_tokens").await, 0);
}

#[tokio::test]
async fn an_expiring_token_stops_at_its_expiry_and_a_disabled_users_token_is_refused() {
    let app = spawn_app().await;
    let (access, _) = app.signed_in_user("ann@example.com").await;
    let soon = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let created: Value = app
        .create_token(&access, &json!({"name": "x", "expires_at": soon}))
        .await
        .json()
        .await
        .unwrap();
    let pat = created["token"].as_str().unwrap();
    assert_eq!(app.me(pat).await.status(), 200);
    app.exec("UPDATE personal_access_tokens SET expires_at = '2020-01-01T00:00:00Z'")
        .await;
    assert_error(app.me(pat).await, 401, "unauthenticated").await;

    let fresh: Value = app
        .create_token(&access, &json!({"name": "y"}))
        .await
        .json()
        .await
        .unwrap();
    let pat = fresh["token"].as_str().unwrap();
    app.exec("UPDATE users SET disabled = TRUE").await;
    assert_error(app.me(pat).await, 401, "unauthenticated").await;
}
