//! `gosync login`: a personal access token for this computer, kept readable by its owner
//! only (0600) in `~/.config/gosync/credentials.json`, one per server. `GOSYNC_TOKEN` wins.

use std::{collections::BTreeMap, io::Write, os::unix::fs::OpenOptionsExt, path::PathBuf};

use anyhow::Context;
use serde_json::{json, Value};

fn file() -> anyhow::Result<PathBuf> {
    let dir = match std::env::var_os("XDG_CONFIG_HOME") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?).join(".config"),
    };
    Ok(dir.join("gosync").join("credentials.json"))
}

fn load() -> BTreeMap<String, String> {
    file()
        .ok()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn key(server: &str) -> String {
    server.trim_end_matches('/').to_owned()
}

/// The token for `server`: `GOSYNC_TOKEN`, else the one `gosync login` kept.
pub fn token_for(server: &str) -> anyhow::Result<String> {
    if let Ok(token) = std::env::var("GOSYNC_TOKEN") {
        if !token.is_empty() {
            return Ok(token);
        }
    }
    load().remove(&key(server)).with_context(|| {
        format!("no token for {server}: run `gosync login --server {server}` or set GOSYNC_TOKEN")
    })
}

/// Signs in with the account's email and password, makes a personal access token named
/// after this computer, and keeps it (0600). Returns where it was kept.
pub async fn login(server: &str, email: &str, password: &str) -> anyhow::Result<PathBuf> {
    let http = reqwest::Client::new();
    let base = key(server);
    let signed_in: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .context("could not reach the server")?
        .error_for_status()
        .context("the server refused the email or password")?
        .json()
        .await?;
    let access = signed_in["access_token"]
        .as_str()
        .context("no access token in the answer")?;
    let name = format!("gosync sync on {}", crate::names::host());
    let made: Value = http
        .post(format!("{base}/api/v1/tokens"))
        .bearer_auth(access)
        .json(&json!({"name": name}))
        .send()
        .await?
        .error_for_status()
        .context("the server did not make a token")?
        .json()
        .await?;
    let token = made["token"].as_str().context("no token in the answer")?;
    let mut all = load();
    all.insert(base, token.to_owned());
    let path = file()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    out.write_all(serde_json::to_string_pretty(&all)?.as_bytes())?;
    out.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}
