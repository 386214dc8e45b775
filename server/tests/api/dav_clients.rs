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
