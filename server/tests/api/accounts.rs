//! Administrators manage accounts: search and pages, disable (sessions and tokens refused at
//! once), admin rights with last-admin protection, quotas enforced on the next upload.
//! Invitations, password resets and the sign-up setting: invitations.rs.

use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::{
    helpers::{assert_error, spawn_app, TestApp, PASSWORD},
    sharing::call,
    transfer,
};

pub(crate) async fn admin_call(
    app: &TestApp,
    bearer: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let response = call(app, Some(bearer), method, path, body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn id_of(app: &TestApp, admin: &str, email: &str) -> String {
    let (_, page) = admin_call(
        app,
        admin,
        Method::GET,
        &format!("/api/v1/admin/users?q={email}"),
        None,
    )
    .await;
    page["accounts"][0]["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn change(app: &TestApp, admin: &str, id: &str, body: Value) -> (u16, Value) {
    admin_call(
        app,
        admin,
        Method::PATCH,
        &format!("/api/v1/admin/users/{id}"),
        Some(body),
    )
    .await
}

/// A browser signed in as `email` (its own cookie jar).
pub(crate) async fn browser(app: &TestApp, email: &str, password: &str) -> Client {
    let client = Client::builder().cookie_store(true).build().unwrap();
    let signed_in = client
        .post(app.url("/api/auth/sign_in"))
        .header("origin", &app.address)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200, "browser sign-in of {email}");
    client
}

pub(crate) async fn me_status(app: &TestApp, client: &Client) -> u16 {
    client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn admins_list_search_and_page_accounts_and_nobody_else_can() {
    let app = spawn_app().await;
    let (ann, _) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    for path in [
        "/api/v1/admin/users",
        "/api/v1/admin/activity",
        "/api/v1/admin/jobs",
        "/api/v1/admin/settings",
        "/api/v1/admin/storage",
        "/api/v1/admin/health",
    ] {
        assert_eq!(
            call(&app, Some(&bob), Method::GET, path, None)
                .await
                .status(),
            403,
            "{path}"
        );
        assert_eq!(
            call(&app, None, Method::GET, path, None).await.status(),
            401,
            "{path}"
        );
    }
    let bob_id = id_of(&app, &ann, "bob").await;
    let (status, _) = change(&app, &bob, &bob_id, json!({"quota_bytes": 1})).await;
    assert_eq!(
        status, 403,
        "a user cannot change accounts, not even their own"
    );

    // 55 invited accounts (no password to hash): two pages.
    for i in 0..55 {
        let (status, made) = admin_call(
            &app,
            &ann,
            Method::POST,
            "/api/v1/admin/users",
            Some(json!({"email": format!("person{i:02}@example.com")})),
        )
        .await;
        assert_eq!(status, 201, "{made}");
    }
    let (status, first) = admin_call(&app, &ann, Method::GET, "/api/v1/admin/users", None).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["total"], 57);
    assert_eq!(first["accounts"].as_array().unwrap().len(), 50);
    assert_eq!(
        first["accounts"][0]["email"], "ann@example.com",
        "sorted by email"
    );
    assert_eq!(first["accounts"][0]["is_admin"], true);
    let cursor = first["next"].as_str().unwrap();
    let (_, second) = admin_call(
        &app,
        &ann,
        Method::GET,
        &format!("/api/v1/admin/users?cursor={cursor}"),
        None,
    )
    .await;
    let emails: Vec<&str> = second["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 7);
    assert_eq!(emails.first(), Some(&"person48@example.com"));
    assert_eq!(second["next"], Value::Null);
    assert_eq!(second["accounts"][0]["invited"], true);

    let (_, found) = admin_call(
        &app,
        &ann,
        Method::GET,
        "/api/v1/admin/users?q=TEST%20USER",
        None,
    )
    .await;
    assert_eq!(found["total"], 2, "names match in any case: {found}");
    let (_, none) = admin_call(&app, &ann, Method::GET, "/api/v1/admin/users?q=%25", None).await;
    assert_eq!(none["total"], 0, "a % is a character, not a wildcard");
    let bad = call(
        &app,
        Some(&ann),
        Method::GET,
        "/api/v1/admin/users?cursor=***",
        None,
    )
    .await;
    assert_error(bad, 400, "validation").await;
}

#[tokio::test]
async fn a_disabled_account_is_refused_at_once_everywhere_and_can_come_back() {
    let app = spawn_app().await;
    let (ann, _) = app.user_with_root("ann@example.com").await;
    let (bob_access, bob_refresh) = app.signed_in_user("bob@example.com").await;
    let pat: Value = app
        .create_token(&bob_access, &json!({"name": "script"}))
        .await
        .json()
        .await
        .unwrap();
    let pat = pat["token"].as_str().unwrap().to_owned();
    let bob_browser = browser(&app, "bob@example.com", PASSWORD).await;
    assert_eq!(me_status(&app, &bob_browser).await, 200);
    let bob_id = id_of(&app, &ann, "bob").await;

    let (status, account) = change(&app, &ann, &bob_id, json!({"disabled": true})).await;
    assert_eq!(status, 200, "{account}");
    assert_eq!(account["disabled"], true);
    assert_eq!(app.me(&bob_access).await.status(), 401, "access token");
    assert_eq!(app.me(&pat).await.status(), 401, "personal access token");
    assert_eq!(me_status(&app, &bob_browser).await, 401, "browser session");
    assert_eq!(
        app.refresh(&bob_refresh).await.status(),
        401,
        "refresh token"
    );
    assert_error(
        app.login("bob@example.com", PASSWORD).await,
        403,
        "account_disabled",
    )
    .await;
    let page = bob_browser
        .get(app.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(
        page.url().path().starts_with("/login"),
        "the browser is sent to sign in"
    );

    let (status, _) = change(&app, &ann, &bob_id, json!({"disabled": false})).await;
    assert_eq!(status, 200);
    assert_eq!(
        me_status(&app, &bob_browser).await,
        401,
        "the old session stays ended"
    );
    assert_eq!(
        app.refresh(&bob_refresh).await.status(),
        401,
        "refresh tokens were revoked"
    );
    assert_eq!(
        app.me(&pat).await.status(),
        200,
        "a script's token works again"
    );
    assert_eq!(app.login("bob@example.com", PASSWORD).await.status(), 200);

    let (status, body) = change(
        &app,
        &ann,
        &id_of(&app, &ann, "ann").await,
        json!({"disabled": true}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden")),
        "not oneself"
    );
    let (status, _) = change(
        &app,
        &ann,
        "00000000-0000-0000-0000-000000000000",
        json!({"disabled": true}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = change(&app, &ann, &bob_id, json!({"disabled": "yes"})).await;
    assert_eq!(status, 400, "a wrong type");
}

#[tokio::test]
async fn the_last_administrator_stays_one_even_when_two_race() {
    let app = spawn_app().await;
    let (ann, _) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let ann_id = id_of(&app, &ann, "ann").await;
    let bob_id = id_of(&app, &ann, "bob").await;
    let (status, body) = change(&app, &ann, &ann_id, json!({"is_admin": false})).await;
    assert_eq!(status, 403);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("last administrator"),
        "{body}"
    );

    let (status, account) = change(&app, &ann, &bob_id, json!({"is_admin": true})).await;
    assert_eq!((status, account["is_admin"].as_bool()), (200, Some(true)));
    // Each demotes the other at the same moment: one of them must stay.
    let (a, b) = tokio::join!(
        change(&app, &ann, &bob_id, json!({"is_admin": false})),
        change(&app, &bob, &ann_id, json!({"is_admin": false})),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 403], "{a:?} {b:?}");
    let (_, page) = admin_call(
        &app,
        if a.0 == 200 { &ann } else { &bob },
        Method::GET,
        "/api/v1/admin/users",
        None,
    )
    .await;
    let admins = page["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["is_admin"] == true)
        .count();
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn a_quota_set_by_an_admin_holds_on_the_next_upload() {
    let app = spawn_app().await;
    let (ann, _) = app.user_with_root("ann@example.com").await;
    let (bob, bob_root) = app.user_with_root("bob@example.com").await;
    let bob_id = id_of(&app, &ann, "bob").await;
    let (status, account) = change(&app, &ann, &bob_id, json!({"quota_bytes": 10})).await;
    assert_eq!((status, account["quota_bytes"].as_i64()), (200, Some(10)));
    let refused = transfer::create(&app, &bob, "big.txt", &bob_root, 11).await;
    assert_error(refused, 507, "quota_exceeded").await;
    transfer::upload(&app, &bob, "small.txt", &bob_root, b"0123456789").await;

    let (status, account) = change(&app, &ann, &bob_id, json!({"quota_bytes": null})).await;
    assert_eq!(
        (status, &account["quota_bytes"]),
        (200, &Value::Null),
        "unlimited again"
    );
    transfer::upload(&app, &bob, "big.txt", &bob_root, b"0123456789ab").await;
    let (status, _) = change(&app, &ann, &bob_id, json!({"quota_bytes": -1})).await;
    assert_eq!(status, 400);
    let (_, page) = admin_call(&app, &ann, Method::GET, "/api/v1/admin/users?q=bob", None).await;
    assert_eq!(page["accounts"][0]["used_bytes"], 22);
}

#[tokio::test]
async fn an_account_disabled_or_reset_on_one_node_is_refused_on_the_other() {
    let first = spawn_app().await;
    let second = crate::helpers::spawn_node(&first).await;
    let (ann, _) = first.user_with_root("ann@example.com").await;
    let (bob, _) = first.signed_in_user("bob@example.com").await;
    // Bob works on the second node, which may now keep his account in memory.
    for _ in 0..3 {
        assert_eq!(second.me(&bob).await.status(), 200);
    }
    let bob_id = id_of(&first, &ann, "bob").await;
    let (status, _) = change(&first, &ann, &bob_id, json!({"disabled": true})).await;
    assert_eq!(status, 200);
    let (node, token) = (&second, &bob);
    let took = crate::faults::until(
        "the other node refuses the disabled account",
        || async move { node.me(token).await.status() == 401 },
    )
    .await;
    println!("a disabled account was refused by the other node after {took:?}");
    assert_eq!(second.me(&bob).await.status(), 401, "and stays refused");

    // Back, with a new password set by the admin: tokens from before end on every node.
    let (status, _) = change(&first, &ann, &bob_id, json!({"disabled": false})).await;
    assert_eq!(status, 200);
    let signed_in: Value = second
        .login("bob@example.com", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let fresh = signed_in["access_token"].as_str().unwrap().to_owned();
    assert_eq!(second.me(&fresh).await.status(), 200);
    let (status, _) = admin_call(
        &first,
        &ann,
        Method::POST,
        &format!("/api/v1/admin/users/{bob_id}/password"),
        Some(json!({"password": "another long password"})),
    )
    .await;
    assert_eq!(status, 200);
    let (node, token) = (&second, &fresh);
    crate::faults::until(
        "the other node refuses a token from before the reset",
        || async move { node.me(token).await.status() == 401 },
    )
    .await;
}
