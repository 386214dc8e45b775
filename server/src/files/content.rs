//! New content becomes a file: the bytes are stored as a blob (or found stored already: dedup),
//! then one transaction creates the file or adds a version, charges the quota and records
//! the activity. The bytes come from a finished upload, or whole in a small request.

use std::path::PathBuf;

use app::AppError;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QuerySelect, SqlErr, TransactionTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{
    activity::{self, Author, Change},
    blob_gc::new_blob_key,
    quota, rows,
    tree::lock_tree,
    uploads::{hex, NewUpload, Uploads},
    versions,
};
use crate::{
    entities::{blob, node, upload, version},
    error::ServiceError,
    storage::{in_db, BlobStore},
};

/// Files up to this size may arrive whole in one request and skip staging altogether.
pub const SMALL_FILE_MAX: i64 = 1 << 20;

/// Where the new content's bytes are now.
enum Source {
    /// A finished upload's staging file on this machine.
    Staged(PathBuf),
    /// Already in blob storage under this key (an upload staged in S3).
    Stored(String),
    /// In memory (a small file sent whole).
    Memory(Bytes),
    /// Nowhere new: the content is a blob already (`Upload-Hash`); none if it is gone.
    Known,
}

/// What becomes of the bytes, and what they are.
struct Incoming<'a> {
    target: &'a NewUpload,
    sha256: String,
    source: Source,
    /// The upload this content finishes: claimed (its row deleted) in the file's own
    /// transaction, so that finishing it twice (a node killed after the file was made,
    /// before the upload was forgotten) makes one file, never a second version.
    upload: Option<Uuid>,
}

/// Turns a complete upload into a file (or a new version of the file of that name), keeping
/// that file's newest `keep` versions.
pub async fn finish_upload(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    uploads: &Uploads,
    upload: &upload::Model,
    keep: u64,
) -> Result<node::Model, ServiceError> {
    // The folder's owner pays (someone they share with may be the uploader).
    let payer = node::Entity::find_by_id(upload.parent_id)
        .one(db)
        .await?
        .map_or(upload.owner_id, |folder| folder.owner_id);
    quota::check(db, payer, upload.length).await?;
    let author = match upload.link_id {
        Some(link) => Author::Link(link),
        None => Author::User(upload.owner_id),
    };
    let target = NewUpload {
        owner: upload.owner_id,
        author,
        payer,
        parent: upload.parent_id,
        filename: upload.filename.clone(),
        length: upload.length,
        mtime: upload.mtime,
        partial: false,
    };
    let source = match &upload.storage_key {
        Some(key) => Source::Stored(key.clone()),
        None => Source::Staged(uploads.staged_path(upload.id)),
    };
    let incoming = Incoming {
        target: &target,
        sha256: uploads.digest(db, upload).await?,
        source,
        upload: Some(upload.id),
    };
    let file = record_with_retry(db, blobs, &incoming).await?;
    uploads.forget(db, upload.id).await?;
    versions::prune(db, blobs, &file, keep).await?;
    Ok(file)
}

/// A small file that arrived whole: stored and recorded without staging or an upload row.
/// The caller has checked the quota (the transaction enforces it again).
pub async fn store_small(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    target: &NewUpload,
    bytes: Bytes,
    keep: u64,
) -> Result<node::Model, ServiceError> {
    let sha256 = hex(&Sha256::digest(&bytes));
    record_alone(db, blobs, target, sha256, None, bytes, keep).await
}

/// A file made of content that is a blob already (the uploader sent its hash, not its bytes).
/// `None` when no blob has that content (any more): the bytes must be sent after all.
pub async fn record_known(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    target: &NewUpload,
    sha256: String,
    keep: u64,
) -> Result<Option<node::Model>, ServiceError> {
    let incoming = Incoming {
        target,
        sha256,
        source: Source::Known,
        upload: None,
    };
    let file = match record_with_retry(db, blobs, &incoming).await {
        Ok(file) => file,
        Err(ServiceError::User(AppError::NotFound)) => return Ok(None),
        Err(e) => return Err(e),
    };
    versions::prune(db, blobs, &file, keep).await?;
    Ok(Some(file))
}

