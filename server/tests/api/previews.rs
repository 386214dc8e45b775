//! Thumbnails and the viewer's renderings: each format, EXIF orientation, hostile files
//! refused without harm, no new thumbnail for a rename or copy, PDF pages, text.

use image::{DynamicImage, GenericImageView, ImageFormat};
use reqwest::Response;
use serde_json::{json, Value};

use crate::{
    fixtures,
    helpers::{spawn_app, TestApp},
    transfer::{download, upload},
};

pub async fn thumbnail(app: &TestApp, bearer: &str, id: &str, size: u32) -> Response {
    app.client
        .get(app.url(&format!("/api/v1/nodes/{id}/thumbnail?size={size}")))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap()
}

/// The thumbnail job of a file's content: (state, error).
pub async fn job_of(app: &TestApp, id: &str) -> (String, Option<String>) {
    let rows = app
        .exec_with(
            "SELECT state, error FROM jobs WHERE kind = 'thumbnail' AND subject = \
             (SELECT sha256 FROM nodes WHERE id = $1)",
            vec![uuid::Uuid::parse_str(id).unwrap().into()],
        )
        .await;
    let row = rows.first().expect("a thumbnail job");
    (
        row.try_get("", "state").unwrap(),
        row.try_get("", "error").unwrap(),
    )
}

async fn decoded(response: Response) -> (String, DynamicImage) {
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let bytes = response.bytes().await.unwrap();
    (
        kind,
        image::load_from_memory(&bytes).expect("a thumbnail decodes"),
    )
}

#[tokio::test]
async fn every_image_format_gets_thumbnails_in_both_sizes() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let picture = DynamicImage::ImageRgb8(fixtures::halves(1600, 1000));
    let formats = [
        ("photo.jpg", ImageFormat::Jpeg),
        ("drawing.png", ImageFormat::Png),
        ("anim.gif", ImageFormat::Gif),
        ("web.webp", ImageFormat::WebP),
        ("old.bmp", ImageFormat::Bmp),
        ("scan.tiff", ImageFormat::Tiff),
    ];
    let mut ids = Vec::new();
    for (name, format) in formats {
        let bytes = fixtures::encoded(picture.clone(), format);
        ids.push((name, upload(&app, &ann, name, &root, &bytes).await));
    }
    // Nothing yet: the jobs are queued, not run.
    assert_eq!(thumbnail(&app, &ann, &ids[0].1, 256).await.status(), 404);
    let ran = app.run_jobs().await;
    assert_eq!(ran.len(), formats.len());
    assert!(ran.iter().all(|r| r.state == "done"), "{ran:?}");
    for (name, id) in &ids {
        let (kind, small) = decoded(thumbnail(&app, &ann, id, 256).await).await;
        assert_eq!(kind, "image/jpeg", "{name}");
        assert_eq!(small.dimensions(), (256, 160), "{name}");
        let (_, large) = decoded(thumbnail(&app, &ann, id, 1024).await).await;
        assert_eq!(large.dimensions(), (1024, 640), "{name}");
        // Left red, right blue: the picture, not a placeholder.
        let left = small.get_pixel(20, 80);
        let right = small.get_pixel(236, 80);
        assert!(left[0] > 150 && left[2] < 100, "{name}: {left:?}");
        assert!(right[2] > 150 && right[0] < 100, "{name}: {right:?}");
    }
    // Transparency survives (WebP), and a small image is never enlarged.
    let icon = upload(
        &app,
        &ann,
        "icon.png",
        &root,
        &fixtures::translucent_png(40, 30),
    )
    .await;
    app.run_jobs().await;
    let (kind, small) = decoded(thumbnail(&app, &ann, &icon, 1024).await).await;
    assert_eq!(kind, "image/webp");
    assert_eq!(small.dimensions(), (40, 30));
    assert!(small.get_pixel(5, 5)[3] < 200, "alpha kept");
    let wrong = thumbnail(&app, &ann, &icon, 999).await;
    crate::helpers::assert_error(wrong, 400, "validation").await;
}

