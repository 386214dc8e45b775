//! Uploads staged in S3 (SeaweedFS, started by the test script): any node continues an
//! upload another node began, nothing waits on a node's disk, a failed checksum changes
//! nothing, small and empty files, dedup, concatenation and termination leave no debris.

use futures::TryStreamExt;
use sha2::{Digest, Sha256};

use crate::{
    helpers::{assert_error, spawn_app_with, spawn_node, TestApp},
    storage::s3_settings,
    transfer::{create, download, head, location, node_id, patch, upload},
};

async fn s3_app() -> Option<TestApp> {
    let Some(s3) = s3_settings() else {
        eprintln!("TEST_S3_ENDPOINT is not set: uploads staged in S3 not tested in this run");
        return None;
    };
    Some(spawn_app_with(|s| s.storage = s3).await)
}

/// The keys under `prefix` in the app's storage.
async fn keys(app: &TestApp, prefix: &str) -> Vec<String> {
    let listed: Vec<(String, _)> = app.blobs().list(prefix).try_collect().await.unwrap();
    listed.into_iter().map(|(key, _)| key).collect()
}

fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir.join("uploads")).map_or(0, |d| d.count())
}

#[tokio::test]
async fn an_upload_begun_on_one_node_is_finished_on_another() {
    let Some(first) = s3_app().await else { return };
    let (ann, root) = first.user_with_root("ann@example.com").await;
    // 2 parts of 8 MiB and a bit: parts, tails, and a last part that is not full.
    let content: Vec<u8> = (0..(17 << 20) + 12_345u32)
        .map(|i| (i * 7 % 253) as u8)
        .collect();
    let created = create(&first, &ann, "video.mp4", &root, content.len()).await;
    assert_eq!(created.status(), 201);
    let at = location(&created);

    let sent = patch(&first, &ann, &at, 0, &content[..3_000_000]).await;
    assert_eq!(
        sent.headers()["upload-offset"],
        "3000000",
        "a tail, no part yet"
    );
    let sent = patch(
        &first,
        &ann,
        &at,
        3_000_000,
        &content[3_000_000..10_000_000],
    )
    .await;
    assert_eq!(
        sent.headers()["upload-offset"],
        "10000000",
        "one part and a tail"
    );
    assert_eq!(
        files_in(&first.data_dir),
        0,
        "nothing staged on the node's disk"
    );

    let second = spawn_node(&first).await;
    let wrong = second
        .client
        .patch(second.url(&at))
        .bearer_auth(&ann)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "10000000")
        .header("content-type", "application/offset+octet-stream")
        .header(
            "upload-checksum",
            "sha256 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        )
        .body(content[10_000_000..12_000_000].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 460);
    let status = head(&second, &ann, &at).await;
    assert_eq!(
        status.headers()["upload-offset"],
        "10000000",
        "the bad chunk left nothing"
    );

    let last = patch(&second, &ann, &at, 10_000_000, &content[10_000_000..]).await;
    assert_eq!(last.status(), 204);
    let id = node_id(&last);
    let node: serde_json::Value = first.get_node(&ann, &id).await.json().await.unwrap();
    assert_eq!(node["etag"], format!("\"{:x}\"", Sha256::digest(&content)));
    let body = download(&first, &ann, &id, None)
        .await
        .bytes()
        .await
        .unwrap();
    assert!(body.as_ref() == content.as_slice(), "byte-identical");
    assert!(keys(&first, "staging").await.is_empty(), "no tails left");
    assert_eq!(keys(&first, "b").await.len(), 1, "one object: the blob");
}

#[tokio::test]
async fn small_empty_and_identical_files_on_s3_are_kept_once_in_the_database() {
    let Some(app) = s3_app().await else { return };
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let a = upload(&app, &ann, "a.txt", &root, b"same bytes").await;
    upload(&app, &ann, "b.txt", &root, b"same bytes").await;
    let empty = upload(&app, &ann, "empty.txt", &root, b"").await;
    assert_eq!(app.count("blobs").await, 2);
    assert_eq!(app.count("blob_bytes").await, 2, "once per content");
    assert!(
        keys(&app, "b").await.is_empty(),
        "no object (no S3 request) for a small file"
    );
    let body = download(&app, &ann, &a, None).await.bytes().await.unwrap();
    assert_eq!(body.as_ref(), b"same bytes");
    let body = download(&app, &ann, &empty, None)
        .await
        .bytes()
        .await
        .unwrap();
    assert!(body.is_empty());
}

