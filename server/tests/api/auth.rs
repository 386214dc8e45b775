//! Sign-up, sign-in, refresh and sign-out over the JSON API.

use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, spawn_app_with, PASSWORD};

#[tokio::test]
async fn the_first_account_is_admin_and_later_ones_are_not() {
    let app = spawn_app().await;
    let first = app.signup("Ann@Example.COM ", PASSWORD, "Ann").await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["email"], "ann@example.com", "email is normalised");
    assert_eq!(first["is_admin"], true);
    assert!(first.get("password_hash").is_none());

    let second: Value = app
        .signup("bob@example.com", PASSWORD, "Bob")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["is_admin"], false);
}

#[tokio::test]
async fn sign_in_gives_tokens_that_open_me() {
    let app = spawn_app().await;
    app.signup("ann@example.com", PASSWORD, "Ann Lee").await;
    let response = app.login("ANN@example.com", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900, "access tokens live 15 minutes");
    let me = app.me(body["access_token"].as_str().unwrap()).await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["email"], "ann@example.com");
    assert_eq!(me["name"], "Ann Lee");
    assert_eq!(me["quota_bytes"], Value::Null);
    assert_eq!(me["used_bytes"], 0);
}

#[tokio::test]
async fn sign_in_failure_is_one_message_whether_or_not_the_account_exists() {
    let app = spawn_app().await;
    app.signup("ann@example.com", PASSWORD, "Ann").await;
    let wrong_password = assert_error(
        app.login("ann@example.com", "wrong password!").await,
        401,
        "invalid_credentials",
    )
    .await;
    let no_account = assert_error(
        app.login("nobody@example.com", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(wrong_password, no_account);
}

#[tokio::test]
async fn sign_up_rules_are_enforced_and_name_their_field() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"email": "not-an-email", "password": PASSWORD, "name": "Ann"}),
            "email",
        ),
        (
            json!({"email": "ann@example.com", "password": "short", "name": "Ann"}),
            "password",
        ),
        (
            json!({"email": "ann@example.com", "password": "ann@example.com", "name": "Ann"}),
            "password",
        ),
        (
            json!({"email": "ann@example.com", "password": PASSWORD, "name": "  "}),
            "name",
        ),
        (
            json!({"email": "ann@example.com", "password": PASSWORD, "name": "x".repeat(500)}),
            "name",
        ),
        (
            json!({"email": format!("{}@example.com", "a".repeat(300)), "password": PASSWORD, "name": "Ann"}),
            "email",
        ),
        (
            json!({"email": "ann@example.com", "password": "p".repeat(5000), "name": "Ann"}),
            "password",
        ),
    ];
    for (body, field) in cases {
        let error = assert_error(
            app.post_json("/api/v1/auth/signup", &body).await,
            400,
            "validation",
        )
        .await;
        assert_eq!(error["error"]["field"], field, "for {body}");
    }
    assert_eq!(app.count("users").await, 0, "nothing was created");
}

