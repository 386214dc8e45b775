//! Previews by the converters: office documents through LibreOffice (thumbnail, pages, text),
//! videos through ffmpeg (poster, duration), SVG drawings rasterised with nothing fetched,
//! HEIC photos through heif-convert, and the words in photos and scans read by tesseract.

use image::GenericImageView;
use serde_json::Value;

use crate::{
    converted::{hostile_svg, made},
    helpers::{spawn_app, spawn_app_with, TestApp},
    previews::{job_of, thumbnail},
    search::{eventually, has},
    transfer::upload,
};

/// A person signed in in the app's browser (for the drive's listing) and by token: (bearer,
/// root folder).
async fn person(app: &TestApp, email: &str) -> (String, String) {
    crate::drive_fns::browser_user(app, email).await;
    let login: Value = app
        .login(email, crate::helpers::PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let bearer = login["access_token"].as_str().unwrap().to_owned();
    let root = app.root_id(&bearer).await;
    (bearer, root)
}

/// How the drive lists `name` (in the browser's root folder): its thumbnail's state.
async fn listed(app: &TestApp, name: &str) -> Value {
    let page: Value = app
        .server_fn("drive/list", &[("sort", "Name"), ("descending", "false")])
        .await
        .json()
        .await
        .unwrap();
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {page}"))["thumb"]
        .clone()
}

async fn picture(app: &TestApp, bearer: &str, id: &str, size: u32) -> image::DynamicImage {
    let response = thumbnail(app, bearer, id, size).await;
    assert_eq!(response.status(), 200, "thumbnail {size} of {id}");
    image::load_from_memory(&response.bytes().await.unwrap()).expect("a thumbnail decodes")
}

async fn page(app: &TestApp, bearer: &str, id: &str, n: u32) -> u16 {
    app.client
        .get(app.url(&format!("/api/v1/nodes/{id}/pages/{n}")))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn office_documents_get_a_thumbnail_pages_and_their_words_found() {
    let fx = made();
    let app = spawn_app().await;
    let (ann, root) = person(&app, "ann@example.com").await;
    let files = [
        ("report.docx", 2, "Zanzibar"),
        ("budget.xlsx", 1, "Marrakesh"),
        ("deck.pptx", 3, "Timbuktu"),
        ("notes.odt", 1, "Kilimanjaro"),
    ];
    let mut ids = Vec::new();
    for (name, _, _) in files {
        ids.push(upload(&app, &ann, name, &root, &fx.bytes(name)).await);
    }
    let ran = app.run_jobs().await;
    assert!(ran.iter().all(|r| r.state == "done"), "{ran:?}");
    for ((name, pages, word), id) in files.iter().zip(&ids) {
        let small = picture(&app, &ann, id, 256).await;
        assert_eq!(small.width().max(small.height()), 256, "{name}");
        // A page is mostly white paper, not an icon.
        let corner = small.get_pixel(2, 2);
        assert!(corner[0] > 200 && corner[1] > 200, "{name}: {corner:?}");
        let thumb = listed(&app, name).await;
        assert_eq!(thumb["Ready"]["pages"], *pages, "{name}: {thumb}");
        assert_eq!(page(&app, &ann, id, *pages).await, 200, "{name}: last page");
        assert_eq!(
            page(&app, &ann, id, *pages + 1).await,
            404,
            "{name}: no more"
        );
        let found = eventually(&app, &ann, &format!("q={word}"), has(name)).await;
        assert!(found["hits"][0]["snippet"].is_array(), "{name}: {found}");
    }
    // The PDF a document became is kept once per content, beside its thumbnails.
    let sha: String = app
        .exec_with(
            "SELECT sha256 FROM nodes WHERE id = $1",
            vec![uuid::Uuid::parse_str(&ids[2]).unwrap().into()],
        )
        .await[0]
        .try_get("", "sha256")
        .unwrap();
    let kept = app
        .blobs()
        .size(&format!("thumbs/{sha}/converted.pdf"))
        .await;
    assert!(kept.is_ok_and(|n| n > 1000), "the deck's PDF is stored");
}

#[tokio::test]
async fn videos_get_a_poster_and_their_length() {
    let fx = made();
    let app = spawn_app().await;
    let (ann, root) = person(&app, "ann@example.com").await;
    for name in ["clip.mp4", "clip.webm"] {
        let id = upload(&app, &ann, name, &root, &fx.bytes(name)).await;
        let ran = app.run_jobs().await;
        assert!(ran.iter().all(|r| r.state == "done"), "{name}: {ran:?}");
        // 320×240 kept (never upscaled), its aspect ratio too.
        let large = picture(&app, &ann, &id, 1024).await;
        assert_eq!(large.dimensions(), (320, 240), "{name}");
        let thumb = listed(&app, name).await;
        assert_eq!(thumb["Ready"]["duration"], 3, "{name}: {thumb}");
    }
}

#[tokio::test]
async fn an_svg_is_drawn_with_nothing_fetched_or_read_and_a_heic_photo_is_shown() {
    let fx = made();
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let svg = upload(&app, &ann, "drawing.svg", &root, &hostile_svg(fx)).await;
    let heic = upload(&app, &ann, "photo.heic", &root, &fx.bytes("photo.heic")).await;
    let ran = app.run_jobs().await;
    assert!(ran.iter().all(|r| r.state == "done"), "{ran:?}");
    let drawn = picture(&app, &ann, &svg, 1024).await;
    assert_eq!(drawn.dimensions(), (1024, 512));
    let blue = drawn.get_pixel(1000, 500);
    assert!(
        blue[2] > 200 && blue[0] < 80,
        "the drawing's blue: {blue:?}"
    );
    assert_eq!(
        fx.reached.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "no connection"
    );
    assert!(!fx.secret_was_read(), "the local picture was never read");
    let photo = picture(&app, &ann, &heic, 1024).await;
    assert_eq!(photo.dimensions(), (1024, 256));
}

#[tokio::test]
async fn the_words_in_a_photo_and_a_scan_are_found_with_their_snippet() {
    let fx = made();
    let app = spawn_app_with(|s| s.previews.ocr = true).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    upload(&app, &ann, "words.png", &root, &fx.bytes("words.png")).await;
    upload(&app, &ann, "scan.pdf", &root, &fx.bytes("scan.pdf")).await;
    let ran = app.run_jobs().await;
    let ocr: Vec<_> = ran.iter().filter(|r| r.kind == "ocr").collect();
    assert_eq!(ocr.len(), 2, "one OCR job each: {ran:?}");
    assert!(ran.iter().all(|r| r.state == "done"), "{ran:?}");
    for (word, name) in [("invoice", "words.png"), ("mombasa", "scan.pdf")] {
        let found = eventually(&app, &ann, &format!("q={word}"), has(name)).await;
        let marked: Vec<String> = found["hits"][0]["snippet"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["hit"] == true)
            .map(|p| p["text"].as_str().unwrap().to_lowercase())
            .collect();
        assert_eq!(marked, [word], "{name}: {found}");
    }
    // With OCR off, a photo gets its thumbnail and nothing is read.
    let off = spawn_app().await;
    let (bob, bob_root) = off.user_with_root("bob@example.com").await;
    let id = upload(&off, &bob, "words.png", &bob_root, &fx.bytes("words.png")).await;
    let ran = off.run_jobs().await;
    assert_eq!(ran.len(), 1, "only the thumbnail: {ran:?}");
    assert_eq!(job_of(&off, &id).await.0, "done");
}
