//! What administrators watch: failed jobs (with a retry), the activity log across users with
//! its filters and pages, and the daily storage samples behind the charts.

use reqwest::Method;
use serde_json::{json, Value};

use crate::{
    fixtures,
    helpers::{spawn_app, TestApp},
    sharing::call,
    transfer::upload,
};

pub async fn get(app: &TestApp, bearer: &str, path: &str) -> (u16, Value) {
    let response = call(app, Some(bearer), Method::GET, path, None).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_failed_job_shows_its_reason_and_can_be_queued_again() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    upload(&app, &ann, "broken.jpg", &root, b"not a jpeg at all").await;
    upload(
        &app,
        &ann,
        "fine.png",
        &root,
        &fixtures::translucent_png(64, 32),
    )
    .await;
    app.run_jobs().await;

    let (status, failed) = get(&app, &ann, "/api/v1/admin/jobs").await;
    assert_eq!(status, 200, "{failed}");
    let failed = failed.as_array().unwrap();
    assert_eq!(failed.len(), 1, "only the broken one: {failed:?}");
    assert_eq!(failed[0]["state"], "failed");
    assert_eq!(failed[0]["file_name"], "broken.jpg");
    assert!(!failed[0]["error"].as_str().unwrap_or_default().is_empty());
    let id = failed[0]["id"].as_str().unwrap();

    let retry = |who: &str, id: &str| {
        let path = format!("/api/v1/admin/jobs/{id}/retry");
        let who = who.to_owned();
        let app = &app;
        async move {
            call(app, Some(&who), Method::POST, &path, None)
                .await
                .status()
                .as_u16()
        }
    };
    assert_eq!(retry(&bob, id).await, 403);
    assert_eq!(retry(&ann, id).await, 204);
    let (_, s) = get(&app, &ann, "/api/v1/admin/stats").await;
    assert_eq!(s["jobs"]["queued"], 1, "{s}");
    assert_eq!(s["jobs"]["failed"], 0);
    assert_eq!(retry(&ann, id).await, 409, "already waiting");
    let ran = app.run_jobs().await;
    assert_eq!(ran.len(), 1, "the retried job ran again");
    let (_, failed) = get(&app, &ann, "/api/v1/admin/jobs").await;
    assert_eq!(failed[0]["state"], "failed", "still broken, reason kept");
    assert_eq!(
        retry(&ann, "00000000-0000-0000-0000-000000000000").await,
        404
    );
    assert_eq!(retry(&ann, "not-an-id").await, 400);
}

#[tokio::test]
async fn the_activity_log_covers_everyone_with_filters_and_pages() {
    let app = spawn_app().await;
    let (ann, ann_root) = app.user_with_root("ann@example.com").await;
    let (bob, bob_root) = app.user_with_root("bob@example.com").await;
    let file = upload(&app, &ann, "report.txt", &ann_root, b"hello").await;
    let renamed = app
        .patch_node(&ann, &file, &json!({"name": "final.txt"}))
        .await;
    assert_eq!(renamed.status(), 200);
    for i in 0..55 {
        app.folder(&bob, &bob_root, &format!("folder {i:02}")).await;
    }
    let (status, first) = get(&app, &ann, "/api/v1/admin/activity").await;
    assert_eq!(status, 200, "{first}");
    let entries = first["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 50);
    assert_eq!(entries[0]["name"], "folder 54", "newest first");
    assert_eq!(entries[0]["actor_email"], "bob@example.com");
    let cursor = first["next"].as_str().unwrap();
    let (_, second) = get(
        &app,
        &ann,
        &format!("/api/v1/admin/activity?cursor={cursor}"),
    )
    .await;
    let rest: Vec<&Value> = second["entries"].as_array().unwrap().iter().collect();
    assert_eq!(rest.len(), 57 - 50, "55 folders, an upload, a rename");
    assert_eq!(rest.last().unwrap()["action"], "upload");
    assert_eq!(second["next"], Value::Null);

    let me: Value = app.me(&ann).await.json().await.unwrap();
    let ann_id = me["id"].as_str().unwrap();
    let (_, mine) = get(&app, &ann, &format!("/api/v1/admin/activity?user={ann_id}")).await;
    let actions: Vec<&str> = mine["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["rename", "upload"]);
    let (_, renames) = get(&app, &ann, "/api/v1/admin/activity?action=rename").await;
    assert_eq!(renames["entries"][0]["name"], "final.txt");
    assert_eq!(renames["entries"].as_array().unwrap().len(), 1);
    let later = chrono::Utc::now().timestamp() + 60;
    let (_, none) = get(&app, &ann, &format!("/api/v1/admin/activity?since={later}")).await;
    assert_eq!(none["entries"].as_array().unwrap().len(), 0);
    let (_, all) = get(
        &app,
        &ann,
        &format!("/api/v1/admin/activity?until={later}&action=upload"),
    )
    .await;
    assert_eq!(all["entries"].as_array().unwrap().len(), 1);
    let (status, _) = get(&app, &ann, "/api/v1/admin/activity?cursor=nonsense").await;
    assert_eq!(status, 400);

    // An administrator's own changes are in the log.
    let bob_me: Value = app.me(&bob).await.json().await.unwrap();
    let path = format!("/api/v1/admin/users/{}", bob_me["id"].as_str().unwrap());
    call(
        &app,
        Some(&ann),
        Method::PATCH,
        &path,
        Some(json!({"quota_bytes": 5})),
    )
    .await;
    let (_, log) = get(&app, &ann, "/api/v1/admin/activity").await;
    assert_eq!(log["entries"][0]["action"], "quota_change");
    assert_eq!(log["entries"][0]["name"], "bob@example.com");
    assert_eq!(log["entries"][0]["actor_email"], "ann@example.com");
}

#[tokio::test]
async fn the_storage_history_has_todays_sample() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    upload(&app, &ann, "a.txt", &root, b"hello").await;
    upload(&app, &ann, "b.txt", &root, b"hello").await;
    upload(&app, &ann, "a.txt", &root, b"hello again").await;
    let (status, days) = get(&app, &ann, "/api/v1/admin/storage?days=7").await;
    assert_eq!(status, 200, "{days}");
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let last = days.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["day"], today);
    assert_eq!(last["logical_bytes"], 5 + 5 + 11);
    assert_eq!(last["stored_bytes"], 5 + 11);
    assert_eq!(last["files"], 2);
    assert_eq!(last["uploads"], 3);
    assert_eq!(last["uploaded_bytes"], 21);
    let (status, _) = get(&app, &ann, "/api/v1/admin/storage?days=many").await;
    assert_eq!(status, 400);
}
