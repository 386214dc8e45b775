//! Public links: made by those who may share, opened by anyone with the token; password (rate
//! limited), expiry, download limit, revocation; a folder link reaches only what is below it.

use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::{
    helpers::{assert_error, spawn_app, TestApp},
    sharing::{call, granted},
    transfer::upload,
};

async fn make_link(app: &TestApp, bearer: &str, node: &str, body: Value) -> reqwest::Response {
    call(
        app,
        Some(bearer),
        Method::POST,
        &format!("/api/v1/nodes/{node}/links"),
        Some(body),
    )
    .await
}

/// A new link that must be made; returns its JSON.
async fn link(app: &TestApp, bearer: &str, node: &str, body: Value) -> Value {
    let response = make_link(app, bearer, node, body).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// A visitor with no account (a fresh cookie jar).
fn visitor() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

async fn get(app: &TestApp, client: &Client, path: &str) -> reqwest::Response {
    client.get(app.url(path)).send().await.unwrap()
}

#[tokio::test]
async fn a_file_link_downloads_without_an_account_and_its_page_names_only_the_file() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let private = app.folder(&ann, &root, "Private").await;
    let file = upload(&app, &ann, "report.pdf", &private, b"%PDF-1.4 report").await;
    let made = link(&app, &ann, &file, json!({})).await;
    let token = made["token"].as_str().unwrap();
    assert_eq!(token.len(), 22, "128 random bits");
    assert_eq!(made["url"], format!("/s/{token}"));
    assert_eq!(made["role"], "viewer");

    let someone = visitor();
    let bytes = get(&app, &someone, &format!("/s/{token}/content")).await;
    assert_eq!(bytes.status(), 200);
    assert_eq!(bytes.headers()["x-robots-tag"], "noindex");
    assert_eq!(bytes.bytes().await.unwrap().as_ref(), b"%PDF-1.4 report");
    let page = get(&app, &someone, &format!("/s/{token}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("report.pdf") && html.contains("og:title"),
        "the file's name and a preview title"
    );
    assert!(html.contains("noindex"));
    assert!(!html.contains("Private"), "nothing of the folders above it");
    // Only the linked file: its folder's other files are not reachable with ?id=.
    let other = upload(&app, &ann, "other.txt", &private, b"other").await;
    let beside = get(&app, &someone, &format!("/s/{token}/content?id={other}")).await;
    assert_error(beside, 404, "not_found").await;
    let unknown = get(&app, &someone, "/s/AAAAAAAAAAAAAAAAAAAAAA/content").await;
    assert_error(unknown, 404, "not_found").await;
}

#[tokio::test]
async fn a_folder_link_lists_and_downloads_below_it_and_nothing_outside() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let album = app.folder(&ann, &root, "Album").await;
    let inner = app.folder(&ann, &album, "Day 1").await;
    let photo = upload(&app, &ann, "beach.jpg", &inner, b"sand").await;
    let outside = upload(&app, &ann, "secret.txt", &root, b"secret").await;
    let token = link(&app, &ann, &album, json!({"role": "viewer"})).await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let someone = visitor();
    let inside = get(&app, &someone, &format!("/s/{token}/content?id={photo}")).await;
    assert_eq!(inside.bytes().await.unwrap().as_ref(), b"sand");
    assert_error(
        get(&app, &someone, &format!("/s/{token}/content?id={outside}")).await,
        404,
        "not_found",
    )
    .await;
    let zip = get(&app, &someone, &format!("/s/{token}/content")).await;
    assert_eq!(zip.headers()["content-type"], "application/zip");
    let page = get(&app, &someone, &format!("/s/{token}?folder={inner}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("beach.jpg") && page.contains("Day 1"),
        "browsing inside the folder"
    );
    let page = get(&app, &someone, &format!("/s/{token}?folder={root}")).await;
    assert_eq!(page.status(), 404, "the owner's root is not below the link");
}

#[tokio::test]
async fn a_password_is_asked_first_and_wrong_guesses_are_rate_limited() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let file = upload(&app, &ann, "plans.txt", &root, b"the plans").await;
    let made = link(&app, &ann, &file, json!({"password": "open sesame"})).await;
    assert_eq!(made["has_password"], true);
    let token = made["token"].as_str().unwrap().to_owned();
    let someone = visitor();
    let locked = get(&app, &someone, &format!("/s/{token}/content")).await;
    assert_error(locked, 401, "password_required").await;
    let page = get(&app, &someone, &format!("/s/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("This link is protected") && !page.contains("plans.txt"),
        "no name before the password"
    );

    let unlock = |password: &str| {
        let body = json!({"password": password});
        someone
            .post(app.url(&format!("/s/{token}/unlock")))
            .json(&body)
            .send()
    };
    let wrong = unlock("open barley").await.unwrap();
    let body = assert_error(wrong, 401, "password_required").await;
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not right"));
    assert_eq!(unlock("open sesame").await.unwrap().status(), 204);
    let open = get(&app, &someone, &format!("/s/{token}/content")).await;
    assert_eq!(
        open.bytes().await.unwrap().as_ref(),
        b"the plans",
        "this browser is let in"
    );

    // Ten wrong guesses from one address (the one above counts): the next is refused,
    // even with the right password, for a while.
    let stranger = visitor();
    for _ in 0..9 {
        let r = stranger
            .post(app.url(&format!("/s/{token}/unlock")))
            .json(&json!({"password": "guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let limited = stranger
        .post(app.url(&format!("/s/{token}/unlock")))
        .json(&json!({"password": "open sesame"}))
        .send()
        .await
        .unwrap();
    assert_error(limited, 429, "rate_limited").await;
}

#[tokio::test]
async fn expired_used_up_and_revoked_links_say_they_are_no_longer_available() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let file = upload(&app, &ann, "once.txt", &root, b"once").await;
    let someone = visitor();

    let once = link(&app, &ann, &file, json!({"max_downloads": 1})).await;
    let token = once["token"].as_str().unwrap();
    // Read whole: a download cut short before its bytes left counts only what was sent.
    let first = get(&app, &someone, &format!("/s/{token}/content")).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.bytes().await.unwrap().as_ref(), b"once");
    assert_error(
        get(&app, &someone, &format!("/s/{token}/content")).await,
        410,
        "gone",
    )
    .await;
    let page = get(&app, &someone, &format!("/s/{token}")).await;
    assert_eq!(page.status(), 410);
    let html = page.text().await.unwrap();
    assert!(html.contains("This link is no longer available") && !html.contains("once.txt"));

    let soon = (chrono::Utc::now() + chrono::Duration::seconds(1)).to_rfc3339();
    let expiring = link(&app, &ann, &file, json!({"expires_at": soon})).await;
    let token = expiring["token"].as_str().unwrap();
    app.exec(&format!(
        "UPDATE share_links SET expires_at = '2020-01-01T00:00:00Z' WHERE token = '{token}'"
    ))
    .await;
    assert_error(
        get(&app, &someone, &format!("/s/{token}/content")).await,
        410,
        "gone",
    )
    .await;

    let revoked = link(&app, &ann, &file, json!({})).await;
    let (id, token) = (
        revoked["id"].as_str().unwrap(),
        revoked["token"].as_str().unwrap(),
    );
    assert_eq!(
        get(&app, &someone, &format!("/s/{token}/content"))
            .await
            .status(),
        200
    );
    let gone = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/links/{id}"),
        None,
    )
    .await;
    assert_eq!(gone.status(), 204);
    assert_error(
        get(&app, &someone, &format!("/s/{token}/content")).await,
        410,
        "gone",
    )
    .await;
    let list: Value = call(
        &app,
        Some(&ann),
        Method::GET,
        &format!("/api/v1/nodes/{file}/links"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "the revoked one is not listed"
    );

    // A trashed item's links stop too.
    let live = link(&app, &ann, &file, json!({})).await;
    call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/nodes/{file}"),
        None,
    )
    .await;
    let token = live["token"].as_str().unwrap();
    assert_error(
        get(&app, &someone, &format!("/s/{token}/content")).await,
        410,
        "gone",
    )
    .await;
}

#[tokio::test]
async fn only_those_who_may_share_make_links_and_bad_options_are_explained() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (eve, _) = app.user_with_root("eve@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let folder = app.folder(&ann, &root, "Team").await;
    granted(&app, &ann, &folder, "eve@example.com", "editor").await;
    assert_error(
        make_link(&app, &eve, &folder, json!({})).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        make_link(&app, &bob, &folder, json!({})).await,
        404,
        "not_found",
    )
    .await;
    let cases = [
        (json!({"role": "owner"}), "viewer, uploader or editor"),
        (json!({"expires_at": "2020-01-01T00:00:00Z"}), "future"),
        (json!({"max_downloads": 0}), "at least one"),
        (json!({"password": "abc"}), "at least 4"),
    ];
    for (body, says) in cases {
        let response = make_link(&app, &ann, &folder, body.clone()).await;
        let error = assert_error(response, 400, "validation").await;
        assert!(
            error["error"]["message"].as_str().unwrap().contains(says),
            "{body}: {error}"
        );
    }
    assert_error(
        make_link(&app, &ann, &root, json!({})).await,
        400,
        "validation",
    )
    .await;
    let file = upload(&app, &ann, "a.txt", &folder, b"a").await;
    let on_file = make_link(&app, &ann, &file, json!({"role": "uploader"})).await;
    let error = assert_error(on_file, 400, "validation").await;
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Only a folder"));
}

/// A tus creation through a link, with the whole body.
async fn send_through(
    app: &TestApp,
    client: &Client,
    token: &str,
    name: &str,
    parent: &str,
    body: &[u8],
) -> reqwest::Response {
    client
        .post(app.url(&format!("/s/{token}/uploads")))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", body.len().to_string())
        .header("upload-metadata", crate::transfer::metadata(name, parent))
        .header("content-type", "application/offset+octet-stream")
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_drop_box_takes_files_keeps_both_on_a_clash_and_shows_nothing() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let inbox = app.folder(&ann, &root, "Inbox").await;
    upload(&app, &ann, "cv.pdf", &inbox, b"ann's own").await;
    let made = link(&app, &ann, &inbox, json!({"role": "uploader"})).await;
    let token = made["token"].as_str().unwrap().to_owned();
    let someone = visitor();

    // parent_id in the metadata is ignored: it goes into the linked folder.
    let sent = send_through(&app, &someone, &token, "cv.pdf", &root, b"a candidate").await;
    assert_eq!(sent.status(), 201);
    assert!(sent.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with(&format!("/s/{token}/uploads/")));
    let mut names = app.names(&ann, &inbox, "").await;
    names.sort();
    assert_eq!(
        names,
        vec!["cv (1).pdf", "cv.pdf"],
        "nothing there was replaced"
    );
    assert_eq!(app.names(&ann, &root, "").await, vec!["Inbox"]);

    // A big file in pieces, PATCHed through the link's own upload URL.
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    let created = someone
        .post(app.url(&format!("/s/{token}/uploads")))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", big.len().to_string())
        .header(
            "upload-metadata",
            crate::transfer::metadata("video.bin", &inbox),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    for (i, chunk) in big.chunks(1_000_000).enumerate() {
        let patched = someone
            .patch(app.url(&location))
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", (i * 1_000_000).to_string())
            .header("content-type", "application/offset+octet-stream")
            .body(chunk.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(patched.status(), 204, "piece {i}");
    }
    assert!(app
        .names(&ann, &inbox, "")
        .await
        .contains(&"video.bin".to_owned()));
    let me: Value = app.me(&ann).await.json().await.unwrap();
    assert_eq!(
        me["used_bytes"],
        9 + 11 + 3_000_000,
        "the owner's quota pays"
    );

    // The holder of a drop box sees nothing of what is in it.
    assert_error(
        get(&app, &someone, &format!("/s/{token}/content")).await,
        403,
        "forbidden",
    )
    .await;
    let page = get(&app, &someone, &format!("/s/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Inbox") && !page.contains("cv.pdf"),
        "the folder's name only"
    );
    // Nor can another upload of the owner's be reached through the link.
    let own = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(&ann)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "10")
        .header(
            "upload-metadata",
            crate::transfer::metadata("mine.bin", &root),
        )
        .send()
        .await
        .unwrap();
    let own = own.headers()["location"]
        .to_str()
        .unwrap()
        .replace("/api/v1/uploads/", "");
    let probe = someone
        .head(app.url(&format!("/s/{token}/uploads/{own}")))
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(probe.status(), 404, "an upload outside the linked folder");
}

#[tokio::test]
async fn a_viewer_link_takes_no_uploads_and_a_protected_one_only_after_its_password() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let folder = app.folder(&ann, &root, "Shared").await;
    let someone = visitor();
    let viewer = link(&app, &ann, &folder, json!({})).await;
    let token = viewer["token"].as_str().unwrap();
    let refused = send_through(&app, &someone, token, "x.txt", &folder, b"x").await;
    assert_error(refused, 403, "forbidden").await;

    let protected = link(
        &app,
        &ann,
        &folder,
        json!({"role": "editor", "password": "letmein"}),
    )
    .await;
    let token = protected["token"].as_str().unwrap();
    let locked = send_through(&app, &someone, token, "x.txt", &folder, b"x").await;
    assert_error(locked, 401, "password_required").await;
    let unlock = someone
        .post(app.url(&format!("/s/{token}/unlock")))
        .json(&json!({"password": "letmein"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unlock.status(), 204);
    assert_eq!(
        send_through(&app, &someone, token, "x.txt", &folder, b"x")
            .await
            .status(),
        201
    );
    let listed = get(&app, &someone, &format!("/s/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        listed.contains("x.txt"),
        "an editor link shows what is there"
    );
    assert_eq!(app.names(&ann, &folder, "").await, vec!["x.txt"]);
}
