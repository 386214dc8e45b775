//! The admin API: only administrators reach it; its figures follow uploads, dedup, versions,
//! the trash and purges.

use reqwest::Method;
use serde_json::Value;

use crate::{helpers::spawn_app, sharing::call, transfer::upload};

async fn stats(app: &crate::helpers::TestApp, bearer: Option<&str>) -> (u16, Value) {
    let response = call(app, bearer, Method::GET, "/api/v1/admin/stats", None).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn only_admins_see_the_figures_and_they_add_up() {
    let app = spawn_app().await;
    // The first account is the administrator.
    let (ann, ann_root) = app.user_with_root("ann@example.com").await;
    let (bob, bob_root) = app.user_with_root("bob@example.com").await;
    assert_eq!(stats(&app, Some(&bob)).await.0, 403);
    assert_eq!(stats(&app, None).await.0, 401);
    assert_eq!(stats(&app, Some("forged.token.here")).await.0, 401);

    app.folder(&ann, &ann_root, "Folder").await;
    upload(&app, &ann, "a.txt", &ann_root, b"hello").await;
    upload(&app, &bob, "a.txt", &bob_root, b"hello").await; // the same content: stored once
    upload(&app, &ann, "a.txt", &ann_root, b"hello world").await; // a second version
    let gone = upload(&app, &ann, "b.txt", &ann_root, b"abc").await;
    let trashed = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/nodes/{gone}"),
        None,
    )
    .await;
    assert_eq!(trashed.status(), 204);

    let (status, s) = stats(&app, Some(&ann)).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["users"], 2);
    assert_eq!(s["files"], 2, "b.txt is in the trash");
    assert_eq!(s["folders"], 1, "roots are not counted");
    assert_eq!(s["logical_bytes"], 5 + 5 + 11 + 3);
    assert_eq!(s["stored_bytes"], 5 + 11 + 3);
    assert_eq!(s["dedup_saved_bytes"], 5);
    assert_eq!(s["current_bytes"], 11 + 5);
    assert_eq!(s["trash_bytes"], 3);
    assert_eq!(s["version_bytes"], 5, "ann's first version of a.txt");
    assert_eq!(s["biggest"][0]["email"], "ann@example.com");
    assert_eq!(s["biggest"][0]["used_bytes"], 5 + 11 + 3);
    assert_eq!(s["biggest"][1]["used_bytes"], 5);
    assert_eq!(
        s["jobs"]["queued"], 6,
        "a thumbnail job and a text job per distinct text: {s}"
    );
    assert_eq!(s["jobs"]["dead"], 0);
    assert!(s["index_lag"].is_u64(), "the search index's lag: {s}");

    let purged = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/trash/{gone}"),
        None,
    )
    .await;
    assert_eq!(purged.status(), 204);
    app.run_jobs().await;
    let (_, s) = stats(&app, Some(&ann)).await;
    assert_eq!(s["logical_bytes"], 5 + 5 + 11);
    assert_eq!(s["stored_bytes"], 5 + 11);
    assert_eq!(s["trash_bytes"], 0);
    assert_eq!(s["jobs"]["queued"], 0);
    assert_eq!(
        s["jobs"]["done"], 4,
        "two contents left, each with its thumbnail and text job; the purged one's went: {s}"
    );

    // A folder of two files copied, the copy trashed and restored: the totals follow.
    let folder = app.folder(&bob, &bob_root, "Album").await;
    upload(&app, &bob, "x.txt", &folder, b"xx").await;
    upload(&app, &bob, "y.txt", &folder, b"yyy").await;
    let copied = call(
        &app,
        Some(&bob),
        Method::POST,
        &format!("/api/v1/nodes/{folder}/copy"),
        Some(serde_json::json!({"parent_id": bob_root, "name": "Album copy"})),
    )
    .await;
    assert_eq!(copied.status(), 201);
    let copy: Value = copied.json().await.unwrap();
    let copy = copy["id"].as_str().unwrap().to_owned();
    let (_, s) = stats(&app, Some(&ann)).await;
    assert_eq!(
        (s["files"].as_i64(), s["folders"].as_i64()),
        (Some(6), Some(3)),
        "{s}"
    );
    assert_eq!(s["current_bytes"], 16 + 2 * (2 + 3));
    let trashed = call(
        &app,
        Some(&bob),
        Method::DELETE,
        &format!("/api/v1/nodes/{copy}"),
        None,
    )
    .await;
    assert_eq!(trashed.status(), 204);
    let (_, s) = stats(&app, Some(&ann)).await;
    assert_eq!(
        (s["files"].as_i64(), s["folders"].as_i64()),
        (Some(4), Some(2)),
        "{s}"
    );
    assert_eq!(s["trash_bytes"], 5);
    let restored = call(
        &app,
        Some(&bob),
        Method::POST,
        &format!("/api/v1/trash/{copy}/restore"),
        None,
    )
    .await;
    assert_eq!(restored.status(), 200);
    let (_, s) = stats(&app, Some(&ann)).await;
    assert_eq!(
        (s["files"].as_i64(), s["folders"].as_i64()),
        (Some(6), Some(3)),
        "{s}"
    );
    assert_eq!(s["trash_bytes"], 0);
}

