//! The real binary, killed with SIGKILL in the middle of an upload and started again: the
//! upload continues from the server's offset and the file is byte-identical.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, PASSWORD};
use crate::transfer::node_id;

/// Starts `gosync serve` on a free port; returns the process and its base URL.
pub(crate) fn serve(data_dir: &std::path::Path, database_url: &str) -> (Child, String) {
    serve_with(data_dir, database_url, &[])
}

/// The same, with more environment for the server.
pub(crate) fn serve_with(
    data_dir: &std::path::Path,
    database_url: &str,
    env: &[(&str, &str)],
) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gosync"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gosync starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("gosync logs that it serves")
            .expect("a log line");
        if let Some(rest) = line.split("serving on ").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .expect("an address")
                .to_owned();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

/// A new account on the server at `base`: its access token and root folder.
pub(crate) async fn account_on(
    client: &reqwest::Client,
    base: &str,
    email: &str,
) -> (String, String) {
    let account = json!({"email": email, "password": PASSWORD, "name": "Kim"});
    client
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&account)
        .send()
        .await
        .unwrap();
    let tokens: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&account)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap().to_owned();
    let me: Value = client
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (token, me["root_id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_upload_survives_a_killed_server() {
    // spawn_app gives a fresh database (SQLite or PostgreSQL) and data dir; the binary uses both.
    let app = spawn_app().await;
    // A data directory of the binary's own (the test's server holds its search index).
    let data_dir = app.data_dir.with_file_name("killed-server");
    let (mut first, base) = serve(&data_dir, &app.database_url);
    let client = reqwest::Client::new();
    let (token, root) = account_on(&client, &base, "kim@example.com").await;

    let content: Vec<u8> = (0..2_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let meta = format!(
        "filename {},parent_id {}",
        STANDARD.encode("survivor.bin"),
        STANDARD.encode(&root)
    );
    let created = client
        .post(format!("{base}/api/v1/uploads"))
        .bearer_auth(&token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", content.len().to_string())
        .header("upload-metadata", meta)
        .send()
        .await
        .unwrap();
    let at = created.headers()["location"].to_str().unwrap().to_owned();
    let patch = |base: String, offset: usize, bytes: Vec<u8>| {
        client
            .patch(format!("{base}{at}"))
            .bearer_auth(&token)
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", offset.to_string())
            .header("content-type", "application/offset+octet-stream")
            .body(bytes)
            .send()
    };
    assert_eq!(
        patch(base.clone(), 0, content[..700_000].to_vec())
            .await
            .unwrap()
            .status(),
        204
    );

    first.kill().expect("SIGKILL");
    first.wait().expect("the server is gone");

    let (mut second, base) = serve(&data_dir, &app.database_url);
    let head = client
        .head(format!("{base}{at}"))
        .bearer_auth(&token)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.headers()["upload-offset"],
        "700000",
        "what was acknowledged is kept"
    );
    let done = patch(base.clone(), 700_000, content[700_000..].to_vec())
        .await
        .unwrap();
    assert_eq!(done.status(), 204);
    let id = node_id(&done);
    let body = client
        .get(format!("{base}/api/v1/nodes/{id}/content"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let file: Value = client
        .get(format!("{base}/api/v1/nodes/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    second.kill().ok();
    second.wait().ok();
    assert!(
        body.as_ref() == content.as_slice(),
        "byte-identical after the restart"
    );
    use sha2::Digest;
    let expected = format!("\"{:x}\"", sha2::Sha256::digest(&content));
    assert_eq!(
        file["etag"],
        expected.as_str(),
        "the hash was rebuilt correctly"
    );
}
