//! tus beyond the core: folder uploads (`relative_path`), the client's `mtime`, and
//! concatenation (partial uploads sent in parallel, joined by a final one).

use base64::{engine::general_purpose::STANDARD, Engine};
use reqwest::Response;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{
    helpers::{assert_error, spawn_app, TestApp},
    transfer::{download, head, location, node_id, patch},
};

fn encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k} {}", STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// A one-request upload with any metadata and extra headers.
async fn post(
    app: &TestApp,
    bearer: &str,
    meta: &[(&str, &str)],
    body: &[u8],
    extra: &[(&str, &str)],
) -> Response {
    let mut request = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(bearer)
        .header("tus-resumable", "1.0.0")
        .header("upload-metadata", encode(meta));
    request = request
        .header("upload-length", body.len().to_string())
        .header("content-type", "application/offset+octet-stream")
        .body(body.to_vec());
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_relative_path_makes_the_folders_on_the_way_once() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let mut uploads = Vec::new();
    for i in 0..8 {
        let name = format!("{i}.txt");
        let path = format!("Trip/Day {}/{name}", i % 2);
        let (app, ann, root) = (&app, ann.clone(), root.clone());
        uploads.push(async move {
            let meta = [
                ("filename", name.as_str()),
                ("parent_id", root.as_str()),
                ("relative_path", path.as_str()),
            ];
            post(app, &ann, &meta, name.as_bytes(), &[]).await.status()
        });
    }
    let statuses = futures::future::join_all(uploads).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(
        app.names(&ann, &root, "").await,
        vec!["Trip"],
        "one folder, made once"
    );
    let trip: Value = app.children(&ann, &root, "").await.json().await.unwrap();
    let trip = trip["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.names(&ann, &trip, "").await, vec!["Day 0", "Day 1"]);
    let days: Value = app.children(&ann, &trip, "").await.json().await.unwrap();
    let day1 = days["items"][1]["id"].as_str().unwrap();
    assert_eq!(
        app.names(&ann, day1, "").await,
        vec!["1.txt", "3.txt", "5.txt", "7.txt"]
    );

    let hostile = [
        ("filename", "x.txt"),
        ("parent_id", root.as_str()),
        ("relative_path", "a/../x.txt"),
    ];
    let refused = assert_error(
        post(&app, &ann, &hostile, b"x", &[]).await,
        400,
        "validation",
    )
    .await;
    assert_eq!(refused["error"]["field"], "relative_path");
    post(
        &app,
        &ann,
        &[("filename", "Notes"), ("parent_id", root.as_str())],
        b"a file",
        &[],
    )
    .await;
    let blocked = [
        ("filename", "x.txt"),
        ("parent_id", root.as_str()),
        ("relative_path", "Notes/x.txt"),
    ];
    assert_error(post(&app, &ann, &blocked, b"x", &[]).await, 409, "conflict").await;
    assert_eq!(app.names(&ann, &root, "").await, vec!["Trip", "Notes"]);
}

#[tokio::test]
async fn the_clients_mtime_becomes_the_files_modified_time() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let meta = [
        ("filename", "old.txt"),
        ("parent_id", root.as_str()),
        ("mtime", "1700000000123"),
    ];
    let created = post(&app, &ann, &meta, b"from 2023", &[]).await;
    let id = node_id(&created);
    let node: Value = app.get_node(&ann, &id).await.json().await.unwrap();
    assert!(
        node["modified_at"]
            .as_str()
            .unwrap()
            .starts_with("2023-11-14T22:13:20.123"),
        "{node}"
    );
    let rfc = [
        ("filename", "b.txt"),
        ("parent_id", root.as_str()),
        ("mtime", "2024-02-29T12:00:00+01:00"),
    ];
    let created = post(&app, &ann, &rfc, b"leap", &[]).await;
    let id = node_id(&created);
    let node: Value = app.get_node(&ann, &id).await.json().await.unwrap();
    assert!(
        node["modified_at"]
            .as_str()
            .unwrap()
            .starts_with("2024-02-29T11:00:00"),
        "{node}"
    );
    let bad = [
        ("filename", "c.txt"),
        ("parent_id", root.as_str()),
        ("mtime", "yesterday"),
    ];
    let refused = assert_error(post(&app, &ann, &bad, b"?", &[]).await, 400, "validation").await;
    assert_eq!(refused["error"]["field"], "mtime");
}

async fn partial(app: &TestApp, bearer: &str, length: usize) -> String {
    let created = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(bearer)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", length.to_string())
        .header("upload-concat", "partial")
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    location(&created)
}