/// Records a small file's content in a transaction of its own: its `bytes`, with this
/// SHA-256, already stored under `stored` or not stored yet.
pub(super) async fn record_alone(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    target: &NewUpload,
    sha256: String,
    stored: Option<String>,
    bytes: Bytes,
    keep: u64,
) -> Result<node::Model, ServiceError> {
    let source = match stored {
        Some(key) => Source::Stored(key),
        None => Source::Memory(bytes),
    };
    let incoming = Incoming {
        target,
        sha256,
        source,
        upload: None,
    };
    let file = record_with_retry(db, blobs, &incoming).await?;
    versions::prune(db, blobs, &file, keep).await?;
    Ok(file)
}

async fn record_with_retry(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    incoming: &Incoming<'_>,
) -> Result<node::Model, ServiceError> {
    match record(db, blobs, incoming).await {
        // The blob it shared was deleted as unused in between: store ours, once more.
        Err(ServiceError::Db(e))
            if matches!(e.sql_err(), Some(SqlErr::ForeignKeyConstraintViolation(_))) =>
        {
            record(db, blobs, incoming).await
        }
        other => other,
    }
}

/// The blob, then in one transaction the file (or its new version), usage and activity.
async fn record(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    incoming: &Incoming<'_>,
) -> Result<node::Model, ServiceError> {
    let (blob, redundant) = store_blob(db, blobs, incoming).await?;
    let file = match record_file(db, incoming, &blob).await {
        // Another upload made a file of that name meanwhile: this one is its next version.
        Err(ServiceError::Db(e))
            if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
        {
            record_file(db, incoming, &blob).await?
        }
        other => other?,
    };
    if let Some(key) = redundant {
        blobs.delete(&key).await?;
    }
    Ok(file)
}

/// One transaction. On PostgreSQL, uploads run side by side: the folder is held with a shared
/// lock (a trash or purge of it waits, and is waited for), an existing file's row with an
/// exclusive one (its versions are numbered one at a time), and the usage row only at the end.
/// SQLite has a single writer: the transaction takes the write lock first.
async fn record_file(
    db: &DatabaseConnection,
    incoming: &Incoming<'_>,
    blob: &blob::Model,
) -> Result<node::Model, ServiceError> {
    let target = incoming.target;
    let txn = db.begin().await?;
    if txn.get_database_backend() != DbBackend::Postgres {
        lock_tree(&txn, target.owner).await?;
    }
    let parent = node::Entity::find_by_id(target.parent)
        .filter(node::Column::TrashedAt.is_null())
        .lock_shared()
        .one(&txn)
        .await?
        .filter(node::Model::is_folder)
        .ok_or_else(|| {
            AppError::conflict("parent_id", "The folder of this upload no longer exists.")
        })?;
    let existing = node::Entity::find()
        .filter(node::Column::ParentId.eq(parent.id))
        .filter(node::Column::TrashedAt.is_null())
        .filter(node::Column::Name.eq(target.filename.as_str()))
        .lock_exclusive()
        .one(&txn)
        .await?;
    let now = Utc::now();
    let modified: DateTime<Utc> = target.mtime.unwrap_or(now);
    // A new file is inserted whole; an existing one gets its next version's figures.
    // A link never replaces: its file takes a free name beside what is there (and learns
    // nothing of it). A person's upload onto a taken name is the file's next version.
    let existing = match existing {
        Some(_) if target.author.link().is_some() => {
            let name = super::trash::free_name(&txn, parent.id, &target.filename).await?;
            let renamed = NewUpload {
                filename: name,
                ..target.clone()
            };
            let row = rows::new_file(&parent, &renamed, &incoming.sha256, now);
            let file = node::Entity::insert(row).exec_with_returning(&txn).await?;
            return finish_record(txn, incoming, blob, &parent, file, Change::Upload, now).await;
        }
        other => other,
    };
    let (file, change) = match existing {
        Some(folder) if folder.is_folder() => {
            return Err(AppError::conflict(
                "filename",
                format!("A folder named “{}” is already there.", folder.name),
            )
            .into());
        }
        Some(file) => {
            let update = node::ActiveModel {
                id: Set(file.id),
                size: Set(target.length),
                sha256: Set(Some(incoming.sha256.clone())),
                version: Set(Some(file.version.unwrap_or(0) + 1)),
                modified_at: Set(modified),
                ..Default::default()
            };
            let file = node::Entity::update(update).exec(&txn).await?;
            (file, Change::NewVersion)
        }
        None => {
            let row = rows::new_file(&parent, target, &incoming.sha256, now);
            let file = node::Entity::insert(row).exec_with_returning(&txn).await?;
            (file, Change::Upload)
        }
    };
    finish_record(txn, incoming, blob, &parent, file, change, now).await
}

