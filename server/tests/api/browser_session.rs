//! The browser's way in: server functions with a session cookie, pages, CSRF protection.

use reqwest::header::{LOCATION, ORIGIN, SET_COOKIE};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, TestApp, PASSWORD};

async fn sign_up_in_browser(app: &TestApp) -> reqwest::Response {
    let form = [
        ("name", "Ann Lee"),
        ("email", "ann@example.com"),
        ("password", PASSWORD),
    ];
    app.server_fn("auth/sign_up", &form).await
}

fn assert_redirect(response: &reqwest::Response, to: &str) {
    assert_eq!(response.status(), 302, "a redirect to {to}");
    assert_eq!(response.headers()[LOCATION], to);
}

#[tokio::test]
async fn signing_up_in_the_browser_starts_a_safe_session() {
    let app = spawn_app().await;
    let response = sign_up_in_browser(&app).await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("gosync_session="));
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP cannot use Secure cookies: {cookie}"
    );

    assert_eq!(
        app.me_by_cookie().await.status(),
        200,
        "the cookie authenticates the API"
    );
    let page = app.page("/").await;
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
    assert_eq!(app.server_fn("auth/sign_out", &[]).await.status(), 200);
    assert_error(app.me_by_cookie().await, 401, "unauthenticated").await;
    assert_redirect(&app.page("/").await, "/login");
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_signed_in_ones_skip_it() {
    let app = spawn_app().await;
    assert_redirect(&app.page("/").await, "/login");
    let login = app.page("/login").await;
    assert_eq!(login.status(), 200);
    assert!(login.text().await.unwrap().contains("Sign in"));

    sign_up_in_browser(&app).await;
    assert_redirect(&app.page("/login").await, "/");
    assert_redirect(&app.page("/signup").await, "/");
}

#[tokio::test]
async fn unknown_pages_are_404_pages() {
    let app = spawn_app().await;
    let page = app.page("/no/such/page").await;
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn wrong_password_in_the_browser_gets_the_one_message() {
    let app = spawn_app().await;
    app.signup("ann@example.com", PASSWORD, "Ann").await;
    let form = [
        ("email", "ann@example.com"),
        ("password", "wrong password!"),
    ];
    let response = app.server_fn("auth/sign_in", &form).await;
    assert_eq!(response.status(), 401);
    assert!(
        response.headers().get(SET_COOKIE).is_none(),
        "no session for a failed sign-in"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "invalid_credentials");
    assert_error(app.me_by_cookie().await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn cross_site_writes_with_the_cookie_are_refused() {
    let app = spawn_app().await;
    sign_up_in_browser(&app).await;
    let tokens = app.url("/api/v1/tokens");
    let forged = app
        .client
        .post(&tokens)
        .header(ORIGIN, "https://evil.example");
    assert_error(
        forged
            .json(&json!({"name": "stolen"}))
            .send()
            .await
            .unwrap(),
        403,
        "forbidden",
    )
    .await;
    let forged = app
        .client
        .post(app.url("/api/auth/sign_out"))
        .header("sec-fetch-site", "cross-site");
    assert_eq!(forged.send().await.unwrap().status(), 403);
    assert_eq!(app.me_by_cookie().await.status(), 200, "still signed in");
    assert_eq!(app.count("personal_access_tokens").await, 0);

    let same_site = app.client.post(&tokens).header(ORIGIN, &app.address);
    assert_eq!(
        same_site
            .json(&json!({"name": "mine"}))
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
}

#[tokio::test]
async fn browser_sign_up_shows_field_errors() {
    let app = spawn_app().await;
    let form = [
        ("name", "Ann"),
        ("email", "ann@example.com"),
        ("password", "short"),
    ];
    let response = app.server_fn("auth/sign_up", &form).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "validation");
    assert_eq!(body["field"], "password");
    assert_eq!(app.count("users").await, 0);
}
