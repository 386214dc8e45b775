//! Configuration: defaults < `gosync.toml` < `GOSYNC_*` environment (`__` nests), then flags.
//! `DATABASE_URL` picks PostgreSQL. Unknown `GOSYNC_` variables are reported, not ignored.

mod previews;

pub use previews::PreviewSettings;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use figment::{
    providers::{Env, Format, Serialized, Toml},
    Figment,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where `gosync serve` listens.
    pub addr: SocketAddr,
    /// SQLite database and blobs live here unless configured otherwise.
    pub data_dir: PathBuf,
    /// PostgreSQL (or SQLite) URL; SQLite at `<data_dir>/gosync.db` when unset.
    pub database_url: Option<String>,
    /// The built site (WASM, CSS, public assets).
    pub site_root: PathBuf,
    /// `pretty` for people, `json` for log collectors.
    pub log_format: String,
    pub tls: TlsSettings,
    pub auth: AuthSettings,
    pub limits: LimitSettings,
    pub files: FileSettings,
    pub storage: StorageSettings,
    pub previews: PreviewSettings,
    /// libpdfium.so (or the directory holding it); PDF previews are unavailable without it.
    pub pdfium_path: Option<PathBuf>,
    /// The bearer token `/metrics` asks for; unset, `/metrics` is not served.
    pub metrics_token: Option<Secret>,
    /// The address people use, e.g. `https://files.example.com` behind a TLS proxy: with
    /// `https://`, cookies are `Secure` and HSTS is sent even though this process speaks HTTP.
    pub public_url: Option<String>,
    /// Proxies (load balancers) whose `X-Forwarded-For` is believed: the client's address is
    /// then the last one in it that is not a trusted proxy. Anyone else's header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// On SIGTERM: seconds `/readyz` answers 503 while requests are still served, so that a
    /// balancer polling it stops sending here before the listener closes.
    pub drain_secs: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageKind {
    #[default]
    Local,
    S3,
}

/// Where blobs live: `<data_dir>/blobs` by default, or an S3-compatible bucket.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageSettings {
    pub kind: StorageKind,
    pub bucket: Option<String>,
    /// e.g. `http://127.0.0.1:8333` for a self-hosted S3; unset for AWS.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
    /// A folder inside the bucket for GoSync's objects (to share a bucket), e.g. `gosync`.
    pub prefix: Option<String>,
}

impl Default for StorageSettings {
    fn default() -> Self {
        Self {
            kind: StorageKind::Local,
            bucket: None,
            endpoint: None,
            region: "us-east-1".into(),
            access_key_id: None,
            secret_access_key: None,
            prefix: None,
        }
    }
}

/// A value that never shows in logs or `Debug` output.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FileSettings {
    /// Items stay this many days in the trash before the sweep purges them.
    pub trash_retention_days: u64,
    /// The largest file one upload may carry, in bytes.
    pub max_upload_bytes: i64,
    /// Unfinished uploads expire this many hours after they began.
    pub upload_expiry_hours: i64,
    /// How many versions of a file are kept (the oldest beyond are dropped).
    pub keep_versions: u64,
}

impl Default for FileSettings {
    fn default() -> Self {
        Self {
            trash_retention_days: 30,
            max_upload_bytes: 100 << 30,
            upload_expiry_hours: 24,
            keep_versions: 50,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsSettings {
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    pub access_token_ttl_secs: u64,
    pub refresh_token_ttl_days: u64,
    pub session_ttl_days: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSettings {
    /// Largest JSON request body, in bytes.
    pub json_body_bytes: usize,
    /// Sign-in attempts per IP address per window.
    pub login_per_ip: u32,
    /// Failed sign-ins per account per window.
    pub login_per_account: u32,
    pub login_window_secs: u64,
    /// Sign-ups per IP address per window.
    pub signup_per_ip: u32,
    pub signup_window_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            site_root: PathBuf::from("target/site"),
            log_format: "pretty".into(),
            tls: TlsSettings::default(),
            auth: AuthSettings::default(),
            limits: LimitSettings::default(),
            files: FileSettings::default(),
            storage: StorageSettings::default(),
            previews: PreviewSettings::default(),
            pdfium_path: None,
            metrics_token: None,
            public_url: None,
            trusted_proxies: Vec::new(),
            drain_secs: 3,
        }
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_days: 30,
            session_ttl_days: 14,
        }
    }
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            json_body_bytes: 1024 * 1024,
            login_per_ip: 30,
            login_per_account: 10,
            login_window_secs: 300,
            signup_per_ip: 20,
            signup_window_secs: 3600,
        }
    }
}

