//! `gosync sync` watching (no `--once`): a save on one computer reaches the other, both ways,
//! without anyone running it again.

use std::time::{Duration, Instant};

use crate::{helpers::spawn_app, sync_client::Client};

/// Waits up to 15 s for the file at `path` to hold `bytes`; how long it took.
async fn arrives(path: std::path::PathBuf, bytes: &[u8]) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(15) {
        if std::fs::read(&path).is_ok_and(|b| b == bytes) {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

#[tokio::test]
async fn a_save_on_one_computer_reaches_the_other_while_both_watch() {
    let app = spawn_app().await;
    let (ann, _) = app.user_with_root("ann@example.com").await;
    let (a, b) = (
        Client::new(&app, &ann, "Shared"),
        Client::new(&app, &ann, "Shared"),
    );
    let watch = |client: &Client| {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_gosync"))
            .args([
                "sync",
                "--json",
                "--folder",
                "Shared",
                "--server",
                &app.url(""),
            ])
            .arg(client.dir.path())
            .env("GOSYNC_TOKEN", &ann)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap()
    };
    let (_wa, _wb) = (watch(&a), watch(&b));
    a.write("notes.txt", b"written on A");
    let took = arrives(b.path("notes.txt"), b"written on A").await;
    assert!(took.is_some(), "A's save reached B");
    b.write("notes.txt", b"then edited on B");
    let back = arrives(a.path("notes.txt"), b"then edited on B").await;
    assert!(back.is_some(), "B's edit came back to A");
    eprintln!("save to the other computer: {took:?}, and back: {back:?}");
}