#[tokio::test]
async fn exif_orientation_turns_the_thumbnail_upright() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let id = upload(&app, &ann, "phone.jpg", &root, &fixtures::rotated_jpeg()).await;
    app.run_jobs().await;
    let (_, small) = decoded(thumbnail(&app, &ann, &id, 256).await).await;
    // 600×400 turned a quarter clockwise: portrait, the left (red) half now on top.
    assert_eq!(small.dimensions(), (171, 256));
    let top = small.get_pixel(85, 20);
    let bottom = small.get_pixel(85, 236);
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom is blue: {bottom:?}"
    );
}

#[tokio::test]
async fn hostile_and_broken_files_fail_their_job_and_stay_downloadable() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let bomb = fixtures::bomb_png();
    let photo = fixtures::encoded(
        DynamicImage::ImageRgb8(fixtures::halves(800, 600)),
        ImageFormat::Jpeg,
    );
    let truncated = photo[..photo.len() / 3].to_vec();
    let files = [
        ("bomb.png", bomb.clone(), "too large to preview"),
        ("cut.jpg", truncated.clone(), "damaged or incomplete"),
        (
            "fake.jpg",
            b"this is not a picture".to_vec(),
            "not an image",
        ),
        (
            "broken.pdf",
            b"%PDF-1.7\nthis is not really a PDF".to_vec(),
            "damaged",
        ),
    ];
    let mut ids = Vec::new();
    for (name, bytes, _) in &files {
        ids.push(upload(&app, &ann, name, &root, bytes).await);
    }
    let ran = app.run_jobs().await;
    let thumbnails = ran.iter().filter(|r| r.kind == "thumbnail").count();
    assert_eq!(
        thumbnails,
        files.len(),
        "each tried once, no retries: {ran:?}"
    );
    // The broken PDF has no text either; its text job fails alone too.
    assert_eq!(ran.len(), files.len() + 1, "{ran:?}");
    for ((name, bytes, reason), id) in files.iter().zip(&ids) {
        let (state, error) = job_of(&app, id).await;
        assert_eq!(state, "failed", "{name}");
        let error = error.unwrap_or_default();
        assert!(error.contains(reason), "{name}: {error}");
        assert_eq!(thumbnail(&app, &ann, id, 256).await.status(), 404, "{name}");
        let whole = download(&app, &ann, id, None).await;
        assert_eq!(whole.status(), 200, "{name} still downloads");
        assert_eq!(whole.bytes().await.unwrap().as_ref(), bytes.as_slice());
    }
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200, "the server kept serving");
    let metrics = app.metrics().await;
    assert!(
        metrics.contains(r#"gosync_jobs{state="failed"} 5"#),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"gosync_jobs{state="queued"} 0"#),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_rename_a_copy_or_the_same_upload_reuses_the_thumbnail() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let bytes = fixtures::encoded(
        DynamicImage::ImageRgb8(fixtures::halves(500, 500)),
        ImageFormat::Png,
    );
    let id = upload(&app, &ann, "a.png", &root, &bytes).await;
    assert_eq!(app.run_jobs().await.len(), 1);
    let first = thumbnail(&app, &ann, &id, 256).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();

    let renamed = app.patch_node(&ann, &id, &json!({"name": "b.png"})).await;
    assert_eq!(renamed.status(), 200);
    let copied = app
        .client
        .post(app.url(&format!("/api/v1/nodes/{id}/copy")))
        .bearer_auth(&ann)
        .json(&json!({"parent_id": root}))
        .send()
        .await
        .unwrap();
    assert_eq!(copied.status(), 201);
    let copy: Value = copied.json().await.unwrap();
    let twin = upload(&app, &ann, "twin.png", &root, &bytes).await;
    assert!(
        app.run_jobs().await.is_empty(),
        "no new job for the same content"
    );
    assert_eq!(app.count("jobs").await, 1);
    for other in [id.as_str(), copy["id"].as_str().unwrap(), twin.as_str()] {
        let again = thumbnail(&app, &ann, other, 256).await;
        assert_eq!(again.status(), 200);
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    }
    // Asked again with its ETag: 304, nothing sent.
    let cached = app
        .client
        .get(app.url(&format!("/api/v1/nodes/{id}/thumbnail?size=256")))
        .bearer_auth(&ann)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), 304);
}

