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
        storage_kind: serde_json::to_value(settings.storage.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        storage,
        index_lag,
        index_documents: search.documents(),
        settings: in_effect(settings),
    }
}

/// Every setting by its environment variable, as this server runs with it.
pub fn in_effect(settings: &Settings) -> Vec<SettingInEffect> {
    let mut out = Vec::new();
    let value = serde_json::to_value(settings).unwrap_or_default();
    flatten("GOSYNC", &value, &mut out);
    for one in &mut out {
        one.value = shown(&one.name, std::mem::take(&mut one.value));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<SettingInEffect>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let sep = if prefix == "GOSYNC" { "_" } else { "__" };
                flatten(&format!("{prefix}{sep}{}", key.to_uppercase()), inner, out);
            }
        }
        other => out.push(SettingInEffect {
            name: prefix.to_owned(),
            value: match other {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                v => v.to_string(),
            },
        }),
    }
}

/// A value as the dashboard may show it: secrets only as set or not, passwords in URLs hidden.
fn shown(name: &str, value: String) -> String {
    if value.is_empty() {
        return "(not set)".to_owned();
    }
    if name.contains("SECRET") || name.ends_with("PASSWORD") {
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
