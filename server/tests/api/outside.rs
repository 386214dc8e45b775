//! Real servers of the tests' own, to stop and start again: a throwaway PostgreSQL cluster
//! (never the machine's, which other tests use) and a SeaweedFS S3 server.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A PostgreSQL cluster in a directory of its own, on a port of its own.
pub struct Postgres {
    dir: tempfile::TempDir,
    port: u16,
    pub url: String,
}

impl Postgres {
    pub fn start() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("gosync-fault-pg-")
            .tempdir()
            .expect("temp dir");
        let port = free_port();
        let mut pg = Self {
            dir,
            port,
            url: String::new(),
        };
        pg.url = pg.run("start");
        pg
    }

    fn run(&self, command: &str) -> String {
        let output = Command::new(repo().join("scripts/throwaway-postgres.sh"))
            .arg(command)
            .arg(self.dir.path())
            .arg(self.port.to_string())
            .output()
            .expect("scripts/throwaway-postgres.sh runs");
        assert!(
            output.status.success(),
            "throwaway-postgres.sh {command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// Stops it as an administrator would (sessions are ended).
    pub fn stop(&self) {
        self.run("stop");
    }

    pub fn start_again(&self) {
        self.run("start");
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = Command::new(repo().join("scripts/throwaway-postgres.sh"))
            .arg("destroy")
            .arg(self.dir.path())
            .status();
    }
}

/// SeaweedFS (`weed mini`, as `scripts/with-seaweedfs.sh` installs it) with a `gosync`
/// bucket, on fixed ports so that it comes back where it was.
pub struct Seaweed {
    dir: tempfile::TempDir,
    ports: Vec<u16>,
    child: Option<Child>,
    pub endpoint: String,
}

pub const S3_KEY: &str = "gosync-test";
pub const S3_SECRET: &str = "gosync-test-secret";

impl Seaweed {
    pub async fn start() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("gosync-fault-s3-")
            .tempdir()
            .expect("temp dir");
        // Below 55535, so that each port's gRPC port (port + 10000) is valid too.
        let ports: Vec<u16> = std::iter::repeat_with(free_port)
            .filter(|p| *p < 55535)
            .take(7)
            .collect();
        let endpoint = format!("http://127.0.0.1:{}", ports[3]);
        let mut weed = Self {
            dir,
            ports,
            child: None,
            endpoint,
        };
        weed.start_again().await;
        weed
    }

    pub async fn start_again(&mut self) {
        let weed = repo().join("tools/seaweedfs/bin/weed");
        assert!(
            weed.exists(),
            "SeaweedFS is installed by scripts/with-seaweedfs.sh"
        );
        let p = &self.ports;
        let log = std::fs::File::create(self.dir.path().join("weed.log")).expect("log");
        let child = Command::new(weed)
            .arg("mini")
            .arg(format!("-dir={}", self.dir.path().join("data").display()))
            .args(["-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-bucket=gosync"])
            .arg("-admin.ui=false")
            .arg(format!("-master.port={}", p[0]))
            .arg(format!("-volume.port={}", p[1]))
            .arg(format!("-filer.port={}", p[2]))
            .arg(format!("-s3.port={}", p[3]))
            .arg(format!("-admin.port={}", p[4]))
            .arg(format!("-webdav.port={}", p[5]))
            .arg(format!("-debug.port={}", p[6]))
            .env("AWS_ACCESS_KEY_ID", S3_KEY)
            .env("AWS_SECRET_ACCESS_KEY", S3_SECRET)
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("weed starts");
        self.child = Some(child);
        wait_for_s3(&self.endpoint, self.dir.path()).await;
    }

    /// Kills it (and with it every request in flight to it).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn settings(&self) -> server::config::StorageSettings {
        server::config::StorageSettings {
            kind: server::config::StorageKind::S3,
            bucket: Some("gosync".into()),
            endpoint: Some(self.endpoint.clone()),
            access_key_id: Some(S3_KEY.into()),
            secret_access_key: Some(server::config::Secret::new(S3_SECRET)),
            ..server::config::StorageSettings::default()
        }
    }
}

impl Drop for Seaweed {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn wait_for_s3(endpoint: &str, dir: &Path) {
    let started = Instant::now();
    let client = reqwest::Client::new();
    while started.elapsed() < Duration::from_secs(60) {
        let bucket = client.get(format!("{endpoint}/gosync")).send().await;
        let root = match client.get(format!("{endpoint}/")).send().await {
            Ok(r) => r.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if bucket.is_ok() && !root.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let log = std::fs::read_to_string(dir.join("weed.log")).unwrap_or_default();
    panic!("SeaweedFS did not start: {log}");
}
