//! `gosync sync` never loses a byte: a run that would delete most files refuses, a lost
//! state database re-links by content and changes nothing, deletions go to a trash on
//! either side, ignored files stay here, a file that changes while it is sent never reaches
//! the server as a mix, and a client killed mid-transfer finishes on its next run.

use std::time::Duration;

use gosync_sync::{api::Api, Action};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{
    helpers::spawn_app,
    sync_client::{drive_tree, Client},
    transfer::upload,
};

#[tokio::test]
async fn mass_deletes_refuse_and_a_lost_state_relinks_without_changing_anything() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (a, b) = (Client::new(&app, &ann, ""), Client::new(&app, &ann, ""));
    for i in 0..40 {
        a.write(&format!("f/{i:02}.txt"), format!("file {i}").as_bytes());
    }
    a.write(".DS_Store", b"finder's own");
    a.write("draft.txt.swp", b"an editor's swap file");
    a.write("build/out.o", b"object code");
    a.write(".gosyncignore", b"build/\n");
    a.sync().await;
    b.sync().await;
    let drive = drive_tree(&app, &ann, &root).await;
    assert_eq!(
        drive.len(),
        41,
        "40 files and their folder: {:?}",
        drive.keys()
    );
    assert!(
        !drive.contains_key(".DS_Store") && !drive.contains_key("build"),
        "ignored"
    );

    // 30 of 40 deleted here: refused, and nothing changes anywhere.
    for i in 0..30 {
        std::fs::remove_file(a.path(&format!("f/{i:02}.txt"))).unwrap();
    }
    let refused = gosync_sync::run_once(&a.options).await.unwrap_err();
    assert!(
        format!("{refused:#}").contains("--allow-mass-delete"),
        "{refused:#}"
    );
    assert_eq!(
        drive_tree(&app, &ann, &root).await,
        drive,
        "the drive is untouched"
    );
    let mut allowed = a.options.clone();
    allowed.allow_mass_delete = true;
    gosync_sync::run_once(&allowed).await.unwrap();
    let trash: Value = app
        .client
        .get(app.url("/api/v1/trash"))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        trash["items"].as_array().unwrap().len(),
        30,
        "in the server's trash"
    );

    // B, told of it, keeps what it deletes in its own trash.
    let mut b_allowed = b.options.clone();
    b_allowed.allow_mass_delete = true;
    gosync_sync::run_once(&b_allowed).await.unwrap();
    assert!(!b.path("f/00.txt").exists());
    let day = chrono::Local::now().format("%Y-%m-%d").to_string();
    let kept = b.path(&format!("{}/{day}/f/00.txt", gosync_sync::TRASH_DIR));
    assert_eq!(std::fs::read(kept).unwrap(), b"file 0");

    // B's state lost: the next run re-links by content and changes nothing.
    std::fs::remove_dir_all(b.path(gosync_sync::STATE_DIR)).unwrap();
    let versions = app.count("versions").await;
    let report = b.sync().await;
    assert!(
        report
            .actions
            .iter()
            .all(|a| matches!(a, Action::Link { .. })),
        "{:?}",
        report.actions
    );
    assert_eq!(app.count("versions").await, versions, "nothing uploaded");
    assert!(b.sync().await.actions.is_empty());
    // A damaged one is set aside, the same way.
    std::fs::write(b.path(".gosync/state.db"), b"not a database at all").unwrap();
    let _ = std::fs::remove_file(b.path(".gosync/state.db-wal"));
    let _ = std::fs::remove_file(b.path(".gosync/state.db-shm"));
    b.sync().await;
    assert_eq!(app.count("versions").await, versions, "nothing uploaded");
}

