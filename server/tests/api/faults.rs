//! Faults a deployment meets: the database stopped for a while, the object storage stopped,
//! the disk full. What the user sees (503 with `Retry-After` at once, 507 with a clear
//! message, never 500) and what the data looks like afterwards (nothing half-written, uploads
//! in flight resume). Each uses servers of its own (see `outside`); they run in the SQLite
//! pass only (they do not depend on the shared database).

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use crate::{
    helpers::{spawn_app_on, spawn_app_with, TestApp},
    outside::{Postgres, Seaweed},
    transfer::{create, download, head, location, metadata, node_id, patch},
};

/// The fault tests run once, in the pass without `TEST_DATABASE_URL`.
pub fn once() -> bool {
    std::env::var("TEST_DATABASE_URL").is_err()
}

pub const WAIT: Duration = Duration::from_secs(15);

pub fn content_of(name: &str) -> Vec<u8> {
    name.repeat(50).into_bytes()
}

/// What a steady load of listings and small uploads saw.
#[derive(Default)]
pub struct Seen {
    /// (status, took, has Retry-After, name of the upload if it was one)
    pub answers: Vec<(u16, Duration, bool, Option<String>)>,
}

/// Lists `folder` and uploads a small file, over and over, until `stop`.
pub fn steady_load(
    app: &TestApp,
    bearer: &str,
    folder: &str,
    stop: Arc<AtomicBool>,
) -> (Arc<Mutex<Seen>>, tokio::task::JoinHandle<()>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let (client, base) = (reqwest::Client::new(), app.address.clone());
    let (bearer, folder, record) = (bearer.to_owned(), folder.to_owned(), seen.clone());
    let task = tokio::spawn(async move {
        let mut i = 0;
        while !stop.load(Ordering::Relaxed) {
            i += 1;
            let started = Instant::now();
            let listed = client
                .get(format!("{base}/api/v1/nodes/{folder}/children"))
                .bearer_auth(&bearer)
                .send()
                .await;
            let name = format!("load-{i}.txt");
            let upload_started = Instant::now();
            let uploaded = client
                .post(format!("{base}/api/v1/uploads"))
                .bearer_auth(&bearer)
                .header("tus-resumable", "1.0.0")
                .header("upload-length", content_of(&name).len().to_string())
                .header("upload-metadata", metadata(&name, &folder))
                .header("content-type", "application/offset+octet-stream")
                .body(content_of(&name))
                .send()
                .await;
            let uploaded_in = upload_started.elapsed();
            {
                let mut seen = record.lock().unwrap();
                for (answer, took, name) in [
                    (listed, upload_started - started, None),
                    (uploaded, uploaded_in, Some(name)),
                ] {
                    if let Ok(r) = answer {
                        let retry = r.headers().contains_key("retry-after");
                        seen.answers.push((r.status().as_u16(), took, retry, name));
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    (seen, task)
}

/// Waits until `check` holds, for 15 s at most; returns how long it took.
pub async fn until<F, Fut>(what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < WAIT, "waited 15 s for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    started.elapsed()
}

/// Every upload that succeeded is listed with its bytes; every listed file has its whole
/// content (nothing half-written), whether its upload's answer arrived or not.
pub async fn assert_nothing_half_written(app: &TestApp, bearer: &str, folder: &str, seen: &Seen) {
    let listed: Vec<serde_json::Value> = app
        .children(bearer, folder, "?limit=1000")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (status, _, _, name) in &seen.answers {
        if let (201, Some(name)) = (status, name) {
            assert!(
                listed.iter().any(|n| n["name"] == name.as_str()),
                "{name} was uploaded (201) and is listed"
            );
        }
    }
    for node in listed.iter().filter(|n| n["kind"] == "file") {
        let name = node["name"].as_str().unwrap_or_default();
        if !name.starts_with("load-") {
            continue;
        }
        let id = node["id"].as_str().unwrap_or_default();
        let body = download(app, bearer, id, None).await;
        assert_eq!(body.status(), 200, "{name} downloads");
        assert_eq!(
            body.bytes().await.unwrap().to_vec(),
            content_of(name),
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_database_stopped_for_ten_seconds_answers_503_at_once_and_loses_nothing() {
    if !once() {
        return;
    }
    let pg = Postgres::start();
    let app = spawn_app_on(&pg.url, |_| {}).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    // An upload in flight: half of it before the outage.
    let big: Vec<u8> = (0..2_000_000u32).map(|i| (i % 251) as u8).collect();
    let at = location(&create(&app, &ann, "big.bin", &root, big.len()).await);
    assert_eq!(
        patch(&app, &ann, &at, 0, &big[..1_000_000]).await.status(),
        204
    );
    let stop = Arc::new(AtomicBool::new(false));
    let (seen, load) = steady_load(&app, &ann, &root, stop.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;

    pg.stop();
    let down = Instant::now();
    let watched = &seen;
    let first_503 = until("a 503 with Retry-After", || async move {
        let seen = watched.lock().unwrap();
        seen.answers
            .iter()
            .any(|(s, _, retry, _)| *s == 503 && *retry)
    })
    .await;
    // A page in a browser says so, and a server function answers in its own form.
    let page = app.page("/drive").await;
    assert_eq!(page.status(), 503);
    assert!(page.headers().contains_key("retry-after"));
    assert!(page.text().await.unwrap().contains("Server busy, retrying"));
    let alive = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(alive.status(), 200, "the process lives");
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503, "not ready without its database");
    tokio::time::sleep(Duration::from_secs(10).saturating_sub(down.elapsed())).await;

    pg.start_again();
    let back = Instant::now();
    let (a, bearer, folder) = (&app, &ann, &root);
    let recovered = until("listings again", || async move {
        a.children(bearer, folder, "").await.status() == 200
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    load.await.unwrap();

    // The upload begun before resumes where it was.
    let status = head(&app, &ann, &at).await;
    assert_eq!(status.headers()["upload-offset"], "1000000");
    let last = patch(&app, &ann, &at, 1_000_000, &big[1_000_000..]).await;
    assert_eq!(last.status(), 204);
    let body = download(&app, &ann, &node_id(&last), None).await;
    assert_eq!(body.bytes().await.unwrap().to_vec(), big, "byte-identical");

    let seen = std::mem::take(&mut *seen.lock().unwrap());
    let refused: Vec<_> = seen.answers.iter().filter(|a| a.0 == 503).collect();
    assert!(seen.answers.iter().all(|a| a.0 != 500), "never 500");
    assert!(refused.iter().all(|a| a.2), "every 503 says when to retry");
    assert!(seen
        .answers
        .iter()
        .any(|a| a.0 == 201 && a.1 > Duration::ZERO));
    let slowest = refused.iter().map(|a| a.1).max().unwrap_or_default();
    println!(
        "database outage: first 503 after {first_503:?}, slowest 503 {slowest:?}, {} refused, \
         service back {recovered:?} after the database ({:?} since)",
        refused.len(),
        back.elapsed()
    );
    assert_nothing_half_written(&app, &ann, &root, &seen).await;
}

#[tokio::test]
async fn storage_stopped_for_ten_seconds_answers_503_and_uploads_resume() {
    if !once() {
        return;
    }
    let mut weed = Seaweed::start().await;
    let storage = weed.settings();
    let app = spawn_app_with(|s| s.storage = storage).await;
    // Ready once its new bucket is there; then the hourly sweep on the empty bucket finds
    // nothing to do (and no error).
    let (c, ready) = (&app.client, &app.url("/readyz"));
    until("the storage to be ready", || async move {
        c.get(ready).send().await.is_ok_and(|r| r.status() == 200)
    })
    .await;
    let swept = server::files::blob_gc::sweep(&app.db, &app.blobs(), chrono::Utc::now()).await;
    assert_eq!(
        swept.as_ref().ok(),
        Some(&0),
        "the sweep on an empty bucket: {swept:?}"
    );
    let (ann, root) = app.user_with_root("ann@example.com").await;
    // Over 64 KiB: an object in the storage (smaller contents are kept in the database).
    let stored: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let kept = crate::transfer::upload(&app, &ann, "kept.bin", &root, &stored).await;
    let note = crate::transfer::upload(&app, &ann, "note.txt", &root, b"kept small").await;
    let big: Vec<u8> = (0..6_000_000u32).map(|i| (i % 253) as u8).collect();
    let at = location(&create(&app, &ann, "big.bin", &root, big.len()).await);
    assert_eq!(
        patch(&app, &ann, &at, 0, &big[..5_242_880]).await.status(),
        204
    );

    weed.stop();
    let started = Instant::now();
    let download_refused = download(&app, &ann, &kept, None).await;
    let took = started.elapsed();
    assert_eq!(
        download_refused.status(),
        503,
        "a download needs the storage"
    );
    assert!(download_refused.headers().contains_key("retry-after"));
    let body: serde_json::Value = download_refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
    let small = download(&app, &ann, &note, None).await;
    assert_eq!(
        small.status(),
        200,
        "a small file's bytes are in the database"
    );
    assert_eq!(small.bytes().await.unwrap().as_ref(), b"kept small");
    let more = patch(&app, &ann, &at, 5_242_880, &big[5_242_880..]).await;
    assert_eq!(
        more.status(),
        503,
        "the rest of the upload waits for the storage"
    );
    let listing = app.children(&ann, &root, "").await;
    assert_eq!(listing.status(), 200, "listings need no storage");
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let ready: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(ready["checks"]["storage"], "unavailable");
    tokio::time::sleep(Duration::from_secs(10).saturating_sub(started.elapsed())).await;

    weed.start_again().await;
    let (a, bearer, kept) = (&app, &ann, &kept);
    let back = until("downloads again", || async move {
        download(a, bearer, kept, None).await.status() == 200
    })
    .await;
    let status = head(&app, &ann, &at).await;
    assert_eq!(
        status.headers()["upload-offset"],
        "5242880",
        "nothing of the refused part"
    );
    let last = patch(&app, &ann, &at, 5_242_880, &big[5_242_880..]).await;
    assert_eq!(last.status(), 204);
    let body = download(&app, &ann, &node_id(&last), None).await;
    assert_eq!(body.bytes().await.unwrap().to_vec(), big, "byte-identical");
    println!("storage outage: a download refused after {took:?}; back {back:?} after SeaweedFS");
}

#[tokio::test]
async fn a_full_disk_refuses_the_upload_with_507_keeps_nothing_and_recovers() {
    if !once() {
        return;
    }
    if !nix::unistd::Uid::effective().is_root() {
        panic!("this test mounts a small tmpfs: run the tests as root (CI does)");
    }
    let small = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=24m", "tmpfs"])
        .arg(small.path())
        .status()
        .unwrap();
    assert!(mounted.success(), "mount a 24 MiB tmpfs");
    let _unmount = Unmount(small.path().to_owned());
    let data_dir = small.path().join("data");
    let app = spawn_app_with(|s| s.data_dir = data_dir.clone()).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;

    let big: Vec<u8> = (0..30_000_000u32).map(|i| (i % 241) as u8).collect();
    let at = location(&create(&app, &ann, "too-big.bin", &root, big.len()).await);
    let refused = patch(&app, &ann, &at, 0, &big).await;
    assert_eq!(refused.status(), 507);
    let error: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(error["error"]["code"], "insufficient_storage");
    let message = error["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("disk is full"), "{message}");
    assert_eq!(
        head(&app, &ann, &at).await.status(),
        404,
        "the upload was given up"
    );
    let staged = std::fs::read_dir(data_dir.join("uploads")).unwrap().count();
    assert_eq!(staged, 0, "no staged bytes keep the disk full");
    assert!(
        app.names(&ann, &root, "").await.is_empty(),
        "nothing partial is visible"
    );

    // Other requests go on, and the next upload that fits works.
    let small_file = vec![7u8; 1_000_000];
    let ok = crate::transfer::upload(&app, &ann, "fits.bin", &root, &small_file).await;
    assert_eq!(
        download(&app, &ann, &ok, None)
            .await
            .bytes()
            .await
            .unwrap()
            .len(),
        1_000_000
    );

    // Full again (someone else's file fills it), then space freed: uploads work again.
    let filler = small.path().join("filler");
    let _ = std::process::Command::new("dd")
        .args(["if=/dev/zero", "bs=1M"])
        .arg(format!("of={}", filler.display()))
        .stderr(std::process::Stdio::null())
        .status();
    let created = create(&app, &ann, "later.bin", &root, small_file.len()).await;
    assert_eq!(
        created.status(),
        201,
        "an upload's row is in the database, not on this disk"
    );
    let refused = patch(&app, &ann, &location(&created), 0, &small_file).await;
    assert_eq!(refused.status(), 507);
    assert_eq!(
        app.children(&ann, &root, "").await.status(),
        200,
        "listings go on"
    );
    std::fs::remove_file(&filler).unwrap();
    let again = crate::transfer::upload(&app, &ann, "later.bin", &root, &small_file).await;
    let bytes = download(&app, &ann, &again, None)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.to_vec(), small_file);
    assert_eq!(
        app.names(&ann, &root, "").await,
        vec!["fits.bin", "later.bin"]
    );
}

struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

#[tokio::test]
async fn an_upload_whose_node_stopped_after_the_last_byte_is_finished_when_asked_where_it_stands() {
    let app = crate::helpers::spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 199) as u8).collect();
    let at = location(&create(&app, &ann, "almost.bin", &root, bytes.len()).await);
    assert_eq!(
        patch(&app, &ann, &at, 0, &bytes[..99_999]).await.status(),
        204
    );
    // What a node killed between recording the last byte and making the file leaves.
    let id = at.rsplit('/').next().unwrap();
    let staged = app.data_dir.join("uploads").join(id);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&staged)
        .unwrap();
    std::io::Write::write_all(&mut file, &bytes[99_999..]).unwrap();
    let upload_id = uuid::Uuid::parse_str(id).unwrap();
    app.exec_with(
        "UPDATE uploads SET \"offset\" = 100000 WHERE id = $1",
        vec![upload_id.into()],
    )
    .await;
    assert!(app.names(&ann, &root, "").await.is_empty());

    // A client resuming asks where it stands, hears "all of it", and takes it as done: the
    // file must be there by then.
    let status = head(&app, &ann, &at).await;
    assert_eq!(status.status(), 200);
    assert_eq!(status.headers()["upload-offset"], "100000");
    let file = status.headers()["gosync-node-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.names(&ann, &root, "").await, vec!["almost.bin"]);
    let body = download(&app, &ann, &file, None).await;
    assert_eq!(body.bytes().await.unwrap().to_vec(), bytes);
    assert_eq!(
        head(&app, &ann, &at).await.status(),
        404,
        "finished uploads are gone"
    );
}