#[tokio::test]
async fn parts_joined_and_uploads_given_up_on_s3_leave_no_debris() {
    let Some(app) = s3_app().await else { return };
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let content: Vec<u8> = (0..9_000_000u32).map(|i| (i % 241) as u8).collect();
    let mut parts = Vec::new();
    for piece in [&content[..4_000_000], &content[4_000_000..]] {
        let created = app
            .client
            .post(app.url("/api/v1/uploads"))
            .bearer_auth(&ann)
            .header("tus-resumable", "1.0.0")
            .header("upload-length", piece.len().to_string())
            .header("upload-concat", "partial")
            .header("content-type", "application/offset+octet-stream")
            .body(piece.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        parts.push(location(&created));
    }
    let meta = format!(
        "filename {},parent_id {}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "joined.bin"),
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &root)
    );
    let joined = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(&ann)
        .header("tus-resumable", "1.0.0")
        .header("upload-concat", format!("final;{}", parts.join(" ")))
        .header("upload-metadata", meta)
        .send()
        .await
        .unwrap();
    assert_eq!(joined.status(), 201);
    let id = node_id(&joined);
    let body = download(&app, &ann, &id, None).await.bytes().await.unwrap();
    assert!(body.as_ref() == content.as_slice());
    assert_eq!(
        keys(&app, "b").await.len(),
        1,
        "the parts' objects are gone"
    );

    let abandoned = create(&app, &ann, "never.bin", &root, 20_000_000).await;
    let at = location(&abandoned);
    patch(&app, &ann, &at, 0, &content).await;
    let gone = app
        .client
        .delete(app.url(&at))
        .bearer_auth(&ann)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    assert!(keys(&app, "staging").await.is_empty(), "its tail is gone");
    assert_eq!(keys(&app, "b").await.len(), 1);
    let again = patch(&app, &ann, &at, 0, b"x").await;
    assert_error(again, 404, "not_found").await;
}

/// The multipart uploads the app's bucket folder holds open, by object key.
async fn open_multiparts(app: &TestApp) -> Vec<String> {
    let open = app.blobs().open_multiparts("b/").await.unwrap();
    open.into_iter().map(|m| m.key).collect()
}

#[tokio::test]
async fn a_multipart_upload_is_started_by_the_first_part_and_no_unrecorded_one_outlives_the_sweep()
{
    let Some(app) = s3_app().await else { return };
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let content: Vec<u8> = (0..9_000_000u32).map(|i| (i % 239) as u8).collect();

    // Smaller than a part so far: no multipart upload is open in the bucket.
    let at = location(&create(&app, &ann, "big.bin", &root, 20_000_000).await);
    patch(&app, &ann, &at, 0, &content[..1_000_000]).await;
    assert!(open_multiparts(&app).await.is_empty(), "none before a part");
    let small = upload(&app, &ann, "small.txt", &root, b"a few bytes").await;
    assert!(!small.is_empty());
    assert!(
        open_multiparts(&app).await.is_empty(),
        "small files need none"
    );

    // The first whole part starts one, recorded in the upload's row.
    patch(&app, &ann, &at, 1_000_000, &content[1_000_000..]).await;
    let open = open_multiparts(&app).await;
    assert_eq!(open.len(), 1, "one for the upload with a part");
    let live = open[0].clone();

    // What a node killed between starting a multipart upload and recording it leaves: one
    // for an object no upload names, and a second one for the live upload's object.
    let blobs = app.blobs();
    blobs.create_multipart("b/never-recorded").await.unwrap();
    blobs.create_multipart(&live).await.unwrap();
    assert_eq!(open_multiparts(&app).await.len(), 3);

    let uploads = server::files::uploads::Uploads::new(&app.data_dir, &blobs, 1 << 30, 24).unwrap();
    uploads.sweep_expired(&app.db).await.unwrap();
    assert_eq!(
        open_multiparts(&app).await,
        vec![live],
        "the unrecorded ones are aborted, the live upload's is kept"
    );

    // The live upload still finishes, byte-identical.
    let rest: Vec<u8> = (9_000_000..20_000_000u32)
        .map(|i| (i % 239) as u8)
        .collect();
    let last = patch(&app, &ann, &at, 9_000_000, &rest).await;
    assert_eq!(last.status(), 204);
    let id = node_id(&last);
    let body = download(&app, &ann, &id, None).await.bytes().await.unwrap();
    let mut whole = content.clone();
    whole.extend_from_slice(&rest);
    assert!(body.as_ref() == whole.as_slice(), "byte-identical");
    assert!(
        open_multiparts(&app).await.is_empty(),
        "completed, none open"
    );
}
