//! A 1 GiB PUT over WebDAV keeps the server's memory flat: the body streams through the
//! uploads' staging to storage and is never held whole. The server is the `gosync` binary in
//! a process of its own, so its peak memory is its own.

use std::{
    io::Write,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use bytes::Bytes;
use futures::stream;
use serde_json::{json, Value};

use crate::hostile_pages::peak_rss;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

#[tokio::test]
async fn a_one_gib_put_keeps_the_servers_memory_flat() {
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        // The same server on SQLite either way: run once, in the SQLite pass.
        eprintln!("the 1 GiB WebDAV PUT runs in the SQLite pass only");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_gosync");
    let mut create = Command::new(bin)
        .args([
            "admin",
            "create-user",
            "--email",
            "big@example.com",
            "--password-stdin",
        ])
        .arg("--data-dir")
        .arg(&data)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("gosync runs");
    create
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a long enough password\n")
        .expect("stdin");
    assert!(create.wait().expect("create-user").success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let server = Server(
        Command::new(bin)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(&data)
            .env_remove("DATABASE_URL")
            .env("GOSYNC_PREVIEWS__WORKERS", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gosync serves"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let start = Instant::now();
    let login = loop {
        let tried = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": "big@example.com", "password": "a long enough password"}))
            .send()
            .await;
        if let Ok(r) = tried {
            break r.json::<Value>().await.expect("json");
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the server started"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let bearer = login["access_token"].as_str().expect("token");
    let token: Value = client
        .post(format!("{base}/api/v1/tokens"))
        .bearer_auth(bearer)
        .json(&json!({"name": "dav"}))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let secret = token["token"].as_str().expect("secret");
    let put = |name: &str, chunks: usize| {
        let body = stream::iter((0..chunks).map(|i| {
            let mut chunk = vec![0u8; 1 << 20];
            chunk[..8].copy_from_slice(&(i as u64).to_le_bytes());
            Ok::<_, std::io::Error>(Bytes::from(chunk))
        }));
        client
            .put(format!("{base}/dav/{name}"))
            .basic_auth("big@example.com", Some(secret))
            .header("content-length", (chunks << 20).to_string())
            .body(reqwest::Body::wrap_stream(body))
            .send()
    };
    // Warm up on a small file: what the server needs anyway.
    assert_eq!(put("warm.bin", 8).await.expect("put").status(), 201);
    let before = peak_rss(server.0.id());
    let sent = put("big.bin", 1024).await.expect("put");
    assert_eq!(sent.status(), 201);
    let grown = peak_rss(server.0.id()).saturating_sub(before);
    assert!(
        grown < 64 << 20,
        "a 1 GiB PUT grew the server's peak memory by {} MiB",
        grown >> 20
    );
    let listed = client
        .request(
            reqwest::Method::from_bytes(b"PROPFIND").expect("method"),
            format!("{base}/dav/big.bin"),
        )
        .basic_auth("big@example.com", Some(secret))
        .header("depth", "0")
        .send()
        .await
        .expect("propfind")
        .text()
        .await
        .expect("body");
    assert!(
        listed.contains("<D:getcontentlength>1073741824</D:getcontentlength>"),
        "{listed}"
    );
}
