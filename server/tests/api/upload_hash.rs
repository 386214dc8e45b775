//! `Upload-Hash` on a tus creation: a file whose content the uploader can already read is
//! made at once, without its bytes; for anyone else (or any other content) the answer is an
//! ordinary creation, so it reveals nothing.

use sha2::{Digest, Sha256};

use crate::{
    helpers::{assert_error, spawn_app, TestApp},
    sharing::granted,
    transfer::{download, location, metadata, node_id, patch, upload},
};

/// A creation with `Upload-Hash` and no bytes.
async fn by_hash(
    app: &TestApp,
    bearer: &str,
    name: &str,
    parent: &str,
    hash: &str,
    length: usize,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(bearer)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", length.to_string())
        .header("upload-metadata", metadata(name, parent))
        .header("upload-hash", hash)
        .send()
        .await
        .unwrap()
}

fn made_at_once(response: &reqwest::Response) -> bool {
    response.headers().contains_key("gosync-node-id")
}

#[tokio::test]
async fn content_you_can_read_is_not_sent_again_and_content_you_cannot_is_uploaded_as_usual() {
    let app = spawn_app().await;
    let (ann, ann_root) = app.user_with_root("ann@example.com").await;
    let (bob, bob_root) = app.user_with_root("bob@example.com").await;
    let team = app.folder(&ann, &ann_root, "Team").await;
    let content = b"the quarterly figures, all of them".repeat(1000);
    let hash = format!("{:x}", Sha256::digest(&content));
    upload(&app, &ann, "figures.xlsx", &team, &content).await;
    let blobs = app.count("blobs").await;

    // Ann has it: her copy is made at once, in upper case too.
    let copy = by_hash(
        &app,
        &ann,
        "copy.xlsx",
        &ann_root,
        &hash.to_uppercase(),
        content.len(),
    )
    .await;
    assert_eq!(copy.status(), 201);
    assert!(made_at_once(&copy));
    assert_eq!(
        copy.headers()["upload-offset"],
        content.len().to_string().as_str()
    );
    let body = download(&app, &ann, &node_id(&copy), None)
        .await
        .bytes()
        .await
        .unwrap();
    assert!(body.as_ref() == content.as_slice(), "the same bytes");
    assert_eq!(app.count("blobs").await, blobs, "stored once");

    // Bob cannot read it: an ordinary creation, as for content nobody has.
    let unknown = format!("{:x}", Sha256::digest(b"nobody has this"));
    for h in [&hash, &unknown] {
        let created = by_hash(&app, &bob, "figures.xlsx", &bob_root, h, content.len()).await;
        assert_eq!(created.status(), 201);
        assert!(!made_at_once(&created), "nothing revealed");
        assert_eq!(
            created.headers()["upload-offset"],
            "0",
            "the bytes are awaited"
        );
    }
    // A wrong length for Ann's content is an ordinary creation too; the bytes then make it.
    let short = by_hash(&app, &ann, "short.xlsx", &ann_root, &hash, 10).await;
    assert!(!made_at_once(&short));
    let done = patch(&app, &ann, &location(&short), 0, &content[..10]).await;
    assert_eq!(done.status(), 204);

    // Shared with Bob, the content is his to read: made at once for him too.
    granted(&app, &ann, &team, "bob@example.com", "viewer").await;
    let his = by_hash(&app, &bob, "figures.xlsx", &bob_root, &hash, content.len()).await;
    assert!(made_at_once(&his));
    let body = download(&app, &bob, &node_id(&his), None)
        .await
        .bytes()
        .await
        .unwrap();
    assert!(body.as_ref() == content.as_slice());

    // In the trash, it is no longer readable content.
    let (cleo, cleo_root) = app.user_with_root("cleo@example.com").await;
    let own = upload(&app, &cleo, "mine.txt", &cleo_root, b"cleo's own words").await;
    let own_hash = format!("{:x}", Sha256::digest(b"cleo's own words"));
    let path = app.url(&format!("/api/v1/nodes/{own}"));
    let trashed = app
        .client
        .delete(path)
        .bearer_auth(&cleo)
        .send()
        .await
        .unwrap();
    assert_eq!(trashed.status(), 204);
    let again = by_hash(&app, &cleo, "again.txt", &cleo_root, &own_hash, 16).await;
    assert!(!made_at_once(&again));

    for bad in ["abc", &"g".repeat(64), &format!("{hash}00")] {
        let refused = by_hash(&app, &ann, "x.bin", &ann_root, bad, content.len()).await;
        let body = assert_error(refused, 400, "validation").await;
        assert_eq!(body["error"]["field"], "upload_hash");
    }
}

#[tokio::test]
async fn a_small_file_sent_whole_must_have_the_hash_it_announces() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let announced = format!("{:x}", Sha256::digest(b"the notes as they were read"));
    let send = |bytes: &'static [u8], hash: String| {
        app.client
            .post(app.url("/api/v1/uploads"))
            .bearer_auth(&ann)
            .header("tus-resumable", "1.0.0")
            .header("upload-length", bytes.len().to_string())
            .header("upload-metadata", metadata("notes.txt", &root))
            .header("upload-hash", hash)
            .header("content-type", "application/offset+octet-stream")
            .body(bytes)
            .send()
    };
    // Changed after it was hashed (same length): refused, nothing made.
    let torn = send(b"the notes as they were READ", announced.clone())
        .await
        .unwrap();
    assert_error(torn, 460, "checksum_mismatch").await;
    assert_eq!(app.count("nodes").await, 1, "only the root");
    assert_eq!(app.count("uploads").await, 0);

    // As announced: made in that one request.
    let made = send(b"the notes as they were read", announced)
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
    assert!(made_at_once(&made));
    let body = download(&app, &ann, &node_id(&made), None)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(body.as_ref(), b"the notes as they were read");
}
