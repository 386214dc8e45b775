//! A selection of the drive (files and folders, also from different folders) as one zip.

use crate::{
    downloads::unzip,
    helpers::{assert_error, spawn_app, TestApp},
    transfer::upload,
};

async fn zip(app: &TestApp, bearer: &str, ids: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/zip?ids={ids}")))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_selection_downloads_as_one_zip_with_every_item_at_its_top() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let photos = app.folder(&ann, &root, "Photos").await;
    let trip = app.folder(&ann, &photos, "Trip").await;
    upload(&app, &ann, "beach.jpg", &trip, b"sand").await;
    let notes = upload(&app, &ann, "notes.txt", &root, b"hello").await;
    let other_notes = upload(&app, &ann, "notes.txt", &photos, b"other").await;

    let response = zip(
        &app,
        &ann,
        &format!("{photos},{notes},{other_notes},{notes}"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("GoSync%20download%20%283%20items%29.zip"),
        "{disposition}"
    );
    let length: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), length, "the announced length is exact");
    let entries = unzip(&body);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        // Natural order, case aside.
        vec![
            "notes (1).txt",
            "notes.txt",
            "Photos/",
            "Photos/notes.txt",
            "Photos/Trip/",
            "Photos/Trip/beach.jpg",
        ],
        "the same item twice is in it once; a second notes.txt gets a number"
    );
    assert_eq!(entries[5].1, b"sand");
    assert_eq!(entries[1].1, b"hello");
    assert_eq!(entries[0].1, b"other");
}

#[tokio::test]
async fn a_selection_with_someone_elses_item_or_no_items_is_refused() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, bob_root) = app.user_with_root("bob@example.com").await;
    let mine = upload(&app, &ann, "mine.txt", &root, b"mine").await;
    let secret = upload(&app, &bob, "secret.txt", &bob_root, b"secret").await;
    assert_error(
        zip(&app, &ann, &format!("{mine},{secret}")).await,
        404,
        "not_found",
    )
    .await;
    assert_error(zip(&app, &ann, "").await, 400, "validation").await;
    assert_error(zip(&app, &ann, "not-an-id").await, 400, "validation").await;
    let many = vec![mine.as_str(); 1001].join(",");
    let body = assert_error(zip(&app, &ann, &many).await, 400, "validation").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("1000"));
    let anonymous = app
        .client
        .get(app.url(&format!("/api/v1/zip?ids={mine}")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn downloads_are_sent_as_stored_even_to_a_browser_that_takes_gzip() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let folder = app.folder(&ann, &root, "Docs").await;
    let text = "words ".repeat(10_000);
    let file = upload(&app, &ann, "words.txt", &folder, text.as_bytes()).await;
    for path in [
        format!("/api/v1/zip?ids={folder},{file}"),
        format!("/api/v1/nodes/{folder}/content"),
        format!("/api/v1/nodes/{file}/content"),
    ] {
        let response = app
            .client
            .get(app.url(&path))
            .bearer_auth(&ann)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            response.headers().get("content-encoding").is_none(),
            "{path}"
        );
        let length: usize = response.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let body = response.bytes().await.unwrap();
        assert!(
            length >= 60_000 && body.len() == length,
            "{path}: {length} announced, {} sent",
            body.len()
        );
    }
    let page = app
        .client
        .get(app.url("/login"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.headers()["content-encoding"],
        "gzip",
        "pages are still compressed"
    );
}
