//! The authorisation matrix of public links: what the holder of each kind of link (viewer,
//! uploader, editor) reaches. Through the API they are anonymous (tests/api/authz_matrix.rs).

use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::{
    helpers::spawn_app,
    sharing::call,
    transfer::{metadata, upload},
};

/// What a public link's holder reaches, by the link's role: (what, request) → [viewer,
/// uploader, editor, editor behind a password not given, expired, revoked]. Nothing else of
/// the API answers them (they are anonymous there: above).
#[tokio::test]
async fn each_kind_of_public_link_reaches_exactly_what_its_role_allows() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let folder = app.folder(&ann, &root, "Linked").await;
    let inner = upload(&app, &ann, "inner.txt", &folder, b"inner").await;
    let outside = upload(&app, &ann, "outside.txt", &root, b"outside").await;
    let picture = image::DynamicImage::ImageRgb8(crate::fixtures::halves(64, 64));
    let png = crate::fixtures::encoded(picture, image::ImageFormat::Png);
    let pic = upload(&app, &ann, "pic.png", &folder, &png).await;
    let doc = upload(&app, &ann, "doc.pdf", &folder, &crate::fixtures::pdf(2)).await;
    let elsewhere = image::DynamicImage::ImageRgb8(crate::fixtures::halves(80, 64));
    let elsewhere = crate::fixtures::encoded(elsewhere, image::ImageFormat::Png);
    let out_pic = upload(&app, &ann, "out.png", &root, &elsewhere).await;
    app.run_jobs().await;
    let own = call(
        &app,
        Some(&ann),
        Method::GET,
        &format!("/api/v1/nodes/{out_pic}/thumbnail"),
        None,
    )
    .await;
    assert_eq!(own.status(), 200, "the outside picture has a thumbnail");
    let mut tokens = Vec::new();
    let mut ids = Vec::new();
    let kinds = [
        json!({"role": "viewer"}),
        json!({"role": "uploader"}),
        json!({"role": "editor"}),
        json!({"role": "editor", "password": "open sesame"}),
        json!({"role": "editor"}),
        json!({"role": "editor"}),
    ];
    for kind in kinds {
        let made = call(
            &app,
            Some(&ann),
            Method::POST,
            &format!("/api/v1/nodes/{folder}/links"),
            Some(kind.clone()),
        )
        .await;
        assert_eq!(made.status(), 201, "{kind} link");
        let made: Value = made.json().await.unwrap();
        tokens.push(made["token"].as_str().unwrap().to_owned());
        ids.push(made["id"].as_str().unwrap().to_owned());
    }
    // The fifth has expired, the sixth is revoked.
    app.exec(&format!(
        "UPDATE share_links SET expires_at = '2020-01-01T00:00:00Z' WHERE token = '{}'",
        tokens[4]
    ))
    .await;
    let revoked = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/links/{}", ids[5]),
        None,
    )
    .await;
    assert_eq!(revoked.status(), 204);
    let rows: Vec<(&str, String, [u16; 6])> = vec![
        (
            "the page",
            "GET /s/{t}".into(),
            [200, 200, 200, 200, 410, 410],
        ),
        (
            "the folder as a zip",
            "GET /s/{t}/content".into(),
            [200, 403, 200, 401, 410, 410],
        ),
        (
            "a file below it",
            format!("GET /s/{{t}}/content?id={inner}"),
            [200, 403, 200, 401, 410, 410],
        ),
        (
            "a file outside it",
            format!("GET /s/{{t}}/content?id={outside}"),
            [404, 403, 404, 401, 410, 410],
        ),
        (
            "a thumbnail below it",
            format!("GET /s/{{t}}/thumbnail?id={pic}&size=256"),
            [200, 403, 200, 401, 410, 410],
        ),
        (
            "a PDF page below it",
            format!("GET /s/{{t}}/pages/2?id={doc}"),
            [200, 403, 200, 401, 410, 410],
        ),
        (
            "a thumbnail outside it",
            format!("GET /s/{{t}}/thumbnail?id={out_pic}&size=256"),
            [404, 403, 404, 401, 410, 410],
        ),
        (
            "an old version below it",
            format!("GET /s/{{t}}/content?id={inner}&version=1"),
            [403, 403, 403, 401, 410, 410],
        ),
        (
            "an upload into it",
            "POST /s/{t}/uploads".into(),
            [403, 201, 201, 401, 410, 410],
        ),
        (
            "the owner's folder through the API",
            format!("GET /api/v1/nodes/{folder}/children"),
            [401, 401, 401, 401, 401, 401],
        ),
    ];
    let mut failures = Vec::new();
    for (what, request, expected) in rows {
        for (i, token) in tokens.iter().enumerate() {
            let (method, path) = request.split_once(' ').unwrap();
            let url = app.url(&path.replace("{t}", token));
            let client = Client::builder().cookie_store(true).build().unwrap();
            let response = if method == "POST" {
                client
                    .post(url)
                    .header("tus-resumable", "1.0.0")
                    .header("upload-length", "2")
                    .header("upload-metadata", metadata("new.txt", &folder))
                    .header("content-type", "application/offset+octet-stream")
                    .body("hi")
                    .send()
                    .await
                    .unwrap()
            } else {
                client.get(url).send().await.unwrap()
            };
            let got = response.status().as_u16();
            if got != expected[i] {
                failures.push(format!(
                    "{what} with a {} link: {got}, expected {}",
                    [
                        "viewer",
                        "uploader",
                        "editor",
                        "protected",
                        "expired",
                        "revoked"
                    ][i],
                    expected[i]
                ));
            }
        }
    }
    let guessed = Client::new()
        .get(app.url("/s/0123456789abcdefghijkl/content"))
        .send()
        .await
        .unwrap();
    assert_eq!(guessed.status(), 404, "a guessed token finds nothing");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
