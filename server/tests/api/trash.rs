//! The trash: delete a folder with its contents, list, restore (with clashes and lost parents),
//! purge, empty, the retention sweep, and the activity log behind them.

use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, TestApp};

async fn delete(app: &TestApp, bearer: &str, id: &str) -> reqwest::Response {
    app.client
        .delete(app.url(&format!("/api/v1/nodes/{id}")))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap()
}

async fn trash_names(app: &TestApp, bearer: &str) -> Vec<String> {
    let page: Value = app
        .client
        .get(app.url("/api/v1/trash"))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn restore(app: &TestApp, bearer: &str, id: &str) -> reqwest::Response {
    let url = app.url(&format!("/api/v1/trash/{id}/restore"));
    app.client
        .post(url)
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_deleted_folder_goes_to_the_trash_whole_and_comes_back_whole() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let photos = app.folder(&ann, &root, "Photos").await;
    let trip = app.folder(&ann, &photos, "Trip").await;
    app.folder(&ann, &trip, "Day 1").await;

    assert_eq!(delete(&app, &ann, &photos).await.status(), 204);
    assert!(app.names(&ann, &root, "").await.is_empty());
    assert_eq!(
        trash_names(&app, &ann).await,
        vec!["Photos"],
        "one entry, not one per folder"
    );
    assert_error(app.get_node(&ann, &trip).await, 404, "not_found").await;
    assert_error(
        app.create_folder(&ann, &trip, "sneaky").await,
        404,
        "not_found",
    )
    .await;

    let back: Value = restore(&app, &ann, &photos).await.json().await.unwrap();
    assert_eq!(back["name"], "Photos");
    assert_eq!(back["parent_id"], root.as_str());
    assert_eq!(app.names(&ann, &trip, "").await, vec!["Day 1"]);
    assert!(trash_names(&app, &ann).await.is_empty());
}

#[tokio::test]
async fn restoring_onto_a_taken_name_keeps_both_and_a_lost_parent_means_the_root() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let first = app.folder(&ann, &root, "report.d").await;
    delete(&app, &ann, &first).await;
    app.folder(&ann, &root, "report.d").await;
    let back: Value = restore(&app, &ann, &first).await.json().await.unwrap();
    assert_eq!(back["name"], "report (1).d");

    let box_ = app.folder(&ann, &root, "Box").await;
    let inner = app.folder(&ann, &box_, "Inner").await;
    delete(&app, &ann, &inner).await;
    delete(&app, &ann, &box_).await;
    let back: Value = restore(&app, &ann, &inner).await.json().await.unwrap();
    assert_eq!(
        back["parent_id"],
        root.as_str(),
        "its folder is in the trash, so it comes to the root"
    );
    assert_eq!(trash_names(&app, &ann).await, vec!["Box"]);
}

#[tokio::test]
async fn purge_and_empty_remove_for_good() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let a = app.folder(&ann, &root, "A").await;
    app.folder(&ann, &a, "A1").await;
    let b = app.folder(&ann, &root, "B").await;
    let c = app.folder(&ann, &root, "C").await;
    // A small file's bytes are kept in the database; a purge takes them too.
    crate::transfer::upload(
        &app,
        &ann,
        "note.txt",
        &b,
        b"small and kept in the database",
    )
    .await;
    assert_eq!(app.count("blob_bytes").await, 1);
    for id in [&a, &b, &c] {
        delete(&app, &ann, id).await;
    }
    let purge = app
        .client
        .delete(app.url(&format!("/api/v1/trash/{a}")))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    assert_eq!(purge.status(), 204);
    assert_error(restore(&app, &ann, &a).await, 404, "not_found").await;
    assert_eq!(
        app.count("nodes").await,
        4,
        "A and A1 are gone; B (with its note), C and the root remain"
    );

    let empty = app
        .client
        .delete(app.url("/api/v1/trash"))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 204);
    assert!(trash_names(&app, &ann).await.is_empty());
    assert_eq!(app.count("nodes").await, 1, "only the root is left");
    assert_eq!(app.count("blobs").await, 0);
    assert_eq!(app.count("blob_bytes").await, 0, "no bytes left behind");
}

#[tokio::test]
async fn the_sweep_purges_only_what_is_older_than_the_retention() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let old = app.folder(&ann, &root, "old").await;
    let recent = app.folder(&ann, &root, "recent").await;
    delete(&app, &ann, &old).await;
    delete(&app, &ann, &recent).await;
    let long_ago = chrono::Utc::now() - chrono::Duration::days(31);
    let old_id = uuid::Uuid::parse_str(&old).unwrap();
    let sql = "UPDATE nodes SET trashed_at = $1 WHERE trash_root_id = $2";
    app.exec_with(sql, vec![long_ago.into(), old_id.into()])
        .await;
    let cutoff = chrono::Utc::now() - chrono::Duration::days(30);
    let purged = server::files::trash::purge_expired(&app.db, &app.blobs(), cutoff)
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(trash_names(&app, &ann).await, vec!["recent"]);
}

#[tokio::test]
async fn the_trash_is_private_and_the_root_cannot_be_deleted() {
    let app = spawn_app().await;
    let (ann, _) = app.signed_in_user("ann@example.com").await;
    let (bob, _) = app.signed_in_user("bob@example.com").await;
    let root = app.root_id(&ann).await;
    let secret = app.folder(&ann, &root, "secret").await;
    assert_error(delete(&app, &bob, &secret).await, 404, "not_found").await;
    delete(&app, &ann, &secret).await;
    assert!(trash_names(&app, &bob).await.is_empty());
    assert_error(restore(&app, &bob, &secret).await, 404, "not_found").await;
    let purge = app
        .client
        .delete(app.url(&format!("/api/v1/trash/{secret}")))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_error(purge, 404, "not_found").await;
    assert_eq!(trash_names(&app, &ann).await, vec!["secret"]);
    assert_error(delete(&app, &ann, &root).await, 400, "validation").await;
    assert_error(delete(&app, &ann, &secret).await, 404, "not_found").await;
}

#[tokio::test]
async fn every_change_is_in_the_activity_log() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let a = app.folder(&ann, &root, "A").await;
    let b = app.folder(&ann, &root, "B").await;
    app.patch_node(&ann, &a, &json!({"name": "A2"})).await;
    app.patch_node(&ann, &a, &json!({"parent_id": b})).await;
    delete(&app, &ann, &a).await;
    restore(&app, &ann, &a).await;
    delete(&app, &ann, &a).await;
    app.client
        .delete(app.url(&format!("/api/v1/trash/{a}")))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    let sql = "SELECT action FROM activity WHERE node_id = $1 ORDER BY created_at";
    let rows = app
        .exec_with(sql, vec![uuid::Uuid::parse_str(&a).unwrap().into()])
        .await;
    let actions: Vec<String> = rows
        .iter()
        .map(|r| r.try_get("", "action").unwrap())
        .collect();
    assert_eq!(
        actions,
        vec!["create", "rename", "move", "trash", "restore", "trash", "purge"]
    );
}