impl Settings {
    /// Loads the layers; `file` defaults to `gosync.toml` when that exists.
    pub fn load(file: Option<&Path>) -> Result<Self, Box<figment::Error>> {
        Self::figment(file).extract().map_err(Box::new)
    }

    pub fn figment(file: Option<&Path>) -> Figment {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file("gosync.toml")),
        }
        // Unknown variables are left out here (and warned about by the caller) rather than
        // failing the whole configuration.
        let unknown: Vec<String> = unknown_env_vars(std::env::vars().map(|(k, _)| k))
            .into_iter()
            .map(|name| name["GOSYNC_".len()..].to_owned())
            .collect();
        let unknown: Vec<&str> = unknown.iter().map(String::as_str).collect();
        figment
            .merge(Env::prefixed("GOSYNC_").ignore(&unknown).split("__"))
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            )
    }

    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("gosync.db").display()
            ),
        }
    }

    pub fn tls_enabled(&self) -> bool {
        self.tls.cert.is_some() && self.tls.key.is_some()
    }

    /// Whether people reach GoSync over HTTPS (here, or at a proxy in front): cookies are
    /// `Secure` and HSTS is sent.
    pub fn served_over_https(&self) -> bool {
        self.tls_enabled()
            || self
                .public_url
                .as_deref()
                .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
    }

    /// Every `GOSYNC_` variable name the settings understand.
    pub fn known_env_vars() -> Vec<String> {
        Settings::default()
            .by_env_var()
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// Each setting by its environment variable, with its value here (secrets included: the
    /// caller hides them).
    pub fn by_env_var(&self) -> Vec<(String, serde_json::Value)> {
        let value = serde_json::to_value(self).unwrap_or_default();
        let mut out = Vec::new();
        collect_values("GOSYNC", value, &mut out);
        out
    }
}

fn collect_values(
    prefix: &str,
    value: serde_json::Value,
    out: &mut Vec<(String, serde_json::Value)>,
) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                let sep = if prefix == "GOSYNC" { "_" } else { "__" };
                collect_values(&format!("{prefix}{sep}{}", key.to_uppercase()), inner, out);
            }
        }
        leaf => out.push((prefix.to_owned(), leaf)),
    }
}

/// `GOSYNC_` variables in `vars` that no setting reads (likely typos).
pub fn unknown_env_vars(vars: impl Iterator<Item = String>) -> Vec<String> {
    let known = Settings::known_env_vars();
    vars.filter(|name| name.starts_with("GOSYNC_") && !known.contains(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let mut settings = Settings::default();
        settings.storage.secret_access_key = Some(Secret::new("hunter2-very-secret"));
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn nested_and_flat_names_are_known_and_typos_are_not() {
        let vars = [
            "GOSYNC_ADDR",
            "GOSYNC_TLS__CERT",
            "GOSYNC_LIMITS__LOGIN_PER_IP",
            "GOSYNC_ADRR",
            "PATH",
        ];
        let unknown = unknown_env_vars(vars.iter().map(|s| s.to_string()));
        assert_eq!(unknown, vec!["GOSYNC_ADRR".to_string()]);
    }

    #[test]
    #[allow(clippy::result_large_err)]
    fn file_then_env_override_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "gosync.toml",
                "addr = \"127.0.0.1:4000\"\n[limits]\nlogin_per_ip = 3\n",
            )?;
            jail.set_env("GOSYNC_LIMITS__LOGIN_PER_IP", "7");
            jail.set_env("DATABASE_URL", "postgres://db/x");
            jail.set_env("GOSYNC_LIMITS__NO_SUCH_LIMIT", "1");
            let s = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(s.addr.port(), 4000);
            assert_eq!(s.limits.login_per_ip, 7);
            assert_eq!(s.database_url(), "postgres://db/x");
            assert_eq!(s.auth.access_token_ttl_secs, 900);
            Ok(())
        });
    }
}