#[tokio::test]
async fn a_file_changed_while_it_is_sent_never_reaches_the_server_mixed() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.log");
    let first: Vec<u8> = (0..20_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &first).unwrap();
    let hash = format!("{:x}", Sha256::digest(&first));
    // It grows after it was read and before its bytes are sent.
    let mut grown = first.clone();
    grown.extend_from_slice(b"appended meanwhile");
    grown[5] ^= 0xff;
    std::fs::write(&path, &grown).unwrap();
    let api = Api::new(&app.url(""), &ann).unwrap();
    let parent = root.parse().unwrap();
    let sent = api
        .upload(&path, parent, "growing.log", (first.len() as i64, &hash))
        .await;
    assert!(
        matches!(sent, Err(gosync_sync::api::ApiError::Changed)),
        "{sent:?}"
    );
    assert!(
        drive_tree(&app, &ann, &root).await.is_empty(),
        "no file, no mix"
    );
    assert_eq!(app.count("uploads").await, 0, "the upload was given up");

    // The client sends it again whole, as it is now.
    let client = Client::new(&app, &ann, "");
    client.write("growing.log", &grown);
    client.sync().await;
    let drive = drive_tree(&app, &ann, &root).await;
    assert!(drive["growing.log"].as_deref() == Some(grown.as_slice()));
}

#[tokio::test]
async fn a_client_killed_mid_transfer_finishes_on_its_next_run_without_a_torn_file() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let big: Vec<u8> = (0..50_000_000u32).map(|i| (i * 31 % 253) as u8).collect();
    let (a, b) = (Client::new(&app, &ann, ""), Client::new(&app, &ann, ""));
    a.write("big.bin", &big);
    let binary = env!("CARGO_BIN_EXE_gosync");
    let run = |client: &Client| {
        tokio::process::Command::new(binary)
            .args(["sync", "--once", "--json", "--server", &app.url("")])
            .arg(client.dir.path())
            .env("GOSYNC_TOKEN", &ann)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // Killed while uploading: part of it is on the server as an unfinished upload.
    let mut child = run(&a);
    let mut begun = false;
    for _ in 0..1500 {
        if app.count("uploads").await > 0 {
            begun = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(begun, "the upload began");
    tokio::time::sleep(Duration::from_millis(200)).await;
    child.kill().await.unwrap();
    assert_eq!(app.count("uploads").await, 1, "an unfinished upload");
    let finished = run(&a).wait().await.unwrap();
    assert!(finished.success());
    assert_eq!(
        app.count("uploads").await,
        0,
        "that one was continued, not begun again"
    );
    let drive = drive_tree(&app, &ann, &root).await;
    assert!(
        drive["big.bin"].as_deref() == Some(big.as_slice()),
        "byte-identical"
    );

    // Killed while downloading: no torn file, then the whole one.
    let mut child = run(&b);
    wait_for(|| std::fs::read_dir(b.path(".gosync/tmp")).is_ok_and(|mut d| d.next().is_some()))
        .await;
    child.kill().await.unwrap();
    if let Ok(partial) = std::fs::metadata(b.path("big.bin")) {
        assert_eq!(partial.len(), big.len() as u64, "only ever the whole file");
    }
    assert!(run(&b).wait().await.unwrap().success());
    assert!(
        std::fs::read(b.path("big.bin")).unwrap() == big,
        "byte-identical"
    );
    assert!(b.sync().await.actions.is_empty(), "in step");
}

/// Waits up to 15 s for `ready`.
async fn wait_for(ready: impl Fn() -> bool) -> bool {
    for _ in 0..1500 {
        if ready() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

#[tokio::test]
async fn what_the_client_ignores_on_the_server_never_arrives_and_stays_there() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    upload(&app, &ann, ".DS_Store", &root, b"a mac's own").await;
    let own = app.folder(&ann, &root, ".gosync").await;
    upload(&app, &ann, "state.db", &own, b"not the client's state").await;
    upload(&app, &ann, "kept.txt", &root, b"kept").await;
    let a = Client::new(&app, &ann, "");
    a.sync().await;
    assert!(a.sync().await.actions.is_empty(), "in step");
    let here: Vec<String> = a.tree().into_keys().collect();
    assert_eq!(here, ["kept.txt"]);
    let drive = drive_tree(&app, &ann, &root).await;
    assert!(
        drive.contains_key(".DS_Store") && drive.contains_key(".gosync/state.db"),
        "not deleted there: {:?}",
        drive.keys()
    );
}