#[tokio::test]
async fn an_email_can_have_only_one_account() {
    let app = spawn_app().await;
    assert_eq!(
        app.signup("ann@example.com", PASSWORD, "Ann")
            .await
            .status(),
        201
    );
    let error = assert_error(
        app.signup("ANN@example.com", PASSWORD, "Ann 2").await,
        409,
        "conflict",
    )
    .await;
    assert_eq!(error["error"]["field"], "email");
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_its_family() {
    let app = spawn_app().await;
    let (_, first_refresh) = app.signed_in_user("ann@example.com").await;

    let second: Value = app.refresh(&first_refresh).await.json().await.unwrap();
    let second_refresh = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(
        app.me(second["access_token"].as_str().unwrap())
            .await
            .status(),
        200
    );

    // The old token is spent: using it again looks like theft, so the whole family dies.
    assert_error(app.refresh(&first_refresh).await, 401, "unauthenticated").await;
    assert_error(app.refresh(&second_refresh).await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn logout_revokes_the_refresh_token() {
    let app = spawn_app().await;
    let (_, refresh) = app.signed_in_user("ann@example.com").await;
    assert_eq!(app.logout(&refresh).await.status(), 204);
    assert_error(app.refresh(&refresh).await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn forged_expired_and_unsigned_access_tokens_are_refused() {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    let app = spawn_app().await;
    let (access, _) = app.signed_in_user("ann@example.com").await;
    let parts: Vec<&str> = access.split('.').collect();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();

    // alg: none, same claims, no signature.
    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let unsigned = format!("{none_header}.{}.", parts[1]);
    // A signature made with another key.
    let forged = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"guessed secret"),
    )
    .unwrap();
    // The server's own key (read from its database), but expired an hour ago.
    let secret: String = {
        use sea_orm::{ConnectionTrait, Statement};
        let row = app
            .db
            .query_one(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT value FROM settings WHERE key = 'jwt_secret'",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "value").unwrap()
    };
    let key = URL_SAFE_NO_PAD.decode(secret).unwrap();
    let mut old = claims.clone();
    old["exp"] = json!(chrono::Utc::now().timestamp() - 3600);
    let expired = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &old,
        &jsonwebtoken::EncodingKey::from_secret(&key),
    )
    .unwrap();
    let valid_again = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(&key),
    )
    .unwrap();

    for token in [
        unsigned.as_str(),
        forged.as_str(),
        expired.as_str(),
        "garbage",
        "",
    ] {
        assert_error(app.me(token).await, 401, "unauthenticated").await;
    }
    assert_eq!(
        app.me(&valid_again).await.status(),
        200,
        "the key check itself works"
    );
    let no_scheme = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", access)
        .send()
        .await
        .unwrap();
    assert_error(no_scheme, 401, "unauthenticated").await;
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_or_use_its_tokens() {
    let app = spawn_app().await;
    let (access, refresh) = app.signed_in_user("ann@example.com").await;
    app.exec("UPDATE users SET disabled = TRUE WHERE email = 'ann@example.com'")
        .await;
    assert_error(app.me(&access).await, 401, "unauthenticated").await;
    assert_error(app.refresh(&refresh).await, 401, "unauthenticated").await;
    assert_error(
        app.login("ann@example.com", PASSWORD).await,
        403,
        "account_disabled",
    )
    .await;
    // Without the right password, a disabled account looks like any other failure.
    assert_error(
        app.login("ann@example.com", "wrong password!").await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_account() {
    let app = spawn_app_with(|s| s.limits.login_per_account = 3).await;
    app.signup("ann@example.com", PASSWORD, "Ann").await;
    for _ in 0..3 {
        assert_eq!(
            app.login("ann@example.com", "wrong password!")
                .await
                .status(),
            401
        );
    }
    let limited = app.login("ann@example.com", PASSWORD).await;
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=300).contains(&retry_after));
    assert_error(limited, 429, "rate_limited").await;
    // Another account from the same address is not affected.
    app.signup("bob@example.com", PASSWORD, "Bob").await;
    assert_eq!(app.login("bob@example.com", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn sign_in_and_sign_up_are_rate_limited_per_ip() {
    let app = spawn_app_with(|s| {
        s.limits.login_per_ip = 2;
        s.limits.signup_per_ip = 2;
    })
    .await;
    assert_eq!(
        app.signup("a@example.com", PASSWORD, "A").await.status(),
        201
    );
    assert_eq!(
        app.signup("b@example.com", PASSWORD, "B").await.status(),
        201
    );
    let limited = app.signup("c@example.com", PASSWORD, "C").await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_error(limited, 429, "rate_limited").await;
    assert_eq!(app.count("users").await, 2);

    assert_eq!(app.login("a@example.com", PASSWORD).await.status(), 200);
    assert_eq!(app.login("b@example.com", PASSWORD).await.status(), 200);
    assert_error(
        app.login("a@example.com", PASSWORD).await,
        429,
        "rate_limited",
    )
    .await;
}