#[tokio::test]
async fn thumbnails_are_only_for_those_who_may_read_the_file() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let bytes = fixtures::encoded(
        DynamicImage::ImageRgb8(fixtures::halves(300, 200)),
        ImageFormat::Png,
    );
    let id = upload(&app, &ann, "private.png", &root, &bytes).await;
    app.run_jobs().await;
    assert_eq!(thumbnail(&app, &ann, &id, 256).await.status(), 200);
    assert_eq!(thumbnail(&app, &bob, &id, 256).await.status(), 404);
    let forged = thumbnail(&app, "not-a-token", &id, 256).await;
    assert_eq!(forged.status(), 401);
    crate::sharing::granted(&app, &ann, &id, "bob@example.com", "viewer").await;
    assert_eq!(thumbnail(&app, &bob, &id, 256).await.status(), 200);
}

#[tokio::test]
async fn pdfs_get_a_first_page_thumbnail_and_every_page_for_the_viewer() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let id = upload(&app, &ann, "report.pdf", &root, &fixtures::pdf(20)).await;
    let ran: Vec<_> = app
        .run_jobs()
        .await
        .into_iter()
        .filter(|r| r.kind == "thumbnail")
        .collect();
    assert_eq!(ran.len(), 1);
    assert_eq!(ran[0].state, "done", "{:?}", job_of(&app, &id).await);
    let (kind, first) = decoded(thumbnail(&app, &ann, &id, 256).await).await;
    assert_eq!(kind, "image/jpeg");
    // A Letter page is portrait.
    let (w, h) = first.dimensions();
    assert_eq!(h, 256);
    assert!(w < h);
    let page = |n: u32| {
        app.client
            .get(app.url(&format!("/api/v1/nodes/{id}/pages/{n}")))
            .bearer_auth(&ann)
            .send()
    };
    let (_, third) = decoded(page(3).await.unwrap()).await;
    assert_eq!(third.height(), 1024);
    // Black text on white: the page has ink on it.
    let dark = third.to_luma8().pixels().filter(|p| p[0] < 100).count();
    assert!(dark > 500, "page 3 shows text ({dark} dark pixels)");
    assert_eq!(page(21).await.unwrap().status(), 404);
    assert_eq!(page(0).await.unwrap().status(), 404);
}

#[tokio::test]
async fn without_libpdfium_pdfs_are_reported_unavailable_and_the_server_runs() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.pdfium_path = Some("/nonexistent/libpdfium.so".into());
    })
    .await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let id = upload(&app, &ann, "report.pdf", &root, &fixtures::pdf(2)).await;
    app.run_jobs().await;
    let (state, error) = job_of(&app, &id).await;
    assert_eq!(state, "failed");
    assert!(error.unwrap_or_default().contains("not available"));
    assert_eq!(download(&app, &ann, &id, None).await.status(), 200);
}

#[tokio::test]
async fn text_gets_a_card_and_the_viewer_gets_it_highlighted() {
    let app = spawn_app().await;
    crate::drive_fns::browser_user(&app, "ann@example.com").await;
    let ann = app.login("ann@example.com", crate::helpers::PASSWORD).await;
    let ann: Value = ann.json().await.unwrap();
    let ann = ann["access_token"].as_str().unwrap().to_owned();
    let root = app.root_id(&ann).await;
    let code = b"fn main() {\n    println!(\"<hello>\");\n}\n";
    let id = upload(&app, &ann, "main.rs", &root, code).await;
    app.run_jobs().await;
    let card = thumbnail(&app, &ann, &id, 256).await;
    assert_eq!(card.status(), 200);
    assert_eq!(card.headers()["content-type"], "image/svg+xml");
    let svg = card.text().await.unwrap();
    assert!(svg.contains("fn main() {"));
    assert!(svg.contains("&lt;hello&gt;"));

    let preview = app.server_fn("drive/text_preview", &[("id", &id)]).await;
    let status = preview.status();
    let preview: Value = preview.json().await.unwrap();
    assert_eq!(status, 200, "{preview}");
    let html = preview["html"].as_str().unwrap();
    assert!(html.contains("hl-"), "highlighted: {html}");
    assert!(html.contains("&lt;hello&gt;") && !html.contains("<hello>"));
    assert_eq!(preview["truncated"], false);
}

