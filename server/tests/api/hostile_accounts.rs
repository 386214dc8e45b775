//! The smaller findings of "One way in" (8): sign-in limits that never lock the owner out,
//! share-by-email lookups limited, a disabled owner's links resting, a manager's links going
//! with the manager's grant, moves across shares, Secure cookies behind a TLS proxy.

use reqwest::Method;
use serde_json::{json, Value};

use crate::{
    accounts::{change, id_of},
    helpers::{assert_error, spawn_app, spawn_app_with, TestApp, PASSWORD},
    sharing::{call, granted, share},
    transfer::upload,
};

async fn login_from(app: &TestApp, email: &str, password: &str, from: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", from)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn guesses_from_one_address_never_lock_the_owner_out_elsewhere() {
    let app = spawn_app_with(|s| {
        s.limits.login_per_account = 3;
        s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    app.signup("ann@example.com", PASSWORD, "Ann").await;
    for _ in 0..3 {
        assert_eq!(
            login_from(&app, "ann@example.com", "wrong guess!!", "198.51.100.1").await,
            401
        );
    }
    assert_eq!(
        login_from(&app, "ann@example.com", PASSWORD, "198.51.100.1").await,
        429,
        "the guesser waits"
    );
    assert_eq!(
        login_from(&app, "ann@example.com", PASSWORD, "198.51.100.2").await,
        200,
        "the owner gets in"
    );
}

#[tokio::test]
async fn looking_up_addresses_while_sharing_is_limited() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    app.user_with_root("bob@example.com").await;
    let folder = app.folder(&ann, &root, "Team").await;
    for n in 0..20 {
        let miss = share(
            &app,
            &ann,
            &folder,
            &format!("nobody{n}@example.com"),
            "viewer",
        )
        .await;
        assert_eq!(miss.status(), 400);
    }
    let limited = share(&app, &ann, &folder, "nobody-else@example.com", "viewer").await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_error(limited, 429, "rate_limited").await;
}

#[tokio::test]
async fn a_disabled_owners_links_rest_until_the_account_is_enabled() {
    let app = spawn_app().await;
    let (admin, _) = app.user_with_root("admin@example.com").await;
    let (bob, root) = app.user_with_root("bob@example.com").await;
    let file = upload(&app, &bob, "a.txt", &root, b"bob's").await;
    let made: Value = call(
        &app,
        Some(&bob),
        Method::POST,
        &format!("/api/v1/nodes/{file}/links"),
        Some(json!({})),
    )
    .await
    .json()
    .await
    .unwrap();
    let url = app.url(&format!("/s/{}/content", made["token"].as_str().unwrap()));
    let id = id_of(&app, &admin, "bob@example.com").await;
    assert_eq!(
        change(&app, &admin, &id, json!({"disabled": true})).await.0,
        200
    );
    assert_error(reqwest::get(&url).await.unwrap(), 410, "gone").await;
    assert_eq!(
        change(&app, &admin, &id, json!({"disabled": false}))
            .await
            .0,
        200
    );
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_managers_links_go_with_the_managers_grant_and_do_not_come_back() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let team = app.folder(&ann, &root, "Team").await;
    let file = upload(&app, &ann, "plan.txt", &team, b"plan").await;
    let grant = granted(&app, &ann, &team, "bob@example.com", "manager").await;
    let mut urls = Vec::new();
    for node in [&team, &file] {
        let made: Value = call(
            &app,
            Some(&bob),
            Method::POST,
            &format!("/api/v1/nodes/{node}/links"),
            Some(json!({})),
        )
        .await
        .json()
        .await
        .unwrap();
        urls.push(app.url(&format!("/s/{}/content", made["token"].as_str().unwrap())));
    }
    let anns: Value = call(
        &app,
        Some(&ann),
        Method::POST,
        &format!("/api/v1/nodes/{file}/links"),
        Some(json!({})),
    )
    .await
    .json()
    .await
    .unwrap();
    let ann_url = app.url(&format!("/s/{}/content", anns["token"].as_str().unwrap()));
    for url in &urls {
        assert_eq!(reqwest::get(url).await.unwrap().status(), 200);
    }
    // Down to editor: bob may no longer share, so his links stop; ann's stays.
    let changed = call(
        &app,
        Some(&ann),
        Method::PATCH,
        &format!("/api/v1/shares/{grant}"),
        Some(json!({"role": "editor"})),
    )
    .await;
    assert_eq!(changed.status(), 200);
    for url in &urls {
        assert_error(reqwest::get(url).await.unwrap(), 410, "gone").await;
    }
    assert_eq!(reqwest::get(&ann_url).await.unwrap().status(), 200);
    // Manager again: the revoked links stay revoked.
    let back = call(
        &app,
        Some(&ann),
        Method::PATCH,
        &format!("/api/v1/shares/{grant}"),
        Some(json!({"role": "manager"})),
    )
    .await;
    assert_eq!(back.status(), 200);
    assert_eq!(reqwest::get(&urls[0]).await.unwrap().status(), 410);
}

#[tokio::test]
async fn moving_into_or_out_of_a_share_needs_manager_rights_at_both_ends() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let edited = app.folder(&ann, &root, "A").await;
    let managed = app.folder(&ann, &root, "B").await;
    let inner = app.folder(&ann, &edited, "Inner").await;
    let file = upload(&app, &ann, "secret.txt", &edited, b"only for A").await;
    granted(&app, &ann, &edited, "bob@example.com", "editor").await;
    granted(&app, &ann, &managed, "bob@example.com", "manager").await;
    let moved = app
        .patch_node(&bob, &file, &json!({"parent_id": managed}))
        .await;
    assert_error(moved, 403, "forbidden").await;
    assert_eq!(app.names(&ann, &edited, "").await.len(), 2, "nothing moved");
    // Within what bob edits, moving is editing.
    assert_eq!(
        app.patch_node(&bob, &file, &json!({"parent_id": inner}))
            .await
            .status(),
        200
    );
    // The owner moves anything anywhere.
    assert_eq!(
        app.patch_node(&ann, &file, &json!({"parent_id": managed}))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn behind_a_tls_proxy_cookies_are_secure_and_hsts_is_sent() {
    let app = spawn_app_with(|s| s.public_url = Some("https://files.example.com".into())).await;
    app.signup("ann@example.com", PASSWORD, "Ann").await;
    let signed_in = reqwest::Client::new()
        .post(app.url("/api/auth/sign_in"))
        .header("origin", &app.address)
        .form(&[("email", "ann@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(signed_in
        .headers()
        .contains_key("strict-transport-security"));
}
