//! The `gosync` binary's commands, run as a user would.

use std::{
    io::Write,
    process::{Command, Stdio},
};

use crate::helpers::spawn_app;

fn gosync(app: &crate::helpers::TestApp, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gosync"))
        .args(args)
        .arg("--data-dir")
        .arg(&app.data_dir)
        .env("DATABASE_URL", &app.database_url)
        .env("GOSYNC_NO_SUCH_SETTING", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gosync runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("gosync finishes")
}

#[tokio::test]
async fn admin_create_user_makes_an_account_that_can_sign_in() {
    let app = spawn_app().await;
    let out = gosync(
        &app,
        &[
            "admin",
            "create-user",
            "--email",
            "Root@Example.com",
            "--password-stdin",
            "--admin",
            "--quota",
            "10GiB",
        ],
        "a long admin password\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("root@example.com"));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("GOSYNC_NO_SUCH_SETTING"),
        "unknown variables are warned about"
    );

    let body: serde_json::Value = app
        .login("root@example.com", "a long admin password")
        .await
        .json()
        .await
        .unwrap();
    let me: serde_json::Value = app
        .me(body["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["is_admin"], true);
    assert_eq!(me["quota_bytes"], 10_i64 * 1024 * 1024 * 1024);
}

#[tokio::test]
async fn admin_create_user_refuses_bad_input_with_a_clear_message() {
    let app = spawn_app().await;
    let out = gosync(
        &app,
        &[
            "admin",
            "create-user",
            "--email",
            "root@example.com",
            "--password-stdin",
        ],
        "short\n",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 10 characters"));
    let out = gosync(
        &app,
        &[
            "admin",
            "create-user",
            "--email",
            "nope",
            "--password-stdin",
        ],
        "a long admin password\n",
    );
    assert!(!out.status.success());
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn migrate_is_idempotent() {
    let app = spawn_app().await;
    let out = gosync(&app, &["migrate"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
}

#[tokio::test]
async fn reindex_refuses_while_the_server_runs_and_rebuilds_once_it_is_stopped() {
    let mut app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    crate::transfer::upload(&app, &ann, "mango.txt", &root, b"ripe").await;
    app.folder(&ann, &root, "mango folder").await;
    crate::search::eventually(&app, &ann, "q=mango", |n| n.len() == 2).await;
    let busy = gosync(&app, &["reindex"], "");
    assert!(!busy.status.success());
    let said = String::from_utf8_lossy(&busy.stderr);
    assert!(said.contains("stop `gosync serve`"), "{said}");
    app.shut_down().await.unwrap();
    // Lost: the index is derived data.
    std::fs::remove_dir_all(app.data_dir.join("search")).unwrap();
    let out = gosync(&app, &["reindex"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("search index rebuilt: 2 items"), "{said}");
    let app = app.start_again().await;
    let page = crate::search::eventually(&app, &ann, "q=mango", |n| n.len() == 2).await;
    assert_eq!(page["total"], 2);
}
