//! `POST /api/v1/uploads/batch`: many small files in one request, each with its own outcome;
//! a malformed form stores nothing.

use reqwest::Response;
use serde_json::{json, Value};

use crate::{
    helpers::{assert_error, spawn_app, TestApp},
    transfer::download,
};

const BOUNDARY: &str = "gosync-test-boundary-7d1f";
/// The Content-Type of a [`form`].
pub const CONTENT_TYPE: &str = "multipart/form-data; boundary=gosync-test-boundary-7d1f";

/// A multipart body: `(name, bytes)` parts in order.
pub fn form(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, bytes) in parts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"blob\"\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn send(app: &TestApp, bearer: &str, body: Vec<u8>) -> Response {
    app.client
        .post(app.url("/api/v1/uploads/batch"))
        .bearer_auth(bearer)
        .header("content-type", CONTENT_TYPE)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A well-formed batch of `files` (`entry`, bytes): the manifest lists each entry with its
/// length.
async fn batch(app: &TestApp, bearer: &str, files: &[(Value, &[u8])]) -> Response {
    let manifest: Vec<Value> = files
        .iter()
        .map(|(entry, bytes)| {
            let mut entry = entry.clone();
            entry["length"] = json!(bytes.len());
            entry
        })
        .collect();
    let manifest = serde_json::to_vec(&manifest).unwrap();
    let mut parts: Vec<(&str, &[u8])> = vec![("manifest", &manifest)];
    parts.extend(files.iter().map(|(_, bytes)| ("file", *bytes)));
    send(app, bearer, form(&parts)).await
}

