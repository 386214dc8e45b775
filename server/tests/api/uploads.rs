//! tus uploads and downloads: create, resume, finish into a file or a new version, dedup,
//! quota, termination, every protocol error; Range and ETag on the way out.

use base64::{engine::general_purpose::STANDARD, Engine};
use reqwest::Method;
use serde_json::Value;

use crate::{
    helpers::{assert_error, spawn_app, spawn_app_with, TestApp},
    transfer::{create, download, head, location, metadata, node_id, patch, upload},
};

#[tokio::test]
async fn an_upload_in_pieces_becomes_a_file_in_its_folder() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let content: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 256) as u8).collect();

    let created = create(&app, &ann, "data.bin", &root, content.len()).await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["tus-resumable"], "1.0.0");
    assert_eq!(created.headers()["upload-offset"], "0");
    let at = location(&created);

    let first = patch(&app, &ann, &at, 0, &content[..70_000]).await;
    assert_eq!(first.status(), 204);
    assert_eq!(first.headers()["upload-offset"], "70000");
    let status = head(&app, &ann, &at).await;
    assert_eq!(status.headers()["upload-offset"], "70000");
    assert_eq!(status.headers()["upload-length"], "200000");
    assert_eq!(status.headers()["cache-control"], "no-store");
    assert!(
        app.names(&ann, &root, "").await.is_empty(),
        "not a file until the last byte"
    );

    let last = patch(&app, &ann, &at, 70_000, &content[70_000..]).await;
    assert_eq!(last.status(), 204);
    let id = node_id(&last);
    assert_eq!(app.names(&ann, &root, "").await, vec!["data.bin"]);
    let node: Value = app.get_node(&ann, &id).await.json().await.unwrap();
    assert_eq!(node["kind"], "file");
    assert_eq!(node["size"], 200_000);
    assert_eq!(node["version"], 1);

    let body = download(&app, &ann, &id, None).await;
    assert_eq!(body.status(), 200);
    let etag = body.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(node["etag"], etag.as_str());
    assert_eq!(body.bytes().await.unwrap().to_vec(), content);
    let status = head(&app, &ann, &at).await;
    assert_eq!(status.status(), 404, "a finished upload is gone");
}

#[tokio::test]
async fn the_same_name_again_is_a_new_version_and_the_same_content_is_stored_once() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let first = upload(&app, &ann, "notes.txt", &root, b"first draft").await;
    let second = upload(&app, &ann, "notes.txt", &root, b"second draft").await;
    assert_eq!(first, second, "the same file");
    let node: Value = app.get_node(&ann, &first).await.json().await.unwrap();
    assert_eq!(node["version"], 2);
    assert_eq!(
        download(&app, &ann, &first, None)
            .await
            .bytes()
            .await
            .unwrap()
            .as_ref(),
        b"second draft"
    );
    let old = app
        .client
        .get(app.url(&format!("/api/v1/nodes/{first}/content?version=1")))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    assert_eq!(old.bytes().await.unwrap().as_ref(), b"first draft");

    upload(&app, &ann, "copy of notes.txt", &root, b"second draft").await;
    assert_eq!(app.count("blobs").await, 2, "identical content is one blob");
    let me: Value = app.me(&ann).await.json().await.unwrap();
    assert_eq!(me["used_bytes"], 11 + 12 + 12, "usage counts every version");
}

#[tokio::test]
async fn purging_frees_usage_and_unused_blobs() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let folder = app.folder(&ann, &root, "stuff").await;
    upload(&app, &ann, "a.txt", &folder, b"only here").await;
    upload(&app, &ann, "b.txt", &folder, b"shared").await;
    upload(&app, &ann, "c.txt", &root, b"shared").await;
    app.client
        .delete(app.url(&format!("/api/v1/nodes/{folder}")))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    app.client
        .delete(app.url(&format!("/api/v1/trash/{folder}")))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.count("blobs").await,
        1,
        "the blob c.txt still uses remains"
    );
    let me: Value = app.me(&ann).await.json().await.unwrap();
    assert_eq!(me["used_bytes"], 6);
}

