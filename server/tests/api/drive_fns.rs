//! The drive's server functions (what the browser UI calls): a session is required, and
//! another user's items do not exist for them.

use serde_json::Value;

use crate::helpers::{spawn_app, TestApp, PASSWORD};

pub(crate) async fn browser_user(app: &TestApp, email: &str) {
    let form = [
        ("name", "Someone"),
        ("email", email),
        ("password", PASSWORD),
    ];
    assert_eq!(app.server_fn("auth/sign_up", &form).await.status(), 200);
}

async fn list(app: &TestApp, folder: Option<&str>) -> reqwest::Response {
    let mut form = vec![("sort", "Name"), ("descending", "false")];
    if let Some(folder) = folder {
        form.push(("folder", folder));
    }
    app.server_fn("drive/list", &form).await
}

#[tokio::test]
async fn the_drive_needs_a_session_and_shows_only_your_own_items() {
    let app = spawn_app().await;
    let nobody = list(&app, None).await;
    assert_eq!(nobody.status(), 401);

    browser_user(&app, "ann@example.com").await;
    let page: Value = list(&app, None).await.json().await.unwrap();
    let root = page["path"][0]["id"].as_str().unwrap().to_owned();
    let made = app
        .server_fn(
            "drive/create_folder",
            &[("parent", &root), ("name", "Private")],
        )
        .await;
    assert_eq!(made.status(), 200);
    let private: Value = made.json().await.unwrap();
    let private = private["id"].as_str().unwrap().to_owned();
    let page: Value = list(&app, Some(&private)).await.json().await.unwrap();
    let names: Vec<&str> = page["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["", "Private"], "the path from the root");

    // Bob, in his own browser, cannot see, rename, delete or restore Ann's folder.
    app.server_fn("auth/sign_out", &[]).await;
    browser_user(&app, "bob@example.com").await;
    assert_eq!(list(&app, Some(&private)).await.status(), 404);
    let renamed = app
        .server_fn("drive/rename", &[("id", &private), ("name", "Mine")])
        .await;
    assert_eq!(renamed.status(), 404);
    assert_eq!(
        app.server_fn("drive/trash", &[("id", &private)])
            .await
            .status(),
        404
    );
    let inside = app
        .server_fn(
            "drive/create_folder",
            &[("parent", &private), ("name", "x")],
        )
        .await;
    assert_eq!(inside.status(), 404);

    app.server_fn("auth/sign_out", &[]).await;
    let form = [("email", "ann@example.com"), ("password", PASSWORD)];
    app.server_fn("auth/sign_in", &form).await;
    assert_eq!(
        app.server_fn("drive/trash", &[("id", &private)])
            .await
            .status(),
        200
    );
    app.server_fn("auth/sign_out", &[]).await;
    let form = [("email", "bob@example.com"), ("password", PASSWORD)];
    app.server_fn("auth/sign_in", &form).await;
    assert_eq!(
        app.server_fn("drive/restore", &[("id", &private)])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.server_fn("drive/purge", &[("id", &private)])
            .await
            .status(),
        404
    );
    let bob_root: Value = list(&app, None).await.json().await.unwrap();
    let bob_root = bob_root["path"][0]["id"].as_str().unwrap().to_owned();
    let taken = app
        .server_fn("drive/move", &[("id", &private), ("parent", &bob_root)])
        .await;
    assert_eq!(
        taken.status(),
        404,
        "Bob cannot move Ann's folder into his drive"
    );
    let copied = app.server_fn("drive/copy", &[("id", &private)]).await;
    assert_eq!(copied.status(), 404, "nor copy it");
    let emptied = app.server_fn("drive/empty_trash", &[]).await;
    assert_eq!(
        emptied.text().await.unwrap(),
        "0",
        "Bob's own (empty) trash only"
    );
    let trash: Value = app
        .server_fn("drive/trash_list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        trash["entries"].as_array().unwrap().is_empty(),
        "Ann's trash is not Bob's"
    );
    let bobs: Value = list(&app, None).await.json().await.unwrap();
    assert!(bobs["entries"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_trash_lists_restores_and_empties_for_its_owner() {
    let app = spawn_app().await;
    browser_user(&app, "ann@example.com").await;
    let page: Value = list(&app, None).await.json().await.unwrap();
    let root = page["path"][0]["id"].as_str().unwrap().to_owned();
    let mut ids = Vec::new();
    for name in ["a", "b"] {
        let made: Value = app
            .server_fn("drive/create_folder", &[("parent", &root), ("name", name)])
            .await
            .json()
            .await
            .unwrap();
        let id = made["id"].as_str().unwrap().to_owned();
        assert_eq!(
            app.server_fn("drive/trash", &[("id", &id)]).await.status(),
            200
        );
        ids.push(id);
    }
    let trash: Value = app
        .server_fn("drive/trash_list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(trash["entries"].as_array().unwrap().len(), 2);
    assert_eq!(trash["retention_days"], 30);
    assert!(trash["entries"][0]["trashed"].as_i64().is_some());
    assert_eq!(
        app.server_fn("drive/purge", &[("id", &ids[0])])
            .await
            .status(),
        200
    );
    let emptied = app.server_fn("drive/empty_trash", &[]).await;
    assert_eq!(emptied.text().await.unwrap(), "1");
    assert_eq!(app.count("nodes").await, 1, "only the root is left");
}

#[tokio::test]
async fn moving_goes_into_folders_but_never_below_itself() {
    let app = spawn_app().await;
    browser_user(&app, "ann@example.com").await;
    let page: Value = list(&app, None).await.json().await.unwrap();
    let root = page["path"][0]["id"].as_str().unwrap().to_owned();
    let outer = make_folder(&app, &root, "Outer").await;
    let inner = make_folder(&app, &outer, "Inner").await;
    let loose = make_folder(&app, &root, "Loose").await;
    let moved = app
        .server_fn("drive/move", &[("id", &loose), ("parent", &inner)])
        .await;
    assert_eq!(moved.status(), 200);
    let inside: Value = list(&app, Some(&inner)).await.json().await.unwrap();
    assert_eq!(inside["entries"][0]["name"], "Loose");
    let cycle = app
        .server_fn("drive/move", &[("id", &outer), ("parent", &inner)])
        .await;
    assert_eq!(cycle.status(), 409);
    let body: Value = cycle.json().await.unwrap();
    assert!(body.to_string().contains("into itself"), "{body}");
}

async fn make_folder(app: &TestApp, parent: &str, name: &str) -> String {
    let made: Value = app
        .server_fn("drive/create_folder", &[("parent", parent), ("name", name)])
        .await
        .json()
        .await
        .unwrap();
    made["id"].as_str().unwrap().to_owned()
}
