//! Hostile files for the converters: each fails alone with the limit it met as its reason,
//! or converts without doing what it asks (a macro, a remote or local picture), while the
//! worker lives and the file stays downloadable.

use crate::{
    converted::made,
    helpers::{spawn_app_with, TestApp},
    previews::{job_of, thumbnail},
    transfer::{download, upload},
};

/// Uploads `name`, runs the jobs, and returns the thumbnail job's (state, reason).
async fn tried(
    app: &TestApp,
    bearer: &str,
    root: &str,
    name: &str,
    bytes: &[u8],
) -> (String, String) {
    let id = upload(app, bearer, name, root, bytes).await;
    app.run_jobs().await;
    let (state, error) = job_of(app, &id).await;
    let whole = download(app, bearer, &id, None).await;
    assert_eq!(whole.status(), 200, "{name} still downloads");
    assert_eq!(
        whole.bytes().await.unwrap().as_ref(),
        bytes,
        "{name} unchanged"
    );
    (state, error.unwrap_or_default())
}

#[tokio::test]
async fn a_conversion_past_its_time_or_memory_fails_alone_with_that_reason() {
    let fx = made();
    let app = spawn_app_with(|s| {
        s.previews.convert_timeout_secs = 1;
    })
    .await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (state, reason) = tried(&app, &ann, &root, "long.docx", &fx.bytes("long.docx")).await;
    assert_eq!(state, "failed");
    assert!(reason.contains("took longer than 1 s"), "{reason}");

    let app = spawn_app_with(|s| s.previews.convert_memory_mb = 1024).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (state, reason) = tried(&app, &ann, &root, "bomb.xlsx", &fx.bytes("bomb.xlsx")).await;
    assert_eq!(state, "failed");
    assert!(reason.contains("more than 1024 MB of memory"), "{reason}");
    // The worker lives on: the next document converts.
    let id = upload(&app, &ann, "report.docx", &root, &fx.bytes("report.docx")).await;
    let ran = app.run_jobs().await;
    assert!(ran.iter().all(|r| r.state == "done"), "{ran:?}");
    assert_eq!(thumbnail(&app, &ann, &id, 256).await.status(), 200);
}

#[tokio::test]
async fn macros_never_run_and_remote_or_local_pictures_are_never_loaded() {
    let fx = made();
    let app = spawn_app_with(|_| {}).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    for name in ["macro.odt", "remote.odt", "local.odt"] {
        let (state, reason) = tried(&app, &ann, &root, name, &fx.bytes(name)).await;
        assert_eq!(state, "done", "{name} converts all the same: {reason}");
    }
    assert!(
        !fx.dir.join("macro-ran.txt").exists(),
        "the macro never ran"
    );
    assert_eq!(
        fx.reached.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "no connection"
    );
    assert!(!fx.secret_was_read(), "the local picture was never read");
}

#[tokio::test]
async fn a_broken_video_or_photo_fails_with_a_reason_people_understand() {
    let fx = made();
    let app = spawn_app_with(|_| {}).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let mut clip = fx.bytes("clip.mp4");
    clip.truncate(clip.len() / 4);
    clip[..64].fill(0x5a);
    let (state, reason) = tried(&app, &ann, &root, "broken.mp4", &clip).await;
    assert_eq!(state, "failed");
    assert!(reason.contains("damaged or not a video"), "{reason}");
    let (state, reason) = tried(&app, &ann, &root, "broken.heic", b"not a photo at all").await;
    assert_eq!(state, "failed");
    assert!(reason.contains("damaged or not a HEIC photo"), "{reason}");
    let (state, reason) = tried(&app, &ann, &root, "broken.svg", b"<svg><unclosed").await;
    assert_eq!(state, "failed");
    assert!(
        reason.contains("SVG renderer could not read this file"),
        "{reason}"
    );
}

#[tokio::test]
async fn with_a_converter_turned_off_its_files_stay_plain_files() {
    let fx = made();
    let app = spawn_app_with(|s| {
        s.previews.office = false;
        s.previews.video = false;
    })
    .await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    for name in ["report.docx", "clip.mp4"] {
        let (state, reason) = tried(&app, &ann, &root, name, &fx.bytes(name)).await;
        assert_eq!(state, "failed", "{name}");
        assert!(
            reason.contains("turned off on this server"),
            "{name}: {reason}"
        );
    }
}
