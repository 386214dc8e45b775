//! Real WebDAV clients against a real server: litmus (all five suites of RFC 4918's
//! conformance tests) and rclone (a tree up, checked byte for byte, mtimes kept).

use std::process::Command;

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

/// A person with an app password: (bearer, app password).
pub async fn app_password(app: &TestApp, email: &str) -> (String, String) {
    let (bearer, _) = app.signed_in_user(email).await;
    let created: Value = app
        .create_token(&bearer, &json!({"name": "WebDAV"}))
        .await
        .json()
        .await
        .expect("json");
    let secret = created["token"].as_str().expect("token").to_owned();
    (bearer, secret)
}

/// Each suite's summary: (name, run, passed, failed).
fn summaries(output: &str) -> Vec<(String, u32, u32, u32)> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("<- summary for `")?;
            let (name, rest) = rest.split_once("': of ")?;
            let (run, rest) = rest.split_once(" tests run: ")?;
            let (passed, rest) = rest.split_once(" passed, ")?;
            let (failed, _) = rest.split_once(" failed")?;
            Some((
                name.to_owned(),
                run.trim().parse().ok()?,
                passed.trim().parse().ok()?,
                failed.trim().parse().ok()?,
            ))
        })
        .collect()
}

#[tokio::test]
async fn litmus_passes_every_test_of_its_five_suites() {
    let app = spawn_app().await;
    let (_, secret) = app_password(&app, "ann@example.com").await;
    let url = app.url("/dav/");
    let logs = tempfile::tempdir().expect("temp dir");
    let at = logs.path().to_owned();
    let run = tokio::task::spawn_blocking(move || {
        Command::new("litmus")
            .current_dir(at)
            .env("TESTS", "http basic copymove props locks")
            .args([url.as_str(), "ann@example.com", secret.as_str()])
            .output()
    })
    .await
    .expect("join")
    .expect("litmus runs (make test installs it)");
    let output = String::from_utf8_lossy(&run.stdout).into_owned();
    let found = summaries(&output);
    let names: Vec<&str> = found.iter().map(|(n, ..)| n.as_str()).collect();
    assert_eq!(
        names,
        ["http", "basic", "copymove", "props", "locks"],
        "every suite ran:\n{output}"
    );
    for (name, run, passed, failed) in &found {
        assert!(
            *failed == 0 && passed == run && *run > 0,
            "litmus {name}: {passed} of {run} passed:\n{output}"
        );
    }
}

/// Runs rclone with a WebDAV remote `gs:` for this server (ownCloud flavour: mtimes kept).
fn rclone(url: &str, email: &str, secret: &str, args: &[&str]) -> std::process::Output {
    let obscured = Command::new("rclone")
        .args(["obscure", secret])
        .output()
        .expect("rclone runs (make test installs it)");
    let obscured = String::from_utf8_lossy(&obscured.stdout).trim().to_owned();
    Command::new("rclone")
        .env("RCLONE_CONFIG", "/dev/null")
        .env("RCLONE_CONFIG_GS_TYPE", "webdav")
        .env("RCLONE_CONFIG_GS_URL", url)
        .env("RCLONE_CONFIG_GS_VENDOR", "owncloud")
        .env("RCLONE_CONFIG_GS_USER", email)
        .env("RCLONE_CONFIG_GS_PASS", obscured)
        .args(args)
        .output()
        .expect("rclone runs")
}

/// 200 files in nested folders: a 20 MB one, names with spaces, accents and emoji.
fn local_tree(root: &std::path::Path) -> Vec<String> {
    let names = [
        "plain",
        "with space",
        "accentué été",
        "emoji 🎉 party",
        "ünïcödé",
    ];
    let mut made = Vec::new();
    for i in 0..200 {
        let folder = format!("{}/level {}/{}", names[i % 5], i % 3, names[(i / 5) % 5]);
        let dir = root.join(&folder);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let name = format!("{} {i}.txt", names[(i + 2) % 5]);
        let content = if i == 0 {
            (0..20 * 1024 * 1024u32)
                .map(|b| (b.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect()
        } else {
            format!("file {i} in {folder}\n")
                .repeat(i % 7 + 1)
                .into_bytes()
        };
        let path = dir.join(&name);
        std::fs::write(&path, content).expect("write");
        // A time long past, which the copy must keep.
        let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(981_173_106 + i as u64);
        let file = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_modified(when).expect("mtime");
        made.push(format!("{folder}/{name}"));
    }
    made
}

#[tokio::test]
async fn rclone_copies_a_tree_up_intact_with_mtimes_and_sees_changes_made_elsewhere() {
    let app = spawn_app().await;
    let (bearer, secret) = app_password(&app, "ann@example.com").await;
    let local = tempfile::tempdir().expect("temp dir");
    let files = local_tree(local.path());
    let url = app.url("/dav/");
    let from = local.path().to_string_lossy().into_owned();
    let (u, s, f) = (url.clone(), secret.clone(), from.clone());
    let (copied, checked, listed) = tokio::task::spawn_blocking(move || {
        let copied = rclone(&u, "ann@example.com", &s, &["copy", &f, "gs:tree"]);
        let checked = rclone(
            &u,
            "ann@example.com",
            &s,
            &["check", "--download", &f, "gs:tree"],
        );
        let listed = rclone(&u, "ann@example.com", &s, &["lsl", "gs:tree"]);
        (copied, checked, listed)
    })
    .await
    .expect("join");
    assert!(
        copied.status.success(),
        "rclone copy: {}",
        String::from_utf8_lossy(&copied.stderr)
    );
    let report = String::from_utf8_lossy(&checked.stderr).into_owned();
    assert!(checked.status.success(), "rclone check: {report}");
    assert!(report.contains("0 differences found"), "{report}");
    assert!(
        report.contains(&format!("{} matching files", files.len())),
        "{report}"
    );
    // rclone lsl: "size yyyy-mm-dd hh:mm:ss.fffffffff path"; every time is the local one.
    let listing = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert_eq!(listing.lines().count(), files.len(), "{listing}");
    for line in listing.lines() {
        assert!(
            line.split_whitespace().nth(1) == Some("2001-02-03"),
            "mtime kept: {line}"
        );
    }
    // A change through the API shows up in rclone's listing.
    let root = app.root_id(&bearer).await;
    let tree = app.names(&bearer, &root, "").await;
    assert!(tree.contains(&"tree".to_owned()));
    let children: Value = app
        .children(&bearer, &root, "")
        .await
        .json()
        .await
        .expect("json");
    let tree_id = children["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["name"] == "tree"))
        .and_then(|i| i["id"].as_str())
        .expect("tree folder")
        .to_owned();
    app.folder(&bearer, &tree_id, "made in the browser").await;
    let listed = tokio::task::spawn_blocking(move || {
        rclone(&url, "ann@example.com", &secret, &["lsf", "gs:tree"])
    })
    .await
    .expect("join");
    let top = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(top.lines().any(|l| l == "made in the browser/"), "{top}");
}
