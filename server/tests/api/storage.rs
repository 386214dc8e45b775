//! Blob storage on a local directory and on a real S3 server (SeaweedFS, started by
//! `scripts/with-seaweedfs.sh`, which `make test` wraps around the Rust tests).

use bytes::Bytes;
use futures::TryStreamExt;
use server::{
    config::{Secret, StorageKind, StorageSettings},
    storage::{BlobStore, StorageError},
};

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::transfer::node_id;

pub fn s3_settings() -> Option<StorageSettings> {
    let endpoint = std::env::var("TEST_S3_ENDPOINT").ok()?;
    Some(StorageSettings {
        kind: StorageKind::S3,
        bucket: std::env::var("TEST_S3_BUCKET").ok(),
        endpoint: Some(endpoint),
        region: "us-east-1".into(),
        access_key_id: std::env::var("TEST_S3_ACCESS_KEY").ok(),
        secret_access_key: std::env::var("TEST_S3_SECRET_KEY").ok().map(Secret::new),
        // Tests share the bucket: each gets a folder of its own.
        prefix: Some(format!("test-{}", uuid::Uuid::new_v4().simple())),
    })
}

/// Every backend this run can reach: always local; S3 when the test script started one.
fn stores(dir: &std::path::Path) -> Vec<(&'static str, BlobStore)> {
    let mut stores = vec![(
        "local",
        BlobStore::from_settings(&StorageSettings::default(), dir, None).unwrap(),
    )];
    match s3_settings() {
        Some(s3) => stores.push(("s3", BlobStore::from_settings(&s3, dir, None).unwrap())),
        None => eprintln!(
            "TEST_S3_ENDPOINT is not set: S3 storage not tested in this run (make test sets it)"
        ),
    }
    stores
}

/// A server per storage backend this run can reach (S3 when the test script started one).
pub async fn apps() -> Vec<(&'static str, TestApp)> {
    let mut apps = vec![("local", spawn_app().await)];
    match s3_settings() {
        Some(s3) => apps.push(("s3", spawn_app_with(|s| s.storage = s3).await)),
        None => eprintln!("TEST_S3_ENDPOINT is not set: downloads from S3 not tested in this run"),
    }
    apps
}

#[tokio::test]
async fn blobs_round_trip_with_ranges_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    for (kind, store) in stores(dir.path()) {
        let key = format!("test/{}", uuid::Uuid::new_v4());
        store.put(&key, Bytes::from(content.clone())).await.unwrap();
        assert_eq!(
            store.size(&key).await.unwrap(),
            content.len() as u64,
            "{kind}"
        );
        let whole: Vec<Bytes> = store.get(&key).await.unwrap().try_collect().await.unwrap();
        assert_eq!(whole.concat(), content, "{kind}: whole blob");
        let part = store.get_range(&key, 1000..1010).await.unwrap();
        assert_eq!(&part[..], &content[1000..1010], "{kind}: range");
        let tail = store.get_range(&key, 299_990..300_000).await.unwrap();
        assert_eq!(&tail[..], &content[299_990..], "{kind}: last bytes");

        store.delete(&key).await.unwrap();
        assert!(
            matches!(store.size(&key).await, Err(StorageError::NotFound)),
            "{kind}: gone"
        );
        assert!(
            matches!(store.get(&key).await, Err(StorageError::NotFound)),
            "{kind}: gone"
        );
        store.delete(&key).await.unwrap();
        assert!(store.ping().await, "{kind}: answers");
    }
}

#[tokio::test]
async fn health_reports_the_storage_it_runs_on() {
    if let Some(s3) = s3_settings() {
        let app = spawn_app_with(|s| s.storage = s3.clone()).await;
        let health = app.client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(health.status(), 200, "S3 storage answers");
    }
    let unreachable = StorageSettings {
        kind: StorageKind::S3,
        bucket: Some("gosync".into()),
        endpoint: Some("http://127.0.0.1:9".into()),
        ..StorageSettings::default()
    };
    let app = spawn_app_with(|s| s.storage = unreachable).await;
    let alive = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(alive.status(), 200, "the process itself is alive");
    let health = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(health.status(), 503);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["checks"]["storage"], "unavailable");
    assert_eq!(body["checks"]["database"], "ok");

    let app = spawn_app_with(|_| {}).await;
    std::fs::remove_dir_all(app.data_dir.join("blobs")).unwrap();
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        503
    );
}

#[tokio::test]
async fn uploads_and_downloads_work_on_s3() {
    let Some(s3) = s3_settings() else {
        eprintln!(
            "TEST_S3_ENDPOINT is not set: S3 uploads not tested in this run (make test sets it)"
        );
        return;
    };
    let app = spawn_app_with(|s| s.storage = s3.clone()).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    let meta = format!(
        "filename {},parent_id {}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "big.bin"),
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &root)
    );
    let created = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(&ann)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", content.len().to_string())
        .header("upload-metadata", meta)
        .header("content-type", "application/offset+octet-stream")
        .body(content.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let id = node_id(&created);
    let url = app.url(&format!("/api/v1/nodes/{id}/content"));
    let body = app
        .client
        .get(&url)
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(body.len(), content.len());
    assert!(
        body.as_ref() == content.as_slice(),
        "the bytes that went in come out"
    );
    let part = app
        .client
        .get(&url)
        .bearer_auth(&ann)
        .header("range", "bytes=2999990-")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap().as_ref(), &content[2_999_990..]);
}