async fn content(app: &TestApp, bearer: &str, id: &Value) -> Vec<u8> {
    let response = download(app, bearer, id.as_str().unwrap(), None).await;
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn a_batch_makes_each_file_and_tells_each_ones_outcome() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, bob_root) = app.user_with_root("bob@example.com").await;
    let big = vec![b'x'; 200_000];
    let response = batch(
        &app,
        &ann,
        &[
            (json!({"filename": "a.txt", "parent_id": root}), b"first note"),
            (
                json!({"filename": "b.md", "parent_id": root, "mtime": "1700000000000"}),
                b"# second",
            ),
            (
                json!({"filename": "c.txt", "parent_id": root, "relative_path": "Notes/2026/c.txt"}),
                b"third, in a dropped folder",
            ),
            (json!({"filename": "empty.txt", "parent_id": root}), b""),
            (json!({"filename": "large.bin", "parent_id": root}), &big),
            (json!({"filename": "bad/name.txt", "parent_id": root}), b"refused"),
            (
                json!({"filename": "into bob.txt", "parent_id": bob_root}),
                b"not there for ann",
            ),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let files = body["files"].as_array().expect("an outcome per file");
    assert_eq!(files.len(), 7, "{body}");
    for (n, expected) in [(0, &b"first note"[..]), (1, b"# second"), (3, b"")] {
        assert!(files[n]["error"].is_null(), "{body}");
        assert_eq!(content(&app, &ann, &files[n]["id"]).await, expected);
    }
    assert_eq!(content(&app, &ann, &files[4]["id"]).await, big);
    // The wrong name and the folder she cannot see fail alone, and say why.
    assert_eq!(files[5]["error"]["code"], "validation", "{body}");
    assert_eq!(files[5]["error"]["field"], "filename", "{body}");
    assert!(files[5]["id"].is_null());
    assert_eq!(files[6]["error"]["code"], "not_found", "{body}");
    let mut names = app.names(&ann, &root, "").await;
    names.sort();
    assert_eq!(names, ["Notes", "a.txt", "b.md", "empty.txt", "large.bin"]);
    assert!(app.names(&bob, &bob_root, "").await.is_empty());
    let third: Value = app
        .get_node(&ann, files[2]["id"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(third["name"], "c.txt");
    let second: Value = app
        .get_node(&ann, files[1]["id"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert!(
        second["modified_at"]
            .as_str()
            .is_some_and(|m| m.starts_with("2023-11-14")),
        "the client's mtime: {second}"
    );
    // The same name again is a new version of the same file.
    let again = batch(
        &app,
        &ann,
        &[(
            json!({"filename": "a.txt", "parent_id": root}),
            b"first note, edited",
        )],
    )
    .await;
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["files"][0]["id"], files[0]["id"]);
    assert_eq!(
        content(&app, &ann, &files[0]["id"]).await,
        b"first note, edited"
    );
}

#[tokio::test]
async fn a_malformed_batch_is_refused_whole_and_stores_nothing() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let entry = |length: usize| json!([{"filename": "a.txt", "parent_id": root, "length": length}]);
    let manifest = serde_json::to_vec(&entry(5)).unwrap();
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "a file shorter than announced",
            form(&[("manifest", &manifest), ("file", b"abc")]),
            400,
            "file",
        ),
        (
            "a missing file",
            form(&[("manifest", &manifest)]),
            400,
            "file",
        ),
        (
            "a file too many",
            form(&[("manifest", &manifest), ("file", b"abcde"), ("file", b"x")]),
            400,
            "file",
        ),
        (
            "no manifest first",
            form(&[("file", b"abcde"), ("manifest", &manifest)]),
            400,
            "manifest",
        ),
        (
            "a manifest that is not JSON",
            form(&[("manifest", b"a.txt 5"), ("file", b"abcde")]),
            400,
            "manifest",
        ),
        (
            "an entry with a wrong type",
            form(&[
                (
                    "manifest",
                    br#"[{"filename": "a.txt", "parent_id": "nope", "length": 5}]"#,
                ),
                ("file", b"abcde"),
            ]),
            400,
            "manifest",
        ),
        (
            "an empty batch",
            form(&[("manifest", b"[]")]),
            400,
            "manifest",
        ),
        (
            "a form cut short",
            {
                let mut cut = form(&[("manifest", &manifest), ("file", b"abcde")]);
                cut.truncate(cut.len() - 20);
                cut
            },
            400,
            "body",
        ),
    ];
    for (what, body, status, field) in cases {
        let response = send(&app, &ann, body).await;
        let error = assert_error(response, status, "validation").await;
        assert_eq!(error["error"]["field"], field, "{what}: {error}");
    }
    let too_many: Vec<Value> = (0..101)
        .map(|n| json!({"filename": format!("{n}.txt"), "parent_id": root, "length": 1}))
        .collect();
    let too_many = serde_json::to_vec(&too_many).unwrap();
    let response = send(&app, &ann, form(&[("manifest", &too_many)])).await;
    assert_error(response, 400, "validation").await;
    let huge = json!([{"filename": "a.txt", "parent_id": root, "length": 17u64 << 20}]);
    let huge = serde_json::to_vec(&huge).unwrap();
    let response = send(&app, &ann, form(&[("manifest", &huge)])).await;
    assert_error(response, 413, "too_large").await;
    // Not a form at all, and no one signed in.
    let response = app
        .client
        .post(app.url("/api/v1/uploads/batch"))
        .bearer_auth(&ann)
        .json(&entry(5))
        .send()
        .await
        .unwrap();
    assert_error(response, 415, "unsupported_media_type").await;
    let response = app
        .client
        .post(app.url("/api/v1/uploads/batch"))
        .header("content-type", CONTENT_TYPE)
        .body(form(&[("manifest", &manifest), ("file", b"abcde")]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        app.names(&ann, &root, "").await.is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn files_over_the_quota_fail_alone() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    app.exec("UPDATE users SET quota_bytes = 1000").await;
    let small = vec![b's'; 300];
    let large = vec![b'l'; 1100];
    let response = batch(
        &app,
        &ann,
        &[
            (json!({"filename": "fits.txt", "parent_id": root}), &small),
            (json!({"filename": "over.txt", "parent_id": root}), &large),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert!(body["files"][0]["id"].is_string(), "{body}");
    assert_eq!(
        body["files"][1]["error"]["code"], "quota_exceeded",
        "{body}"
    );
    assert_eq!(app.names(&ann, &root, "").await, ["fits.txt"]);
}