/// The final upload: no length, no body, the parts' URLs in order.
async fn join(app: &TestApp, bearer: &str, parts: &[&str], meta: &[(&str, &str)]) -> Response {
    app.client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(bearer)
        .header("tus-resumable", "1.0.0")
        .header("upload-concat", format!("final;{}", parts.join(" ")))
        .header("upload-metadata", encode(meta))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn partial_uploads_sent_in_parallel_are_joined_into_one_file() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let content: Vec<u8> = (0..3_000_001u32).map(|i| (i * 31 % 256) as u8).collect();
    let pieces = [
        &content[..1_000_000],
        &content[1_000_000..2_500_000],
        &content[2_500_000..],
    ];
    let mut parts = Vec::new();
    for piece in pieces {
        parts.push(partial(&app, &ann, piece.len()).await);
    }
    let sends = parts
        .iter()
        .zip(pieces)
        .map(|(at, piece)| patch(&app, &ann, at, 0, piece));
    for sent in futures::future::join_all(sends).await {
        assert_eq!(sent.status(), 204);
        assert!(
            sent.headers().get("gosync-node-id").is_none(),
            "a part is not a file"
        );
    }
    let status = head(&app, &ann, &parts[0]).await;
    assert_eq!(status.headers()["upload-concat"], "partial");
    assert!(app.names(&ann, &root, "").await.is_empty());

    let options = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/uploads"))
        .send()
        .await
        .unwrap();
    assert!(options.headers()["tus-extension"]
        .to_str()
        .unwrap()
        .contains("concatenation"));

    let full_urls: Vec<String> = parts.iter().map(|p| app.url(p)).collect();
    let urls: Vec<&str> = full_urls.iter().map(String::as_str).collect();
    let meta = [("filename", "joined.bin"), ("parent_id", root.as_str())];
    let joined = join(&app, &ann, &urls, &meta).await;
    assert_eq!(joined.status(), 201);
    assert_eq!(joined.headers()["upload-offset"], "3000001");
    let id = node_id(&joined);
    let node: Value = app.get_node(&ann, &id).await.json().await.unwrap();
    let sha = format!("{:x}", Sha256::digest(&content));
    assert_eq!(node["etag"], format!("\"{sha}\""));
    let body = download(&app, &ann, &id, None).await.bytes().await.unwrap();
    assert!(body.as_ref() == content.as_slice(), "the parts, in order");
    let gone = head(&app, &ann, &parts[1]).await;
    assert_eq!(gone.status(), 404, "joined parts are gone");
    assert_eq!(app.count("uploads").await, 0);
}

#[tokio::test]
async fn only_the_callers_complete_partial_uploads_can_be_joined() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let meta = [("filename", "x.bin"), ("parent_id", root.as_str())];
    let unfinished = partial(&app, &ann, 10).await;
    patch(&app, &ann, &unfinished, 0, b"12345").await;
    let refused = assert_error(
        join(&app, &ann, &[&unfinished], &meta).await,
        400,
        "validation",
    )
    .await;
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("complete"));

    let whole = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(&ann)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "10")
        .header("upload-metadata", encode(&meta))
        .send()
        .await
        .unwrap();
    let whole = location(&whole);
    assert_error(join(&app, &ann, &[&whole], &meta).await, 400, "validation").await;

    let bobs = partial(&app, &bob, 3).await;
    patch(&app, &bob, &bobs, 0, b"bob").await;
    assert_error(join(&app, &ann, &[&bobs], &meta).await, 404, "not_found").await;
    assert_error(
        join(&app, &ann, &["/api/v1/uploads/nonsense"], &meta).await,
        400,
        "validation",
    )
    .await;
    let done = partial(&app, &ann, 2).await;
    patch(&app, &ann, &done, 0, b"ok").await;
    assert_error(
        join(&app, &ann, &[&done, &done], &meta).await,
        400,
        "validation",
    )
    .await;
    assert!(
        app.names(&ann, &root, "").await.is_empty(),
        "nothing was made"
    );
    let bad = post(&app, &ann, &meta, b"", &[("upload-concat", "sideways")]).await;
    assert_error(bad, 400, "validation").await;
}

#[tokio::test]
async fn a_small_file_sent_whole_is_checked_and_stored_at_once() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let meta = [("filename", "note.txt"), ("parent_id", root.as_str())];
    let wrong = format!("sha256 {}", STANDARD.encode(Sha256::digest(b"other")));
    let refused = post(&app, &ann, &meta, b"hello", &[("upload-checksum", &wrong)]).await;
    assert_eq!(refused.status(), 460);
    assert!(
        app.names(&ann, &root, "").await.is_empty(),
        "nothing was made"
    );
    assert_eq!(app.count("blobs").await, 0);

    let right = format!("sha256 {}", STANDARD.encode(Sha256::digest(b"hello")));
    let created = post(&app, &ann, &meta, b"hello", &[("upload-checksum", &right)]).await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["upload-offset"], "5");
    let id = node_id(&created);
    let gone = app
        .client
        .head(app.url(&location(&created)))
        .bearer_auth(&ann)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404, "nothing left to resume");
    assert_eq!(
        download(&app, &ann, &id, None)
            .await
            .bytes()
            .await
            .unwrap()
            .as_ref(),
        b"hello"
    );
    assert_eq!(app.count("uploads").await, 0);
}

#[tokio::test]
async fn parallel_uploads_of_one_name_become_versions_of_one_file() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let sends = (0..8).map(|i| {
        let (app, ann, root) = (&app, ann.clone(), root.clone());
        async move {
            let meta = [("filename", "same.txt"), ("parent_id", root.as_str())];
            post(app, &ann, &meta, format!("draft {i}").as_bytes(), &[])
                .await
                .status()
        }
    });
    let statuses = futures::future::join_all(sends).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(app.names(&ann, &root, "").await, vec!["same.txt"]);
    let list: Value = app.children(&ann, &root, "").await.json().await.unwrap();
    assert_eq!(list["items"][0]["version"], 8);
    assert_eq!(app.count("versions").await, 8);
    let me: Value = app.me(&ann).await.json().await.unwrap();
    assert_eq!(me["used_bytes"], 8 * 7, "every version counted once");
}
