//! Blobs nothing uses any more are deleted: at once when the last version using one goes
//! (`delete_if_unused`), and by an hourly sweep for what a crash left behind (blob rows no
//! version references, and stored objects without a blob row).

use chrono::{DateTime, Utc};
use futures::StreamExt;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    SqlErr,
};
use uuid::Uuid;

use crate::{
    db::portable_statement,
    entities::{blob, upload},
    error::ServiceError,
    storage::BlobStore,
};

/// Deletes from storage the blobs among `candidates` that no version references any more.
/// Runs after the versions that used them are deleted (and their bytes given back).
pub async fn delete_unused(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    candidates: &[Uuid],
) -> Result<(), ServiceError> {
    for blob_id in candidates {
        if let Some(blob) = blob::Entity::find_by_id(*blob_id).one(db).await? {
            delete_if_unused(db, blobs, &blob).await?;
        }
    }
    Ok(())
}

/// Where content blobs live in storage (thumbnails and the like live elsewhere).
pub const BLOB_PREFIX: &str = "b";

/// A key no blob has had: where new content is stored.
pub fn new_blob_key() -> String {
    format!("{BLOB_PREFIX}/{}", uuid::Uuid::new_v4())
}
const BATCH: u64 = 500;

/// Deletes the blob if no version references it. The row goes first, guarded by the
/// versions' foreign key, so a version that started using the blob meanwhile keeps it.
pub async fn delete_if_unused(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    blob: &blob::Model,
) -> Result<bool, ServiceError> {
    let sql = "DELETE FROM blobs WHERE id = $1 \
               AND NOT EXISTS (SELECT 1 FROM versions WHERE blob_id = $1)";
    let statement = portable_statement(db.get_database_backend(), sql, [blob.id.into()]);
    let deleted = match db.execute(statement).await {
        Ok(result) => result.rows_affected() > 0,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::ForeignKeyConstraintViolation(_))) => false,
        Err(e) => return Err(e.into()),
    };
    if deleted {
        blobs.delete(&blob.storage_key).await?;
        crate::previews::forget(db, blobs, &blob.sha256).await?;
        crate::search::text::forget(db, blobs, &blob.sha256).await?;
    }
    Ok(deleted)
}

/// Removes blob rows no version references and stored objects no row names, when they are
/// older than `cutoff` (younger ones may belong to an upload finishing right now).
/// Returns how many blobs and stray objects went.
pub async fn sweep(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    cutoff: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let mut removed = 0;
    loop {
        let sql = format!(
            "SELECT id, sha256, size, storage_key, created_at FROM blobs b \
             WHERE created_at < $1 AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.blob_id = b.id) \
             ORDER BY created_at LIMIT {BATCH}"
        );
        let statement = portable_statement(db.get_database_backend(), &sql, [cutoff.into()]);
        let unused = blob::Model::find_by_statement(statement).all(db).await?;
        let mut progress = false;
        for row in &unused {
            if delete_if_unused(db, blobs, row).await? {
                removed += 1;
                progress = true;
            }
        }
        if (unused.len() as u64) < BATCH || !progress {
            break;
        }
    }
    removed += sweep_stray_objects(db, blobs, cutoff).await?;
    removed += sweep_stray_small_contents(db).await?;
    Ok(removed)
}

/// Small contents kept in the database that no blob names (a crash between a blob row's
/// removal and its bytes'). A content is always recorded with its blob row, in one
/// transaction, so no recording can be under way for these.
async fn sweep_stray_small_contents(db: &DatabaseConnection) -> Result<usize, ServiceError> {
    let sql = "DELETE FROM blob_bytes WHERE NOT EXISTS \
               (SELECT 1 FROM blobs WHERE blobs.storage_key = blob_bytes.storage_key)";
    let statement = portable_statement(db.get_database_backend(), sql, []);
    Ok(db.execute(statement).await?.rows_affected() as usize)
}

/// Objects under the blob prefix that neither a blob nor an upload names (a crash between
/// storing the bytes and recording them).
async fn sweep_stray_objects(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    cutoff: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let mut listing = blobs.list(BLOB_PREFIX);
    let mut batch = Vec::new();
    let mut removed = 0;
    loop {
        let next = listing.next().await.transpose()?;
        if let Some((key, modified)) = &next {
            if *modified < cutoff {
                batch.push(key.clone());
            }
        }
        if batch.len() as u64 >= BATCH || (next.is_none() && !batch.is_empty()) {
            let mut known: Vec<String> = blob::Entity::find()
                .filter(blob::Column::StorageKey.is_in(batch.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|b| b.storage_key)
                .collect();
            // Uploads staged in S3 own their object until a blob takes it.
            known.extend(
                upload::Entity::find()
                    .filter(upload::Column::StorageKey.is_in(batch.clone()))
                    .all(db)
                    .await?
                    .into_iter()
                    .filter_map(|u| u.storage_key),
            );
            for key in batch.drain(..).filter(|k| !known.contains(k)) {
                tracing::info!(key, "removing a stored object no blob names");
                blobs.delete(&key).await?;
                removed += 1;
            }
        }
        if next.is_none() {
            return Ok(removed);
        }
    }
}
