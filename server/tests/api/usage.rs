//! Storage usage under uploads side by side: every byte counted once, and a quota that two
//! uploads at once cannot both slip under.

use base64::{engine::general_purpose::STANDARD, Engine};
use futures::future::join_all;

use crate::helpers::{spawn_app, TestApp};

/// A new file of `size` bytes in one tus request; the status code.
async fn upload(app: &TestApp, bearer: &str, folder: &str, name: &str, size: usize) -> u16 {
    let metadata = format!(
        "filename {},parent_id {}",
        STANDARD.encode(name),
        STANDARD.encode(folder)
    );
    app.client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(bearer)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", size.to_string())
        .header("upload-metadata", metadata)
        .header("content-type", "application/offset+octet-stream")
        .body(vec![b'g'; size])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn used(app: &TestApp, bearer: &str) -> i64 {
    let me: serde_json::Value = app.me(bearer).await.json().await.unwrap();
    me["used_bytes"].as_i64().unwrap()
}

#[tokio::test]
async fn uploads_side_by_side_are_all_counted() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let sizes: Vec<usize> = (1..=24).map(|i| i * 100).collect();
    let statuses = join_all(sizes.iter().enumerate().map(|(i, size)| {
        let (app, ann, root) = (&app, &ann, &root);
        async move { upload(app, ann, root, &format!("file {i}.bin"), *size).await }
    }))
    .await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let total: usize = sizes.iter().sum();
    assert_eq!(used(&app, &ann).await, total as i64);
    // Purging gives the bytes back.
    let listing: serde_json::Value = app.children(&ann, &root, "").await.json().await.unwrap();
    let first = listing["items"][0]["id"].as_str().unwrap().to_owned();
    let size = listing["items"][0]["size"].as_i64().unwrap();
    let trashed = app
        .client
        .delete(app.url(&format!("/api/v1/nodes/{first}")))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    assert!(trashed.status().is_success());
    let purged = app
        .client
        .delete(app.url(&format!("/api/v1/trash/{first}")))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    assert!(purged.status().is_success(), "{}", purged.status());
    assert_eq!(used(&app, &ann).await, total as i64 - size);
}

#[tokio::test]
async fn uploads_at_once_cannot_pass_the_quota_together() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    app.exec("UPDATE users SET quota_bytes = 1000").await;
    let statuses = join_all((0..12).map(|i| {
        let (app, ann, root) = (&app, &ann, &root);
        async move { upload(app, ann, root, &format!("part {i}.bin"), 200).await }
    }))
    .await;
    let stored = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 507).count();
    assert_eq!((stored, refused), (5, 7), "{statuses:?}");
    assert_eq!(used(&app, &ann).await, 1000);
    let names = app.names(&ann, &root, "").await;
    assert_eq!(
        names.len(),
        5,
        "only the stored files are listed: {names:?}"
    );
}
