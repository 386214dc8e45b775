//! What an attacker holding a public link tries (issue "One way in", findings 1 to 3): a drop
//! box must never replace, version or reveal anything; a download limit holds whatever the
//! Range; a link serves only current content.

use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::{
    helpers::{assert_error, spawn_app, TestApp},
    sharing::call,
    transfer::{download, upload},
};

/// Upload metadata, the bytes, and whether they go whole with the creation.
type Attempt<'a> = (Vec<(&'a str, &'a str)>, &'a [u8], bool);

fn visitor() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

async fn link(app: &TestApp, bearer: &str, node: &str, body: Value) -> Value {
    let path = format!("/api/v1/nodes/{node}/links");
    let made = call(app, Some(bearer), Method::POST, &path, Some(body)).await;
    assert_eq!(made.status(), 201);
    made.json().await.unwrap()
}

fn tus_metadata(pairs: &[(&str, &str)]) -> String {
    use base64::{engine::general_purpose::STANDARD, Engine};
    pairs
        .iter()
        .map(|(k, v)| format!("{k} {}", STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// A tus creation through the link; `whole`: with the bytes (else they follow by PATCH).
async fn drop_file(
    app: &TestApp,
    token: &str,
    meta: &[(&str, &str)],
    bytes: &[u8],
    whole: bool,
) -> u16 {
    let someone = visitor();
    let mut request = someone
        .post(app.url(&format!("/s/{token}/uploads")))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", bytes.len().to_string())
        .header("upload-metadata", tus_metadata(meta));
    if whole {
        request = request
            .header("content-type", "application/offset+octet-stream")
            .body(bytes.to_vec());
    }
    let created = request.send().await.unwrap();
    if whole || created.status() != 201 {
        return created.status().as_u16();
    }
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let patched = someone
        .patch(app.url(&location))
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .header("content-type", "application/offset+octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    patched.status().as_u16()
}

async fn text_of(app: &TestApp, bearer: &str, id: &str) -> Vec<u8> {
    download(app, bearer, id, None)
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn a_drop_box_never_replaces_versions_or_reveals_a_file_and_names_itself_as_author() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let inbox = app.folder(&ann, &root, "Inbox").await;
    let sub = app.folder(&ann, &inbox, "Sub").await;
    let cv = upload(&app, &ann, "cv.pdf", &inbox, b"ann's own cv").await;
    let notes = upload(&app, &ann, "notes.txt", &sub, b"ann's notes").await;
    let made = link(
        &app,
        &ann,
        &inbox,
        json!({"role": "uploader", "label": "Applications"}),
    )
    .await;
    assert_eq!(made["label"], "Applications");
    let token = made["token"].as_str().unwrap();
    let link_id = made["id"].as_str().unwrap();
    let big = vec![b'x'; 2_000_000];
    // Every way of naming a file that is there: bare name, relative path, into a subfolder,
    // small (whole) and large (PATCHed), through an uploader and an editor link.
    let attempts: Vec<Attempt> = vec![
        (vec![("filename", "cv.pdf")], b"attacker 1", true),
        (
            vec![("filename", "cv.pdf"), ("relative_path", "cv.pdf")],
            b"attacker 2",
            true,
        ),
        (
            vec![("filename", "cv.pdf"), ("relative_path", "cv.pdf")],
            &big,
            false,
        ),
        (
            vec![
                ("filename", "notes.txt"),
                ("relative_path", "Sub/notes.txt"),
            ],
            b"attacker 3",
            true,
        ),
        (
            vec![
                ("filename", "notes.txt"),
                ("relative_path", "Sub/notes.txt"),
            ],
            &big,
            false,
        ),
    ];
    for (meta, bytes, whole) in &attempts {
        let status = drop_file(&app, token, meta, bytes, *whole).await;
        assert!(status == 201 || status == 204, "{meta:?}: {status}");
    }
    let editor = link(&app, &ann, &inbox, json!({"role": "editor"})).await;
    let status = drop_file(
        &app,
        editor["token"].as_str().unwrap(),
        &[("filename", "cv.pdf")],
        b"editor link",
        true,
    )
    .await;
    assert_eq!(status, 201);

    assert_eq!(
        text_of(&app, &ann, &cv).await,
        b"ann's own cv",
        "the owner's bytes unchanged"
    );
    assert_eq!(text_of(&app, &ann, &notes).await, b"ann's notes");
    for file in [&cv, &notes] {
        let versions: Value = call(
            &app,
            Some(&ann),
            Method::GET,
            &format!("/api/v1/nodes/{file}/versions"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(
            versions.as_array().unwrap().len(),
            1,
            "no version was added"
        );
    }
    let mut names = app.names(&ann, &inbox, "").await;
    names.sort();
    assert_eq!(
        names,
        vec![
            "Sub",
            "cv (1).pdf",
            "cv (2).pdf",
            "cv (3).pdf",
            "cv (4).pdf",
            "cv.pdf"
        ]
    );
    let mut in_sub = app.names(&ann, &sub, "").await;
    in_sub.sort();
    assert_eq!(in_sub, vec!["notes (1).txt", "notes (2).txt", "notes.txt"]);

    // What the link uploaded is the link's, never the owner's.
    let rows = app
        .exec_with(
            "SELECT COUNT(*) AS n FROM activity WHERE link_id = $1 AND actor_id IS NULL AND action = 'upload'",
            vec![uuid::Uuid::parse_str(link_id).unwrap().into()],
        )
        .await;
    assert_eq!(
        rows[0].try_get::<i64>("", "n").unwrap(),
        5,
        "five uploads by the drop box"
    );
    let rows = app
        .exec_with(
            "SELECT COUNT(*) AS n FROM versions WHERE link_id = $1 AND author_id IS NULL",
            vec![uuid::Uuid::parse_str(link_id).unwrap().into()],
        )
        .await;
    assert_eq!(rows[0].try_get::<i64>("", "n").unwrap(), 5);
}

#[tokio::test]
async fn a_download_limit_holds_whatever_the_range_and_previews_do_not_count() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let file = upload(&app, &ann, "data.bin", &root, &data).await;
    let get = |token: String, range: Option<&'static str>| {
        let url = app.url(&format!("/s/{token}/content"));
        async move {
            let mut request = visitor().get(url);
            if let Some(range) = range {
                request = request.header("range", range);
            }
            let response = request.send().await.unwrap();
            (
                response.status().as_u16(),
                response.bytes().await.unwrap().len(),
            )
        }
    };
    // Each trick once on a fresh link of one download: the first whole read, then no more.
    for trick in [
        Some("bytes=-999999999"),
        Some("bytes=junk"),
        Some("bytes=0-"),
        None,
    ] {
        let once = link(&app, &ann, &file, json!({"max_downloads": 1})).await;
        let token = once["token"].as_str().unwrap().to_owned();
        assert_eq!(get(token.clone(), trick).await.1, data.len(), "{trick:?}");
        for again in [
            Some("bytes=-999999999"),
            Some("bytes=junk"),
            Some("bytes=100-"),
            None,
        ] {
            assert_eq!(
                get(token.clone(), again).await.0,
                410,
                "{trick:?} then {again:?}"
            );
        }
    }
    // The same bytes asked for twice in one request are served once, and that was it.
    let once = link(&app, &ann, &file, json!({"max_downloads": 1})).await;
    let token = once["token"].as_str().unwrap().to_owned();
    assert_eq!(get(token.clone(), Some("bytes=0-,0-")).await.1, data.len());
    assert_eq!(get(token.clone(), Some("bytes=0-0")).await.0, 410);
    let once = link(&app, &ann, &file, json!({"max_downloads": 1})).await;
    let token = once["token"].as_str().unwrap().to_owned();
    // A download in pieces fits in one, and no more.
    assert_eq!(
        get(token.clone(), Some("bytes=0-99999")).await,
        (206, 100_000)
    );
    assert_eq!(
        get(token.clone(), Some("bytes=100000-")).await,
        (206, 200_000)
    );
    assert_eq!(get(token.clone(), Some("bytes=0-0")).await.0, 410);
    // Many at once: one whole download between them.
    let once = link(&app, &ann, &file, json!({"max_downloads": 1})).await;
    let token = once["token"].as_str().unwrap().to_owned();
    let all = futures::future::join_all((0..12).map(|_| get(token.clone(), None))).await;
    let served: usize = all.iter().filter(|(s, _)| *s == 200).map(|(_, n)| n).sum();
    assert_eq!(served, data.len(), "{all:?}");

    // Folder zips count; previews do not.
    let folder = app.folder(&ann, &root, "Photos").await;
    let picture = image::DynamicImage::ImageRgb8(crate::fixtures::halves(64, 64));
    let png = crate::fixtures::encoded(picture, image::ImageFormat::Png);
    let pic = upload(&app, &ann, "pic.png", &folder, &png).await;
    app.run_jobs().await;
    let twice = link(&app, &ann, &folder, json!({"max_downloads": 2})).await;
    let token = twice["token"].as_str().unwrap().to_owned();
    for _ in 0..5 {
        let thumb = visitor()
            .get(app.url(&format!("/s/{token}/thumbnail?id={pic}")))
            .send()
            .await
            .unwrap();
        assert_eq!(thumb.status(), 200, "previews are not downloads");
        assert_eq!(
            visitor()
                .get(app.url(&format!("/s/{token}")))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    assert_eq!(get(token.clone(), None).await.0, 200, "the zip");
    assert_eq!(get(token.clone(), None).await.0, 200, "the zip again");
    assert_eq!(get(token.clone(), None).await.0, 410, "two downloads used");
    let listed: Value = call(
        &app,
        Some(&ann),
        Method::GET,
        &format!("/api/v1/nodes/{folder}/links"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(listed[0]["downloads"], 2);
}

#[tokio::test]
async fn a_link_serves_only_the_current_version() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let file = upload(&app, &ann, "contract.txt", &root, b"draft with a typo").await;
    upload(&app, &ann, "contract.txt", &root, b"final").await;
    let made = link(&app, &ann, &file, json!({})).await;
    let token = made["token"].as_str().unwrap();
    let current = visitor()
        .get(app.url(&format!("/s/{token}/content")))
        .send()
        .await
        .unwrap();
    assert_eq!(current.bytes().await.unwrap().as_ref(), b"final");
    for version in ["1", "2"] {
        let old = visitor()
            .get(app.url(&format!("/s/{token}/content?version={version}")))
            .send()
            .await
            .unwrap();
        assert_error(old, 403, "forbidden").await;
    }
}
