//! How this server is doing: database and storage answering (and how fast), the search index,
//! version, uptime, and the settings in effect with secrets hidden.

use std::time::Instant;

use app::dto::{Check, HealthDto, SettingInEffect};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::{config::Settings, search::Search, storage::BlobStore};

pub async fn report(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    settings: &Settings,
    search: &Search,
    started: Instant,
) -> HealthDto {
    let timed = Instant::now();
    let database_ok = db.ping().await.is_ok();
    let database = Check {
        ok: database_ok,
        millis: timed.elapsed().as_millis() as u64,
    };
    let timed = Instant::now();
    let storage_ok = blobs.ping().await;
    let storage = Check {
        ok: storage_ok,
        millis: timed.elapsed().as_millis() as u64,
    };
    let index_lag = match crate::search::changes::lag(db, search).await {
        Ok(lag) => Some(lag as i64),
        Err(_) => None,
    };
    HealthDto {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        uptime_secs: started.elapsed().as_secs(),
        database_kind: match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => "PostgreSQL",
            _ => "SQLite",
        }
        .to_owned(),
        database,
        storage_kind: match settings.storage.kind {
            crate::config::StorageKind::Local => "local",
            crate::config::StorageKind::S3 => "s3",
        }
        .to_owned(),
        storage,
        index_lag,
        index_documents: search.documents(),
        converters: converters(settings).await,
        settings: in_effect(settings),
    }
}

/// The converters this server's workers would find, and whether they run off the network.
async fn converters(settings: &Settings) -> Vec<app::dto::ConverterDto> {
    let settings = settings.clone();
    tokio::task::spawn_blocking(move || {
        let bin = crate::previews::tools::sandbox_bin(&settings);
        let pdf = crate::previews::pdf::Renderer::find(&settings).is_some();
        crate::previews::tools::Tools::find(&settings, &bin).report(pdf)
    })
    .await
    .unwrap_or_default()
}

/// Every setting by its environment variable, as this server runs with it.
pub fn in_effect(settings: &Settings) -> Vec<SettingInEffect> {
    let mut out: Vec<SettingInEffect> = settings
        .by_env_var()
        .into_iter()
        .map(|(name, value)| {
            let value = match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s,
                v => v.to_string(),
            };
            SettingInEffect {
                value: shown(&name, value),
                name,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// A value as the dashboard may show it: secrets only as set or not, passwords in URLs hidden.
fn shown(name: &str, value: String) -> String {
    if value.is_empty() {
        return "(not set)".to_owned();
    }
    if name.contains("SECRET") || name.ends_with("PASSWORD") || name.ends_with("TOKEN") {
        return "(set, hidden)".to_owned();
    }
    if name.ends_with("DATABASE_URL") {
        return without_password(&value);
    }
    value
}

/// `postgres://user:secret@host/db` as `postgres://user:***@host/db`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_database_passwords_are_hidden() {
        let mut settings = Settings {
            database_url: Some("postgres://gosync:hunter2@db:5432/gosync".into()),
            ..Default::default()
        };
        settings.storage.secret_access_key = Some(crate::config::Secret::new("s3cr3t"));
        let shown = in_effect(&settings);
        let value = |name: &str| {
            shown
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.value.clone())
                .unwrap_or_else(|| panic!("{name} listed"))
        };
        assert_eq!(
            value("GOSYNC_DATABASE_URL"),
            "postgres://gosync:***@db:5432/gosync"
        );
        assert_eq!(value("GOSYNC_STORAGE__SECRET_ACCESS_KEY"), "(set, hidden)");
        assert_eq!(value("GOSYNC_STORAGE__KIND"), "local");
        assert_eq!(value("GOSYNC_STORAGE__BUCKET"), "(not set)");
        let all = format!("{shown:?}");
        assert!(!all.contains("hunter2") && !all.contains("s3cr3t"), "{all}");
    }
}
