//! The browser's way in: server functions with a session cookie, pages, CSRF protection.

use reqwest::header::{LOCATION, ORIGIN, SET_COOKIE};
use serde_json::json;

use crate::helpers::{assert_error, spawn_app, PASSWORD};

async fn sign_up_in_browser(app: &crate::helpers::TestApp) -> reqwest::Response {
    app.client
        .post(app.url("/api/auth/sign_up"))
        .header(ORIGIN, &app.address)
        .header("accept", "application/json")
        .form(&[
            ("name", "Ann Lee"),
            ("email", "ann@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn signing_up_in_the_browser_starts_a_safe_session() {
    let app = spawn_app().await;
    let response = sign_up_in_browser(&app).await;
    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get(SET_COOKIE)
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("gosync_session="));
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP cannot use Secure cookies: {cookie}"
    );

    let me = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(me.status(), 200, "the cookie authenticates the API");
    let page = app
        .client
        .get(app.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("My files") && html.contains("Ann Lee"),
        "the drive shell shows the user"
    );
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = spawn_app().await;
    sign_up_in_browser(&app).await;
    let out = app
        .client
        .post(app.url("/api/auth/sign_out"))
        .header(ORIGIN, &app.address)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 200);
    assert_error(
        app.client.get(app.url("/api/v1/me")).send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;
    let page = app
        .client
        .get(app.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 302);
    assert_eq!(page.headers()[LOCATION], "/login");
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_signed_in_ones_skip_it() {
    let app = spawn_app().await;
    let page = app
        .client
        .get(app.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 302);
    assert_eq!(page.headers()[LOCATION], "/login");
    let login = app
        .client
        .get(app.url("/login"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    assert!(login.text().await.unwrap().contains("Sign in"));

    sign_up_in_browser(&app).await;
    let login = app
        .client
        .get(app.url("/login"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 302);
    assert_eq!(login.headers()[LOCATION], "/");
}

#[tokio::test]
async fn wrong_password_in_the_browser_gets_the_one_message() {
    let app = spawn_app().await;
    app.signup("ann@example.com", PASSWORD, "Ann").await;
    let response = app
        .client
        .post(app.url("/api/auth/sign_in"))
        .header(ORIGIN, &app.address)
        .header("accept", "application/json")
        .form(&[
            ("email", "ann@example.com"),
            ("password", "wrong password!"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        response.headers().get(SET_COOKIE).is_none(),
        "no session for a failed sign-in"
    );
    let body = response.text().await.unwrap();
    assert!(body.contains("invalid_credentials"), "{body}");
    assert_error(
        app.client.get(app.url("/api/v1/me")).send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn cross_site_writes_with_the_cookie_are_refused() {
    let app = spawn_app().await;
    sign_up_in_browser(&app).await;
    let forged = app
        .client
        .post(app.url("/api/v1/tokens"))
        .header(ORIGIN, "https://evil.example")
        .json(&json!({"name": "stolen"}))
        .send()
        .await
        .unwrap();
    assert_error(forged, 403, "forbidden").await;
    let forged = app
        .client
        .post(app.url("/api/auth/sign_out"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(
        app.client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "still signed in"
    );
    assert_eq!(app.count("personal_access_tokens").await, 0);

    let same_site = app
        .client
        .post(app.url("/api/v1/tokens"))
        .header(ORIGIN, &app.address)
        .json(&json!({"name": "mine"}))
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.status(), 201);
}

#[tokio::test]
async fn browser_sign_up_shows_field_errors() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/sign_up"))
        .header(ORIGIN, &app.address)
        .header("accept", "application/json")
        .form(&[
            ("name", "Ann"),
            ("email", "ann@example.com"),
            ("password", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["code"], "validation");
    assert_eq!(body["field"], "password");
    assert_eq!(app.count("users").await, 0);
}
