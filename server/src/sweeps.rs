//! The background sweeps every serving node runs: expired sessions, trash past its
//! retention and blobs nothing uses, rendered pages no one asked for, expired uploads, and
//! the daily storage sample.

use std::{sync::Arc, time::Duration};

use sea_orm::DatabaseConnection;

use crate::{files::uploads::Uploads, storage::BlobStore};

pub(crate) fn spawn_expired_session_sweep<S>(store: S)
where
    S: tower_sessions::ExpiredDeletion + Clone + Send + Sync + 'static,
{
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
        }
    });
}

/// At start and hourly: today's storage sample for the admin dashboard's charts.
pub(crate) fn spawn_storage_sampler(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = crate::admin::history::sample_today(&db).await {
                tracing::warn!(error = %e, "could not take the storage sample");
            }
        }
    });
}

/// Hourly (the first time ten minutes after the start): purges trash entries older than the retention period, then deletes blobs nothing
/// uses (left by a crash; an hour's grace for uploads finishing meanwhile).
pub(crate) fn spawn_trash_sweep(db: DatabaseConnection, blobs: BlobStore, retention_days: u64) {
    tokio::spawn(async move {
        // Not at the very start: the storage may still be coming up beside this node (a new
        // S3 server makes its bucket a moment after it answers).
        let first = tokio::time::Instant::now() + Duration::from_secs(600);
        let mut every = tokio::time::interval_at(first, Duration::from_secs(3600));
        loop {
            every.tick().await;
            let cutoff = chrono::Utc::now() - chrono::Duration::days(retention_days as i64);
            match crate::files::trash::purge_expired(&db, &blobs, cutoff).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(purged = n, "trash sweep"),
                Err(e) => tracing::warn!(error = %e, "trash sweep failed"),
            }
            // The search change log: a week back is plenty for a server that was down.
            let week = chrono::Utc::now() - chrono::Duration::days(7);
            if let Err(e) = crate::search::changes::prune(&db, week).await {
                tracing::warn!(error = %e, "search change log prune failed");
            }
            let grace = chrono::Utc::now() - chrono::Duration::hours(1);
            match crate::files::blob_gc::sweep(&db, &blobs, grace).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "unused blobs removed"),
                Err(e) => tracing::warn!(error = %e, "blob sweep failed"),
            }
        }
    });
}

/// Drops PDF pages rendered for the viewer that no one asked for in a while, hourly.
pub(crate) fn spawn_page_sweep(db: DatabaseConnection, previews: Arc<crate::previews::Previews>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            match previews.sweep_pages(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(dropped = n, "rendered PDF pages dropped"),
                Err(e) => tracing::warn!(error = %e, "page sweep failed"),
            }
        }
    });
}

/// Removes expired unfinished uploads, and multipart uploads no upload records, hourly (the
/// first time half a minute after the start, once the storage beside this node is up).
pub(crate) fn spawn_upload_sweep(db: DatabaseConnection, uploads: Arc<Uploads>) {
    tokio::spawn(async move {
        let first = tokio::time::Instant::now() + Duration::from_secs(30);
        let mut every = tokio::time::interval_at(first, Duration::from_secs(3600));
        loop {
            every.tick().await;
            match uploads.sweep_expired(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "expired uploads removed"),
                Err(e) => tracing::warn!(error = %e, "upload sweep failed"),
            }
        }
    });
}
