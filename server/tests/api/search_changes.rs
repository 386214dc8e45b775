//! Search and change: a user sees only their own and what is shared with them (until it is
//! moved out or revoked); renames, moves, trash and purge change the results; a restarted
//! server catches up and a new one builds the same index.

use reqwest::Method;
use serde_json::json;

use crate::{
    helpers::{spawn_app, spawn_node},
    search::{eventually, has, names, search},
    sharing::{call, granted},
    transfer::upload,
};

#[tokio::test]
async fn people_see_their_own_and_what_is_shared_with_them_until_it_is_revoked() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let (_carol, _) = app.user_with_root("carol@example.com").await;
    let folder = app.folder(&ann, &root, "Project").await;
    let inner = app.folder(&ann, &folder, "Drafts").await;
    upload(&app, &ann, "zebra plan.txt", &inner, b"zebra crossing").await;
    upload(&app, &ann, "zebra private.txt", &root, b"zebra secret").await;
    app.run_jobs().await;
    eventually(&app, &ann, "q=zebra", |n| n.len() == 2).await;
    let (_, page) = search(&app, &bob, "q=zebra").await;
    assert!(names(&page).is_empty(), "nothing of ann's: {page}");
    let grant = granted(&app, &ann, &folder, "bob@example.com", "viewer").await;
    let page = eventually(&app, &bob, "q=zebra", |n| n.len() == 1).await;
    assert_eq!(names(&page), ["zebra plan.txt"]);
    assert_eq!(page["hits"][0]["path"], "Shared with me / Project / Drafts");
    assert_eq!(page["hits"][0]["parent_id"], inner);
    // Moved out of the shared folder: no longer his to find.
    let private = app.folder(&ann, &root, "Private").await;
    let (_, found) = search(&app, &ann, "q=plan").await;
    let plan = found["hits"][0]["id"].as_str().unwrap().to_owned();
    let moved = app
        .patch_node(&ann, &plan, &json!({"parent_id": private}))
        .await;
    assert_eq!(moved.status(), 200);
    eventually(&app, &bob, "q=zebra", |n| n.is_empty()).await;
    app.patch_node(&ann, &plan, &json!({"parent_id": inner}))
        .await;
    eventually(&app, &bob, "q=zebra", |n| n.len() == 1).await;
    let revoked = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/shares/{grant}"),
        None,
    )
    .await;
    assert_eq!(revoked.status(), 204);
    let (_, page) = search(&app, &bob, "q=zebra").await;
    assert!(names(&page).is_empty(), "revoked at once: {page}");
}

#[tokio::test]
async fn renames_moves_trash_and_purge_change_the_results() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let folder = app.folder(&ann, &root, "Holidays").await;
    let file = upload(&app, &ann, "beach.txt", &folder, b"sand and sea").await;
    app.run_jobs().await;
    eventually(&app, &ann, "q=beach", has("beach.txt")).await;
    app.patch_node(&ann, &file, &json!({"name": "seaside.txt"}))
        .await;
    eventually(&app, &ann, "q=seaside", has("seaside.txt")).await;
    eventually(&app, &ann, "q=beach", |n| n.is_empty()).await;
    // A folder renamed: what is inside is found by the new folder name.
    app.patch_node(&ann, &folder, &json!({"name": "Summer 2026"}))
        .await;
    let page = eventually(&app, &ann, "q=summer+seaside", has("seaside.txt")).await;
    assert_eq!(page["hits"][0]["path"], "My files / Summer 2026");
    let trashed = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/nodes/{folder}"),
        None,
    )
    .await;
    assert_eq!(trashed.status(), 204);
    eventually(&app, &ann, "q=sand", |n| n.is_empty()).await;
    let restored = call(
        &app,
        Some(&ann),
        Method::POST,
        &format!("/api/v1/trash/{folder}/restore"),
        None,
    )
    .await;
    assert_eq!(restored.status(), 200);
    eventually(&app, &ann, "q=sand", has("seaside.txt")).await;
    call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/nodes/{folder}"),
        None,
    )
    .await;
    let purged = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/trash/{folder}"),
        None,
    )
    .await;
    assert_eq!(purged.status(), 204);
    eventually(&app, &ann, "q=sand", |n| n.is_empty()).await;
    eventually(&app, &ann, "q=summer", |n| n.is_empty()).await;
}

#[tokio::test]
async fn a_restarted_server_catches_up_and_a_new_one_builds_the_same_index() {
    let mut app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let before = upload(&app, &ann, "kiwi before.txt", &root, b"one").await;
    eventually(&app, &ann, "q=kiwi", |n| n.len() == 1).await;
    // Another server of the deployment (same database) works on while this one is down.
    let other = spawn_node(&app).await;
    app.shut_down().await.unwrap();
    upload(&other, &ann, "kiwi during.txt", &root, b"two").await;
    other
        .patch_node(&ann, &before, &json!({"name": "kiwi renamed.txt"}))
        .await;
    let app = app.start_again().await;
    let caught_up = eventually(&app, &ann, "q=kiwi", |n| n.len() == 2).await;
    let mut found = names(&caught_up);
    found.sort();
    assert_eq!(found, ["kiwi during.txt", "kiwi renamed.txt"]);
    // A server with an empty index builds it from the database: the same results.
    let third = spawn_node(&app).await;
    let rebuilt = eventually(&third, &ann, "q=kiwi", |n| n.len() == 2).await;
    let mut again = names(&rebuilt);
    again.sort();
    assert_eq!(again, found);
    let metrics = app.metrics().await;
    assert!(metrics.contains("gosync_search_index_lag 0"), "{metrics}");
}

#[tokio::test]
async fn a_server_down_longer_than_the_change_log_keeps_rebuilds_its_index() {
    let mut app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let file = upload(&app, &ann, "plum old.txt", &root, b"one").await;
    eventually(&app, &ann, "q=plum", |n| n.len() == 1).await;
    let other = spawn_node(&app).await;
    app.shut_down().await.unwrap();
    other
        .patch_node(&ann, &file, &json!({"name": "plum new.txt"}))
        .await;
    // A week later the hourly sweep has pruned the log past what this server applied.
    let later = chrono::Utc::now() + chrono::Duration::seconds(1);
    let pruned = server::search::changes::prune(&other.db, later)
        .await
        .unwrap();
    assert!(pruned >= 2, "{pruned}");
    let app = app.start_again().await;
    let page = eventually(&app, &ann, "q=plum", has("plum new.txt")).await;
    assert_eq!(names(&page), ["plum new.txt"]);
}
