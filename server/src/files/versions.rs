//! A file's history: list versions, restore one (as a new version: history is never
//! rewritten), and keep only the newest N.

use app::AppError;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    activity::{self, Change},
    quota,
    tree::lock_tree,
};
use crate::{
    entities::{blob, node, version},
    error::ServiceError,
    storage::BlobStore,
};

pub async fn list(
    db: &DatabaseConnection,
    file: &node::Model,
) -> Result<Vec<version::Model>, ServiceError> {
    Ok(version::Entity::find()
        .filter(version::Column::NodeId.eq(file.id))
        .order_by_desc(version::Column::Number)
        .all(db)
        .await?)
}

/// Makes the content of version `number` the file's newest version.
pub async fn restore(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    actor: Uuid,
    file: &node::Model,
    number: i32,
    keep: u64,
) -> Result<node::Model, ServiceError> {
    let txn = db.begin().await?;
    lock_tree(&txn, file.owner_id).await?;
    let old = version::Entity::find()
        .filter(version::Column::NodeId.eq(file.id))
        .filter(version::Column::Number.eq(number))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    // The file's row, locked: uploads of new versions wait (and number after this one).
    let current = node::Entity::find_by_id(file.id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let blob = crate::entities::blob::Entity::find_by_id(old.blob_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    let next = current.version.unwrap_or(0) + 1;
    let now = Utc::now();
    let row = version::ActiveModel {
        id: Set(Uuid::new_v4()),
        node_id: Set(file.id),
        number: Set(next),
        blob_id: Set(old.blob_id),
        size: Set(old.size),
        author_id: Set(Some(actor)),
        link_id: Set(None),
        created_at: Set(now),
    };
    version::Entity::insert(row).exec(&txn).await?;
    let update = node::ActiveModel {
        id: Set(file.id),
        size: Set(old.size),
        sha256: Set(Some(blob.sha256)),
        version: Set(Some(next)),
        modified_at: Set(now),
        ..Default::default()
    };
    let restored = node::Entity::update(update).exec(&txn).await?;
    quota::charge(&txn, file.owner_id, old.size).await?;
    let detail = json!({"restored": number, "version": next});
    activity::record(&txn, actor, file.id, Change::NewVersion, detail).await?;
    txn.commit().await?;
    prune(db, blobs, file, keep).await?;
    Ok(restored)
}

/// Drops versions beyond the newest `keep`, giving back their bytes and unused blobs. In one
/// transaction, and each version's bytes are given back only by the prune whose delete
/// removed it: two prunes of one file at once never give the same bytes back twice.
pub async fn prune(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    file: &node::Model,
    keep: u64,
) -> Result<(), ServiceError> {
    // Versions are numbered from 1: a file at version `keep` or below has nothing to drop.
    if file.version.is_some_and(|n| n as u64 <= keep) {
        return Ok(());
    }
    let txn = db.begin().await?;
    if txn.get_database_backend() != sea_orm::DbBackend::Postgres {
        lock_tree(&txn, file.owner_id).await?;
    }
    let old: Vec<version::Model> = version::Entity::find()
        .filter(version::Column::NodeId.eq(file.id))
        .order_by_desc(version::Column::Number)
        .offset(keep)
        // SQLite accepts OFFSET only after a LIMIT.
        .limit(i64::MAX as u64)
        .all(&txn)
        .await?;
    if old.is_empty() {
        return Ok(());
    }
    let mut freed = 0;
    let mut candidates = Vec::new();
    for v in &old {
        let gone = version::Entity::delete_by_id(v.id).exec(&txn).await?;
        if gone.rows_affected > 0 {
            freed += v.size;
            candidates.push(v.blob_id);
        }
    }
    if freed > 0 {
        quota::release(&txn, file.owner_id, freed).await?;
    }
    txn.commit().await?;
    candidates.sort();
    candidates.dedup();
    super::blob_gc::delete_unused(db, blobs, &candidates).await
}

/// Version `number` of a file (its current one when `None`) and the blob holding it.
pub async fn version_blob(
    db: &DatabaseConnection,
    file: &node::Model,
    number: Option<i32>,
) -> Result<(version::Model, blob::Model), ServiceError> {
    let query = version::Entity::find().filter(version::Column::NodeId.eq(file.id));
    let query = match number.or(file.version) {
        Some(n) => query.filter(version::Column::Number.eq(n)),
        None => query.order_by_desc(version::Column::Number),
    };
    let version = query.one(db).await?.ok_or(AppError::NotFound)?;
    let blob = blob::Entity::find_by_id(version.blob_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    Ok((version, blob))
}