#[tokio::test]
async fn the_admin_page_and_its_figures_are_for_administrators_only() {
    let app = spawn_app().await;
    crate::drive_fns::browser_user(&app, "ann@example.com").await;
    let figures = app.server_fn("admin/stats", &[]).await;
    assert_eq!(figures.status(), 200, "the first account administers");
    let figures: Value = figures.json().await.unwrap();
    assert_eq!(figures["users"], 1);
    assert_eq!(app.page("/admin").await.status(), 200);

    assert_eq!(app.server_fn("auth/sign_out", &[]).await.status(), 200);
    crate::drive_fns::browser_user(&app, "bob@example.com").await;
    let refused = app.server_fn("admin/stats", &[]).await;
    assert_eq!(refused.status(), 403);
    let nobody = reqwest::Client::new()
        .post(app.url("/api/admin/stats"))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(nobody.status(), 401);
}

#[tokio::test]
async fn every_admin_page_and_server_function_refuses_non_administrators() {
    let app = spawn_app().await;
    crate::drive_fns::browser_user(&app, "ann@example.com").await;
    let someone = "00000000-0000-0000-0000-000000000000";
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("admin/stats", vec![]),
        ("admin/health", vec![]),
        ("admin/storage", vec![("days", "7")]),
        ("admin/accounts", vec![("query", "")]),
        (
            "admin/create_account",
            vec![
                ("email", "x@example.com"),
                ("name", ""),
                ("password", ""),
                ("quota", ""),
            ],
        ),
        (
            "admin/change_account",
            vec![("id", someone), ("disabled", "true")],
        ),
        ("admin/set_quota", vec![("id", someone), ("quota", "1 GB")]),
        (
            "admin/set_password",
            vec![("id", someone), ("password", "long enough password")],
        ),
        ("admin/invite_again", vec![("id", someone)]),
        ("admin/signup_mode", vec![]),
        ("admin/set_signup_mode", vec![("mode", "open")]),
        ("admin/failed_jobs", vec![]),
        ("admin/retry_job", vec![("id", someone)]),
        ("admin/activity", vec![("action", "upload")]),
    ];
    for (name, form) in &calls {
        let response = app.server_fn(name, form).await;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(
            status != 403 && status != 401 && status != 500,
            "{name} for the admin: {status} {text}"
        );
    }
    let log = app
        .server_fn("admin/activity", &[("action", "account_disable")])
        .await;
    assert_eq!(
        log.status(),
        200,
        "{}",
        log.text().await.unwrap_or_default()
    );
    for page in ["/admin", "/admin/people", "/admin/activity"] {
        assert_eq!(app.page(page).await.status(), 200, "{page}");
    }
    assert_eq!(app.server_fn("auth/sign_out", &[]).await.status(), 200);
    crate::drive_fns::browser_user(&app, "bob@example.com").await;
    for (name, form) in &calls {
        assert_eq!(
            app.server_fn(name, form).await.status(),
            403,
            "{name} for a member"
        );
    }
    let closing = app
        .server_fn("admin/set_signup_mode", &[("mode", "closed")])
        .await;
    assert_eq!(closing.status(), 403);
    let mode: Value = app
        .server_fn("auth/signup_mode", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mode, "open", "a member cannot close sign-up: {mode}");
    let anonymous = reqwest::Client::new();
    for (name, form) in &calls {
        let response = anonymous
            .post(app.url(&format!("/api/{name}")))
            .header("origin", &app.address)
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{name} for nobody");
    }
}

#[tokio::test]
async fn the_health_card_says_what_answers_and_the_settings_without_secrets() {
    let app = spawn_app().await;
    let (ann, _) = app.user_with_root("ann@example.com").await;
    let (status, health) = crate::admin_ops::get(&app, &ann, "/api/v1/admin/health").await;
    assert_eq!(status, 200, "{health}");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(health["database"]["ok"], true);
    assert_eq!(health["storage"]["ok"], true);
    assert_eq!(health["storage_kind"], "local");
    let backend = if app.database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    assert_eq!(health["database_kind"], backend);
    assert!(health["index_lag"].is_u64(), "{health}");
    // The previews' converters this machine has (the tests turn OCR off).
    let converter = |name: &str| {
        health["converters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {health}"))
            .clone()
    };
    for name in ["libpdfium", "LibreOffice", "ffmpeg", "heif-convert"] {
        assert_eq!(converter(name)["available"], true, "{name}: {health}");
    }
    assert_eq!(converter("tesseract")["available"], false);
    assert_eq!(
        converter("tesseract")["note"],
        "Turned off (previews.ocr = false): no text in scans and photos (OCR)"
    );
    let settings = health["settings"].as_array().unwrap();
    let value = |name: &str| {
        settings
            .iter()
            .find(|s| s["name"] == name)
            .map(|s| s["value"].as_str().unwrap().to_owned())
    };
    assert_eq!(value("GOSYNC_STORAGE__KIND").as_deref(), Some("local"));
    assert_eq!(
        value("GOSYNC_STORAGE__SECRET_ACCESS_KEY").as_deref(),
        Some("(not set)")
    );
    assert!(value("GOSYNC_DATA_DIR").is_some());
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let (status, _) = crate::admin_ops::get(&app, &bob, "/api/v1/admin/health").await;
    assert_eq!(status, 403);
}