#[tokio::test]
async fn the_listing_says_which_thumbnails_are_pending_and_ready() {
    let app = spawn_app().await;
    crate::drive_fns::browser_user(&app, "ann@example.com").await;
    let ann: Value = app
        .login("ann@example.com", crate::helpers::PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let ann = ann["access_token"].as_str().unwrap().to_owned();
    let root = app.root_id(&ann).await;
    upload(&app, &ann, "doc.pdf", &root, &fixtures::pdf(3)).await;
    upload(&app, &ann, "data.bin", &root, b"\x00\x01\x02").await;
    let list = || app.server_fn("drive/list", &[("sort", "Name"), ("descending", "false")]);
    let page: Value = list().await.json().await.unwrap();
    let thumbs: Vec<&Value> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["thumb"])
        .collect();
    assert_eq!(thumbs[0], "None", "data.bin: nothing to preview");
    assert_eq!(thumbs[1], "Pending", "doc.pdf");
    app.run_jobs().await;
    let page: Value = list().await.json().await.unwrap();
    let pdf = &page["entries"][1]["thumb"]["Ready"];
    assert_eq!(pdf["pages"], 3);
    assert_eq!(pdf["tag"].as_str().unwrap().len(), 16);
}

#[tokio::test]
async fn a_links_viewer_reads_text_only_through_a_link_that_may_read() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let folder = app.folder(&ann, &root, "Shared").await;
    let inside = upload(&app, &ann, "notes.md", &folder, b"# Notes\n").await;
    let outside = upload(&app, &ann, "secret.md", &root, b"# Secret\n").await;
    let mut tokens = Vec::new();
    for role in ["viewer", "uploader"] {
        let path = format!("/api/v1/nodes/{folder}/links");
        let made = crate::sharing::call(
            &app,
            Some(&ann),
            reqwest::Method::POST,
            &path,
            Some(json!({"role": role})),
        )
        .await;
        let made: Value = made.json().await.unwrap();
        tokens.push(made["token"].as_str().unwrap().to_owned());
    }
    let ask = |token: &str, id: &str| {
        let form = [("token", token.to_owned()), ("id", id.to_owned())];
        app.client
            .post(app.url("/api/links/text_preview"))
            .header("origin", &app.address)
            .header("accept", "application/json")
            .form(&form)
            .send()
    };
    let seen = ask(&tokens[0], &inside).await.unwrap();
    assert_eq!(seen.status(), 200);
    let seen: Value = seen.json().await.unwrap();
    assert!(seen["html"].as_str().unwrap().contains("Notes"));
    assert_eq!(ask(&tokens[0], &outside).await.unwrap().status(), 404);
    assert_eq!(
        ask(&tokens[1], &inside).await.unwrap().status(),
        403,
        "a drop box shows nothing"
    );
}

/// A renderer that behaves like pdfium on a hostile PDF: it hangs, or it crashes.
fn fake_renderer(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[tokio::test]
async fn a_pdf_that_hangs_or_crashes_its_renderer_fails_alone() {
    let scripts = tempfile::tempdir().unwrap();
    for (script, expected) in [
        ("sleep 30", "long"),
        ("kill -SEGV $$", "stopped on this file"),
    ] {
        let renderer = fake_renderer(scripts.path(), "render", script);
        let app = crate::helpers::spawn_app_with(|s| {
            s.previews.renderer = Some(renderer.clone());
            s.previews.job_timeout_secs = 2;
        })
        .await;
        let (ann, root) = app.user_with_root("ann@example.com").await;
        let id = upload(&app, &ann, "evil.pdf", &root, &fixtures::pdf(1)).await;
        let started = std::time::Instant::now();
        app.run_jobs().await;
        assert!(started.elapsed().as_secs() < 15, "the renderer was stopped");
        let (state, error) = job_of(&app, &id).await;
        assert_eq!(state, "failed", "{script}");
        let error = error.unwrap_or_default();
        assert!(error.contains(expected), "{script}: {error}");
        assert_eq!(download(&app, &ann, &id, None).await.status(), 200);
        let health = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), 200);
    }
}