/// The rest of recording a file's new content: its version, the activity entry, the charge
/// and the preview and text jobs, then the commit.
async fn finish_record(
    txn: sea_orm::DatabaseTransaction,
    incoming: &Incoming<'_>,
    blob: &blob::Model,
    parent: &node::Model,
    file: node::Model,
    change: Change,
    now: DateTime<Utc>,
) -> Result<node::Model, ServiceError> {
    let target = incoming.target;
    let version = rows::version(&file, blob.id, target, now);
    version::Entity::insert(version).exec(&txn).await?;
    let detail = rows::detail(&file);
    activity::record_by(&txn, target.author, file.id, change, detail).await?;
    // The folder's owner pays, also for what someone they share with uploads.
    quota::charge(&txn, parent.owner_id, target.length).await?;
    // Its thumbnail is queued with it: one commit, and no file without its job.
    let queued = crate::previews::queue_for(&txn, &file).await?
        | crate::search::text::queue_for(&txn, &file).await?;
    if let Some(upload) = incoming.upload {
        let claimed = upload::Entity::delete_by_id(upload).exec(&txn).await?;
        if claimed.rows_affected == 0 {
            // Finished already, elsewhere: that file stands; this attempt changes nothing.
            return Err(AppError::NotFound.into());
        }
    }
    txn.commit().await?;
    if queued {
        crate::jobs::wake();
    }
    Ok(file)
}

/// The blob with this content: the existing one (dedup), or the bytes stored as a new one
/// (a staged file adopted, an object already in place, or bytes written). Also the stored
/// object that dedup made redundant, to delete once the file is recorded.
async fn store_blob(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    incoming: &Incoming<'_>,
) -> Result<(blob::Model, Option<String>), ServiceError> {
    let sha256 = &incoming.sha256;
    let stored = match &incoming.source {
        Source::Stored(key) => Some(key.clone()),
        _ => None,
    };
    if let Some(existing) = find_blob(db, sha256).await? {
        // The object in place may be that very blob's (this upload finished once already).
        let redundant = stored.filter(|key| *key != existing.storage_key);
        return Ok((existing, redundant));
    }
    let key = match &incoming.source {
        Source::Stored(key) => key.clone(),
        Source::Staged(path) => {
            let key = new_blob_key();
            blobs.adopt(path, &key).await?;
            key
        }
        Source::Memory(bytes) => match blobs.small_key(bytes.len()) {
            Some(key) => return store_in_db(db, incoming, key, bytes).await,
            None => {
                let key = new_blob_key();
                blobs.put_durable(&key, bytes.clone()).await?;
                key
            }
        },
        Source::Known => return Err(AppError::NotFound.into()),
    };
    let row = rows::blob(sha256, incoming.target.length, key.clone(), Utc::now());
    match blob::Entity::insert(row).exec_with_returning(db).await {
        Ok(blob) => Ok((blob, None)),
        // The same content finished at the same moment: use that blob, drop ours.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            let existing = find_blob(db, sha256).await?.ok_or(AppError::Internal)?;
            let redundant = Some(key).filter(|key| *key != existing.storage_key);
            Ok((existing, redundant))
        }
        Err(e) => Err(e.into()),
    }
}

/// A small content's bytes and its blob row, in one transaction: the same content recorded
/// at the same moment leaves nothing of ours behind.
async fn store_in_db(
    db: &DatabaseConnection,
    incoming: &Incoming<'_>,
    key: String,
    bytes: &[u8],
) -> Result<(blob::Model, Option<String>), ServiceError> {
    let txn = db.begin().await?;
    in_db::insert(&txn, &[(&key, bytes)]).await?;
    let row = rows::blob(&incoming.sha256, incoming.target.length, key, Utc::now());
    match blob::Entity::insert(row).exec_with_returning(&txn).await {
        Ok(blob) => {
            txn.commit().await?;
            Ok((blob, None))
        }
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            let existing = find_blob(db, &incoming.sha256).await?;
            Ok((existing.ok_or(AppError::Internal)?, None))
        }
        Err(e) => Err(e.into()),
    }
}

/// The blob with this content, if there is one (dedup, and what an `Upload-Hash` asks).
pub async fn find_blob(
    db: &impl ConnectionTrait,
    sha256: &str,
) -> Result<Option<blob::Model>, ServiceError> {
    Ok(blob::Entity::find()
        .filter(blob::Column::Sha256.eq(sha256))
        .one(db)
        .await?)
}
