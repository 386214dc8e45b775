//! What the drive asks before and around an upload: which names are taken (to ask "replace,
//! keep both or skip"), and the empty folders of a dropped tree.

use serde_json::{json, Value};

use crate::{
    drive_fns::browser_user,
    helpers::{spawn_app, TestApp, PASSWORD},
};

async fn root(app: &TestApp) -> String {
    let form = [("sort", "Name"), ("descending", "false")];
    let page: Value = app
        .server_fn("drive/list", &form)
        .await
        .json()
        .await
        .unwrap();
    page["path"][0]["id"].as_str().unwrap().to_owned()
}

async fn make_folders(app: &TestApp, parent: &str, path: &str) -> reqwest::Response {
    app.server_fn("drive/make_folders", &[("parent", parent), ("path", path)])
        .await
}

#[tokio::test]
async fn clashes_name_what_is_there_and_a_free_name_beside_it() {
    let app = spawn_app().await;
    browser_user(&app, "ann@example.com").await;
    let root = root(&app).await;
    let made = make_folders(&app, &root, "Photos").await;
    assert_eq!(made.status(), 200);
    let report = app
        .server_fn(
            "drive/create_folder",
            &[("parent", &root), ("name", "Photos (1)")],
        )
        .await;
    assert_eq!(report.status(), 200);
    let asked = app
        .server_fn_json(
            "drive/clashes",
            &json!({"parent": root, "names": ["Photos", "new.txt", "bad/name"]}),
        )
        .await;
    assert_eq!(asked.status(), 200);
    let clashes: Value = asked.json().await.unwrap();
    assert_eq!(
        clashes,
        json!([{"asked": "Photos", "name": "Photos", "is_folder": true, "free_name": "Photos (2)"}]),
        "only what is there; a free name that skips “Photos (1)”"
    );
    let none: Value = app
        .server_fn_json("drive/clashes", &json!({"parent": root, "names": []}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none, json!([]));
}

#[tokio::test]
async fn empty_folders_of_a_dropped_tree_are_made_once_with_every_folder_on_the_way() {
    let app = spawn_app().await;
    browser_user(&app, "ann@example.com").await;
    let root = root(&app).await;
    let made: Value = make_folders(&app, &root, "Trip/Day 1/empty")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(made["name"], "empty");
    let again: Value = make_folders(&app, &root, "Trip/Day 1/empty")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["id"], made["id"], "the same folder, not a second one");
    let bad = make_folders(&app, &root, "Trip/../x").await;
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert!(body.to_string().contains("“..”"), "{body}");
}

#[tokio::test]
async fn another_users_folder_is_not_there_for_uploads() {
    let app = spawn_app().await;
    browser_user(&app, "ann@example.com").await;
    let ann_root = root(&app).await;
    app.server_fn("auth/sign_out", &[]).await;
    let anonymous = app
        .server_fn_json(
            "drive/clashes",
            &json!({"parent": ann_root, "names": ["a"]}),
        )
        .await;
    assert_eq!(anonymous.status(), 401);
    browser_user(&app, "bob@example.com").await;
    let asked = app
        .server_fn_json(
            "drive/clashes",
            &json!({"parent": ann_root, "names": ["a"]}),
        )
        .await;
    assert_eq!(asked.status(), 404);
    assert_eq!(make_folders(&app, &ann_root, "x").await.status(), 404);
    app.server_fn("auth/sign_out", &[]).await;
    let form = [("email", "ann@example.com"), ("password", PASSWORD)];
    app.server_fn("auth/sign_in", &form).await;
    let page: Value = app
        .server_fn("drive/list", &[("sort", "Name"), ("descending", "false")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["entries"],
        json!([]),
        "nothing was made in Ann's drive"
    );
}
