//! Accounts made by administrators with an invitation link (used once), the sign-up setting
//! (open, by invitation, closed), and password resets that end every session of the account.

use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::{
    accounts::{admin_call, browser, id_of, me_status},
    helpers::{assert_error, spawn_app, PASSWORD},
};

#[tokio::test]
async fn an_invited_person_chooses_a_password_once_and_sign_up_follows_the_setting() {
    let app = spawn_app().await;
    let (ann, _) = app.user_with_root("ann@example.com").await;
    let (status, made) = admin_call(
        &app,
        &ann,
        Method::POST,
        "/api/v1/admin/users",
        Some(json!({"email": "Carol@Example.com", "name": "Carol", "quota_bytes": 1000})),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["account"]["email"], "carol@example.com");
    assert_eq!(made["account"]["invited"], true);
    let path = made["invitation"].as_str().unwrap().to_owned();
    let token = path.strip_prefix("/welcome/").unwrap().to_owned();
    assert_error(
        app.login("carol@example.com", "").await,
        401,
        "invalid_credentials",
    )
    .await;

    let carol = Client::builder().cookie_store(true).build().unwrap();
    let page = carol.get(app.url(&path)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("carol@example.com"));
    let accept = |password: &'static str| {
        carol
            .post(app.url("/api/auth/accept_invitation"))
            .header("origin", &app.address)
            .header("accept", "application/json")
            .form(&[("token", token.as_str()), ("password", password)])
            .send()
    };
    assert_eq!(
        accept("short").await.unwrap().status(),
        400,
        "a weak password"
    );
    assert_eq!(accept(PASSWORD).await.unwrap().status(), 200);
    assert_eq!(me_status(&app, &carol).await, 200, "signed in");
    assert_eq!(accept(PASSWORD).await.unwrap().status(), 410, "used up");
    assert_eq!(app.login("carol@example.com", PASSWORD).await.status(), 200);

    // Invitation only: no public sign-up, invitations work.
    let (status, _) = admin_call(
        &app,
        &ann,
        Method::PUT,
        "/api/v1/admin/settings",
        Some(json!({"signup_mode": "invite"})),
    )
    .await;
    assert_eq!(status, 200);
    let refused = assert_error(
        app.signup("dan@example.com", PASSWORD, "Dan").await,
        403,
        "forbidden",
    )
    .await;
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("invitation"),
        "{refused}"
    );
    let (_, dan) = admin_call(
        &app,
        &ann,
        Method::POST,
        "/api/v1/admin/users",
        Some(json!({"email": "dan@example.com"})),
    )
    .await;
    let dan_path = dan["invitation"].as_str().unwrap().to_owned();

    // Closed: no invitations either (made ones stop working); a password still makes one.
    let (status, _) = admin_call(
        &app,
        &ann,
        Method::PUT,
        "/api/v1/admin/settings",
        Some(json!({"signup_mode": "closed"})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, settings) = admin_call(&app, &ann, Method::GET, "/api/v1/admin/settings", None).await;
    assert_eq!(settings["signup_mode"], "closed");
    let (status, _) = admin_call(
        &app,
        &ann,
        Method::POST,
        "/api/v1/admin/users",
        Some(json!({"email": "eve@example.com"})),
    )
    .await;
    assert_eq!(
        status, 400,
        "an invitation needs sign-up open or by invitation"
    );
    let page = Client::new().get(app.url(&dan_path)).send().await.unwrap();
    assert_eq!(page.status(), 403);
    let (status, _) = admin_call(
        &app,
        &ann,
        Method::POST,
        "/api/v1/admin/users",
        Some(json!({"email": "eve@example.com", "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(app.login("eve@example.com", PASSWORD).await.status(), 200);
    let (status, _) = admin_call(
        &app,
        &ann,
        Method::POST,
        "/api/v1/admin/users",
        Some(json!({"email": "eve@example.com", "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, 409, "the email is taken");
    let (status, _) = admin_call(
        &app,
        &ann,
        Method::PUT,
        "/api/v1/admin/settings",
        Some(json!({"signup_mode": "maybe"})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        Client::new()
            .get(app.url("/welcome/gs_inv_forged"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn a_password_reset_ends_every_session_of_the_account() {
    let app = spawn_app().await;
    let (ann, _) = app.user_with_root("ann@example.com").await;
    let (bob_access, bob_refresh) = app.signed_in_user("bob@example.com").await;
    let bob_browser = browser(&app, "bob@example.com", PASSWORD).await;
    let bob_id = id_of(&app, &ann, "bob").await;
    let made: Value = app
        .create_token(&bob_access, &json!({"name": "laptop"}))
        .await
        .json()
        .await
        .unwrap();
    let bob_pat = made["token"].as_str().unwrap().to_owned();
    assert_eq!(app.me(&bob_pat).await.status(), 200);
    let path = format!("/api/v1/admin/users/{bob_id}/password");
    let (status, _) = admin_call(
        &app,
        &ann,
        Method::POST,
        &path,
        Some(json!({"password": "short"})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        me_status(&app, &bob_browser).await,
        200,
        "a refused reset changes nothing"
    );
    assert_eq!(app.me(&bob_access).await.status(), 200);
    let (status, reset) = admin_call(
        &app,
        &ann,
        Method::POST,
        &path,
        Some(json!({"password": "a brand new secret"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(reset["personal_tokens_revoked"], 1, "the admin is told");
    assert_eq!(
        app.me(&bob_pat).await.status(),
        401,
        "app passwords end too"
    );
    assert_eq!(me_status(&app, &bob_browser).await, 401);
    assert_eq!(
        app.me(&bob_access).await.status(),
        401,
        "an access token issued before the reset stops at once"
    );
    assert_eq!(app.refresh(&bob_refresh).await.status(), 401);
    assert_eq!(app.login("bob@example.com", PASSWORD).await.status(), 401);
    assert_eq!(
        app.login("bob@example.com", "a brand new secret")
            .await
            .status(),
        200
    );
}