#[tokio::test]
async fn quotas_refuse_uploads_that_do_not_fit() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    app.exec("UPDATE users SET quota_bytes = 100").await;
    assert_error(
        create(&app, &ann, "big.bin", &root, 101).await,
        507,
        "quota_exceeded",
    )
    .await;
    upload(&app, &ann, "fits.bin", &root, &[1u8; 60]).await;
    assert_error(
        create(&app, &ann, "more.bin", &root, 41).await,
        507,
        "quota_exceeded",
    )
    .await;
    assert_eq!(app.count("uploads").await, 0);
}

#[tokio::test]
async fn every_protocol_mistake_gets_its_status_and_changes_nothing() {
    let app = spawn_app_with(|s| s.files.max_upload_bytes = 1000).await;
    let (ann, _) = app.signed_in_user("ann@example.com").await;
    let (bob, _) = app.signed_in_user("bob@example.com").await;
    let root = app.root_id(&ann).await;

    let options = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/uploads"))
        .send()
        .await
        .unwrap();
    assert_eq!(options.headers()["tus-version"], "1.0.0");
    assert!(options.headers()["tus-extension"]
        .to_str()
        .unwrap()
        .contains("creation-with-upload"));
    let extensions = options.headers()["tus-extension"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(extensions.contains("checksum") && extensions.contains("termination"));
    assert_eq!(options.headers()["tus-checksum-algorithm"], "sha1,sha256");
    assert_eq!(options.headers()["tus-max-size"], "1000");

    let no_tus = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(&ann)
        .header("upload-length", "5")
        .header("upload-metadata", metadata("a", &root))
        .send()
        .await
        .unwrap();
    assert_eq!(no_tus.headers()["tus-version"], "1.0.0");
    assert_error(no_tus, 412, "precondition_failed").await;
    assert_error(
        create(&app, &ann, "huge.bin", &root, 1001).await,
        413,
        "too_large",
    )
    .await;
    assert_error(create(&app, &ann, "a/b", &root, 5).await, 400, "validation").await;
    assert_error(
        create(&app, &bob, "sneaky", &root, 5).await,
        404,
        "not_found",
    )
    .await;

    let created = create(&app, &ann, "five.txt", &root, 5).await;
    let at = location(&created);
    assert_error(patch(&app, &ann, &at, 3, b"xy").await, 409, "conflict").await;
    let wrong_type = app
        .client
        .patch(app.url(&at))
        .bearer_auth(&ann)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_error(wrong_type, 415, "unsupported_media_type").await;
    assert_error(
        patch(&app, &ann, &at, 0, b"too long!").await,
        413,
        "too_large",
    )
    .await;
    assert_error(patch(&app, &bob, &at, 0, b"hello").await, 404, "not_found").await;
    assert!(app.names(&ann, &root, "").await.is_empty());

    let gone = app
        .client
        .delete(app.url(&at))
        .bearer_auth(&ann)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    assert_error(patch(&app, &ann, &at, 0, b"hello").await, 404, "not_found").await;
    assert_eq!(app.count("uploads").await, 0);
}

#[tokio::test]
async fn a_patch_of_many_megabytes_is_stored_byte_identical() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    // Larger than the writer's 4 MiB batches, and not a multiple of them: several writes
    // follow one another while the rest of the body arrives.
    let content: Vec<u8> = (0..10_000_003u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let at = location(&create(&app, &ann, "archive.bin", &root, content.len()).await);
    let done = patch(&app, &ann, &at, 0, &content).await;
    assert_eq!(done.status(), 204);
    let id = node_id(&done);
    let body = download(&app, &ann, &id, None).await.bytes().await.unwrap();
    assert_eq!(body.len(), content.len());
    assert!(body.as_ref() == content.as_slice(), "byte-identical");
}

#[tokio::test]
async fn a_connection_dropped_mid_upload_resumes_from_the_servers_offset() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let content: Vec<u8> = (0..4_000_000u32).map(|i| (i % 241) as u8).collect();
    let at = location(&create(&app, &ann, "video.bin", &root, content.len()).await);

    // Send 1.5 MB, then break the connection.
    let sent = content[..1_500_000].to_vec();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = sent
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .chain(std::iter::once(Err(std::io::Error::other("cable pulled"))))
        .collect();
    let broken = app
        .client
        .patch(app.url(&at))
        .bearer_auth(&ann)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .header("content-type", "application/offset+octet-stream")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await;
    assert!(broken.is_err(), "the client saw the connection fail");

    // The server kept what arrived; the client asks where to go on.
    let mut offset = 0;
    for _ in 0..100 {
        let status = head(&app, &ann, &at).await;
        offset = status.headers()["upload-offset"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        if offset > 0 {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(offset > 0 && offset <= 1_500_000, "kept {offset} bytes");
    let done = patch(&app, &ann, &at, offset, &content[offset..]).await;
    assert_eq!(done.status(), 204);
    let id = node_id(&done);
    let body = download(&app, &ann, &id, None).await.bytes().await.unwrap();
    assert!(
        body.as_ref() == content.as_slice(),
        "byte-identical after the resume"
    );
}

#[tokio::test]
async fn unfinished_uploads_expire_and_the_sweep_removes_them() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let at = location(&create(&app, &ann, "stale.bin", &root, 10).await);
    patch(&app, &ann, &at, 0, b"12345").await;
    let id = uuid::Uuid::parse_str(at.rsplit('/').next().unwrap()).unwrap();
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    app.exec_with(
        "UPDATE uploads SET expires_at = $1 WHERE id = $2",
        vec![past.into(), id.into()],
    )
    .await;
    assert_error(patch(&app, &ann, &at, 5, b"67890").await, 404, "not_found").await;

    let uploads =
        server::files::uploads::Uploads::new(&app.data_dir, &app.blobs(), 1 << 30, 24).unwrap();
    assert!(uploads.staged_path(id).exists());
    assert_eq!(uploads.sweep_expired(&app.db).await.unwrap(), 1);
    assert!(
        !uploads.staged_path(id).exists(),
        "the staged bytes are gone"
    );
    assert_eq!(app.count("uploads").await, 0);
}

pub async fn versions(app: &TestApp, bearer: &str, id: &str) -> Vec<Value> {
    let url = app.url(&format!("/api/v1/nodes/{id}/versions"));
    let list: Value = app
        .client
        .get(url)
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list.as_array().unwrap().clone()
}

#[tokio::test]
async fn old_versions_can_be_listed_and_restored_without_rewriting_history() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let id = upload(&app, &ann, "plan.txt", &root, b"v1").await;
    upload(&app, &ann, "plan.txt", &root, b"v2!").await;
    let listed = versions(&app, &ann, &id).await;
    let numbers: Vec<i64> = listed
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![2, 1]);
    assert_eq!(listed[0]["current"], true);
    assert_eq!(listed[1]["size"], 2);

    let url = app.url(&format!("/api/v1/nodes/{id}/versions/1/restore"));
    let restored: Value = app
        .client
        .post(&url)
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(restored["version"], 3);
    assert_eq!(
        download(&app, &ann, &id, None)
            .await
            .bytes()
            .await
            .unwrap()
            .as_ref(),
        b"v1"
    );
    assert_eq!(
        versions(&app, &ann, &id).await.len(),
        3,
        "restoring adds a version"
    );

    let missing = app.url(&format!("/api/v1/nodes/{id}/versions/9/restore"));
    assert_error(
        app.client
            .post(&missing)
            .bearer_auth(&ann)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
    let (bob, _) = app.signed_in_user("bob@example.com").await;
    assert_error(
        app.client
            .post(&url)
            .bearer_auth(&bob)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn only_the_newest_versions_are_kept() {
    let app = spawn_app_with(|s| s.files.keep_versions = 3).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let mut id = String::new();
    for n in 1..=5 {
        id = upload(
            &app,
            &ann,
            "log.txt",
            &root,
            format!("version {n}").as_bytes(),
        )
        .await;
    }
    let numbers: Vec<i64> = versions(&app, &ann, &id)
        .await
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![5, 4, 3]);
    assert_eq!(
        app.count("blobs").await,
        3,
        "dropped versions' blobs are deleted"
    );
    let me: Value = app.me(&ann).await.json().await.unwrap();
    assert_eq!(me["used_bytes"], 9 * 3);
}

#[tokio::test]
async fn a_small_file_can_be_replaced_in_one_request() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let id = upload(&app, &ann, "todo.txt", &root, b"milk").await;
    let url = app.url(&format!("/api/v1/nodes/{id}/content"));
    let put = app
        .client
        .put(&url)
        .bearer_auth(&ann)
        .body("milk, eggs")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let node: Value = put.json().await.unwrap();
    assert_eq!(node["version"], 2);
    assert_eq!(node["size"], 10);
    assert_eq!(
        download(&app, &ann, &id, None)
            .await
            .bytes()
            .await
            .unwrap()
            .as_ref(),
        b"milk, eggs"
    );

    let (bob, _) = app.signed_in_user("bob@example.com").await;
    assert_error(
        app.client
            .put(&url)
            .bearer_auth(&bob)
            .body("mine")
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
    let folder_url = app.url(&format!("/api/v1/nodes/{root}/content"));
    assert_error(
        app.client
            .put(&folder_url)
            .bearer_auth(&ann)
            .body("x")
            .send()
            .await
            .unwrap(),
        400,
        "validation",
    )
    .await;
    app.exec("UPDATE users SET quota_bytes = 20").await;
    assert_error(
        app.client
            .put(&url)
            .bearer_auth(&ann)
            .body("x".repeat(50))
            .send()
            .await
            .unwrap(),
        507,
        "quota_exceeded",
    )
    .await;
    assert_eq!(app.count("uploads").await, 0, "nothing left behind");
}

#[tokio::test]
async fn a_chunk_that_fails_its_checksum_is_discarded_with_460() {
    use sha2::Digest;
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let at = location(&create(&app, &ann, "checked.txt", &root, 10).await);
    let send = |offset: usize, bytes: &'static [u8], checksum: String| {
        app.client
            .patch(app.url(&at))
            .bearer_auth(&ann)
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", offset.to_string())
            .header("content-type", "application/offset+octet-stream")
            .header("upload-checksum", checksum)
            .body(bytes)
            .send()
    };
    let sha256 = |b: &[u8]| format!("sha256 {}", STANDARD.encode(sha2::Sha256::digest(b)));
    let sha1 = |b: &[u8]| format!("sha1 {}", STANDARD.encode(sha1::Sha1::digest(b)));

    let ok = send(0, b"hello", sha256(b"hello")).await.unwrap();
    assert_eq!(ok.status(), 204);
    let bad = send(5, b"world", sha1(b"WORLD")).await.unwrap();
    assert_eq!(bad.status().as_u16(), 460);
    let status = head(&app, &ann, &at).await;
    assert_eq!(
        status.headers()["upload-offset"],
        "5",
        "the bad chunk was discarded"
    );
    let unknown = send(5, b"world", "md5 AAAA".into()).await.unwrap();
    assert_error(unknown, 400, "validation").await;
    let good = send(5, b"world", sha1(b"world")).await.unwrap();
    assert_eq!(good.status(), 204);
    let id = node_id(&good);
    assert_eq!(
        download(&app, &ann, &id, None)
            .await
            .bytes()
            .await
            .unwrap()
            .as_ref(),
        b"helloworld"
    );
}