#[tokio::test]
async fn thumbnails_live_in_the_blob_storage_and_go_with_their_content() {
    for (backend, app) in crate::storage::apps().await {
        let (ann, root) = app.user_with_root("ann@example.com").await;
        let bytes = fixtures::encoded(
            DynamicImage::ImageRgb8(fixtures::halves(400, 300)),
            ImageFormat::Png,
        );
        let id = upload(&app, &ann, "only.png", &root, &bytes).await;
        app.run_jobs().await;
        assert_eq!(
            thumbnail(&app, &ann, &id, 1024).await.status(),
            200,
            "{backend}"
        );
        let sha: String = app
            .exec_with(
                "SELECT sha256 FROM nodes WHERE id = $1",
                vec![uuid::Uuid::parse_str(&id).unwrap().into()],
            )
            .await[0]
            .try_get("", "sha256")
            .unwrap();
        let stored = |key: String| {
            let blobs = app.blobs();
            async move { blobs.size(&key).await.is_ok() }
        };
        assert!(stored(format!("thumbs/{sha}/256")).await, "{backend}");
        assert!(stored(format!("thumbs/{sha}/1024")).await, "{backend}");

        // Deleted for good: the content goes, and its thumbnails and job with it.
        let trashed = crate::sharing::call(
            &app,
            Some(&ann),
            reqwest::Method::DELETE,
            &format!("/api/v1/nodes/{id}"),
            None,
        )
        .await;
        assert_eq!(trashed.status(), 204);
        let purged = crate::sharing::call(
            &app,
            Some(&ann),
            reqwest::Method::DELETE,
            &format!("/api/v1/trash/{id}"),
            None,
        )
        .await;
        assert_eq!(purged.status(), 204, "{backend}");
        assert!(
            !stored(format!("thumbs/{sha}/256")).await,
            "{backend}: thumbnail deleted"
        );
        assert!(!stored(format!("thumbs/{sha}/1024")).await, "{backend}");
        assert_eq!(app.count("jobs").await, 0, "{backend}: its job is gone");
        // The same picture again is previewed again.
        let again = upload(&app, &ann, "again.png", &root, &bytes).await;
        assert_eq!(app.run_jobs().await.len(), 1, "{backend}");
        assert_eq!(
            thumbnail(&app, &ann, &again, 256).await.status(),
            200,
            "{backend}"
        );
    }
}

#[tokio::test]
async fn a_gosync_worker_process_makes_the_thumbnails_of_a_server_without_workers() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let mut worker = std::process::Command::new(env!("CARGO_BIN_EXE_gosync"))
        .arg("worker")
        .arg("--data-dir")
        .arg(&app.data_dir)
        .env("DATABASE_URL", &app.database_url)
        .env("GOSYNC_PREVIEWS__WORKERS", "2")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("gosync worker runs");
    let bytes = fixtures::encoded(
        DynamicImage::ImageRgb8(fixtures::halves(640, 480)),
        ImageFormat::Jpeg,
    );
    let id = upload(&app, &ann, "remote.jpg", &root, &bytes).await;
    // Another process: nothing to call, so ask as the drive does until it is there.
    let mut status = 0;
    for _ in 0..100 {
        status = thumbnail(&app, &ann, &id, 256).await.status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let _ = worker.kill();
    let _ = worker.wait();
    assert_eq!(status, 200, "the worker made the thumbnail");
    let (state, _) = job_of(&app, &id).await;
    assert_eq!(state, "done");
}
