//! The change feed (`/api/v1/changes`): each person hears of what they see and of what they
//! lost sight of, and of nothing else; cursors hold across nodes and restarts; a long poll
//! wakes on a change made on another node; an old cursor is 410.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::{
    helpers::{assert_error, spawn_app, spawn_node, TestApp},
    sharing::{call, granted},
    transfer::upload,
};

async fn latest(app: &TestApp, bearer: &str) -> String {
    let response = call(
        app,
        Some(bearer),
        Method::GET,
        "/api/v1/changes/latest",
        None,
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["cursor"].as_str().unwrap().to_owned()
}

/// The changes after `cursor` (no wait); moves `cursor` on.
async fn changes(app: &TestApp, bearer: &str, cursor: &mut String) -> Vec<Value> {
    let path = format!("/api/v1/changes?cursor={cursor}");
    let response = call(app, Some(bearer), Method::GET, &path, None).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    *cursor = body["next_cursor"].as_str().unwrap().to_owned();
    body["changes"].as_array().unwrap().clone()
}

/// The state each change reports, by node id.
fn states(changes: &[Value]) -> Vec<(String, String)> {
    changes
        .iter()
        .map(|c| {
            let id = c["node_id"].as_str().unwrap().to_owned();
            (id, c["state"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn of<'a>(changes: &'a [Value], id: &str) -> &'a Value {
    changes
        .iter()
        .find(|c| c["node_id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {changes:?}"))
}

#[tokio::test]
async fn each_person_hears_of_what_they_see_and_of_what_they_lost_sight_of() {
    let app = spawn_app().await;
    let (ann, ann_root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let (cleo, _) = app.user_with_root("cleo@example.com").await;
    let team = app.folder(&ann, &ann_root, "Team").await;
    let private = app.folder(&ann, &ann_root, "Private").await;
    let grant = granted(&app, &ann, &team, "bob@example.com", "viewer").await;
    let (mut at_ann, mut at_bob, mut at_cleo) = (
        latest(&app, &ann).await,
        latest(&app, &bob).await,
        latest(&app, &cleo).await,
    );

    let plan = upload(&app, &ann, "plan.txt", &team, b"the plan").await;
    let notes = upload(&app, &ann, "notes.txt", &team, b"notes").await;
    let seen = changes(&app, &ann, &mut at_ann).await;
    let entry = of(&seen, &plan);
    assert_eq!(entry["state"], "live");
    assert_eq!(entry["name"], "plan.txt");
    assert_eq!(entry["kind"], "file");
    assert_eq!(entry["parent_id"], team.as_str());
    assert_eq!(entry["size"], 8);
    assert_eq!(
        entry["content_hash"],
        format!("{:x}", Sha256::digest(b"the plan"))
    );
    assert_eq!(entry["version"], 1);
    let seen = changes(&app, &bob, &mut at_bob).await;
    assert_eq!(of(&seen, &plan)["state"], "live", "shared with Bob");
    assert!(
        changes(&app, &cleo, &mut at_cleo).await.is_empty(),
        "Cleo sees nothing"
    );

    // Moved out of the shared folder: gone for Bob, moved for Ann.
    let moved = call(
        &app,
        Some(&ann),
        Method::PATCH,
        &format!("/api/v1/nodes/{plan}"),
        Some(json!({"parent_id": private})),
    )
    .await;
    assert_eq!(moved.status(), 200);
    let seen = changes(&app, &ann, &mut at_ann).await;
    assert_eq!(of(&seen, &plan)["parent_id"], private.as_str());
    let seen = changes(&app, &bob, &mut at_bob).await;
    assert_eq!(states(&seen), [(plan.clone(), "gone".to_owned())]);
    assert!(of(&seen, &plan)["name"].is_null(), "nothing more of it");

    // Trashed: in Ann's trash, gone for Bob.
    let path = format!("/api/v1/nodes/{notes}");
    assert_eq!(
        call(&app, Some(&ann), Method::DELETE, &path, None)
            .await
            .status(),
        204
    );
    let seen = changes(&app, &ann, &mut at_ann).await;
    assert_eq!(of(&seen, &notes)["state"], "trashed");
    let seen = changes(&app, &bob, &mut at_bob).await;
    assert_eq!(states(&seen), [(notes.clone(), "gone".to_owned())]);

    // The grant taken away: the shared folder is gone for Bob.
    let path = format!("/api/v1/shares/{grant}");
    assert_eq!(
        call(&app, Some(&ann), Method::DELETE, &path, None)
            .await
            .status(),
        204
    );
    let seen = changes(&app, &bob, &mut at_bob).await;
    assert_eq!(states(&seen), [(team.clone(), "gone".to_owned())]);
    assert!(
        changes(&app, &cleo, &mut at_cleo).await.is_empty(),
        "still nothing"
    );

    // Shared again: the folder arrives (its top, without Ann's folder above it).
    granted(&app, &ann, &team, "bob@example.com", "editor").await;
    let seen = changes(&app, &bob, &mut at_bob).await;
    let entry = of(&seen, &team);
    assert_eq!(entry["state"], "live");
    assert_eq!(entry["kind"], "folder");
    assert!(
        entry["parent_id"].is_null(),
        "Ann's root is not Bob's to see"
    );

    let anonymous = call(&app, None, Method::GET, "/api/v1/changes/latest", None).await;
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn cursors_hold_across_nodes_and_restarts_and_a_long_poll_wakes_on_another_node() {
    let app = spawn_app().await;
    let second = spawn_node(&app).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let mut cursor = latest(&app, &ann).await;

    // A long poll on the second node, the change made on the first.
    let path = format!("/api/v1/changes?cursor={cursor}&wait=30");
    let poll = {
        let (client, url, ann) = (second.client.clone(), second.url(&path), ann.clone());
        tokio::spawn(async move {
            let started = Instant::now();
            let body: Value = client
                .get(url)
                .bearer_auth(ann)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (body, started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let made = Instant::now();
    let file = upload(&app, &ann, "a.txt", &root, b"a").await;
    let (body, waited) = tokio::time::timeout(Duration::from_secs(15), poll)
        .await
        .expect("the long poll answers once the change is made")
        .unwrap();
    let seen = body["changes"].as_array().unwrap();
    assert_eq!(of(seen, &file)["state"], "live");
    assert!(
        waited < Duration::from_secs(29),
        "answered before its wait ran out"
    );
    eprintln!(
        "long poll woke {} ms after the upload on the other node",
        made.elapsed().as_millis()
    );

    // The cursor from one node goes on on the other, and after a restart.
    let next = body["next_cursor"].as_str().unwrap().to_owned();
    cursor = next.clone();
    assert!(
        changes(&app, &ann, &mut cursor).await.is_empty(),
        "nothing twice"
    );
    let mut app = app;
    app.shut_down().await.unwrap();
    let app = app.start_again().await;
    let again = upload(&app, &ann, "b.txt", &root, b"b").await;
    let mut cursor = next;
    let seen = changes(&second, &ann, &mut cursor).await;
    assert_eq!(states(&seen), [(again, "live".to_owned())]);

    // A poll with nothing to tell answers when its wait is over, with the same cursor.
    let path = format!("/api/v1/changes?cursor={cursor}&wait=1");
    let quiet: Value = call(&app, Some(&ann), Method::GET, &path, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(quiet["changes"], json!([]));
    assert_eq!(quiet["next_cursor"], cursor.as_str());
}

#[tokio::test]
async fn a_cursor_older_than_the_log_is_410_and_a_bad_one_400() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let old = latest(&app, &ann).await;
    upload(&app, &ann, "a.txt", &root, b"a").await;
    let later = chrono::Utc::now() + chrono::Duration::seconds(1);
    server::search::changes::prune(&app.db, later)
        .await
        .unwrap();

    let path = format!("/api/v1/changes?cursor={old}");
    let expired = call(&app, Some(&ann), Method::GET, &path, None).await;
    let body = assert_error(expired, 410, "cursor_expired").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("List"));
    let mut fresh = latest(&app, &ann).await;
    assert!(
        changes(&app, &ann, &mut fresh).await.is_empty(),
        "a new cursor works"
    );

    for (query, field) in [
        ("cursor=abc", "cursor"),
        ("cursor=-1", "cursor"),
        (&format!("cursor={fresh}&wait=61") as &str, "wait"),
        (&format!("cursor={fresh}&wait=soon"), "wait"),
    ] {
        let path = format!("/api/v1/changes?{query}");
        let bad = call(&app, Some(&ann), Method::GET, &path, None).await;
        let body = assert_error(bad, 400, "validation").await;
        assert_eq!(body["error"]["field"], field, "{query}");
    }
    let missing = call(&app, Some(&ann), Method::GET, "/api/v1/changes", None).await;
    assert_eq!(missing.status(), 400);
}
