//! File content: finishing an upload (one transaction creates the file or adds a version),
//! finding the blob of a version, and releasing blobs no version uses any more.

use app::AppError;
use chrono::Utc;
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, SqlErr, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    activity::{self, Change},
    quota,
    tree::{lock_tree, new_node},
    uploads::Uploads,
};
use crate::{
    entities::{blob, node, upload, version},
    error::ServiceError,
    storage::BlobStore,
};

/// Turns a complete upload into a file (or a new version of the file of that name).
pub async fn finish_upload(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    uploads: &Uploads,
    upload: &upload::Model,
) -> Result<node::Model, ServiceError> {
    quota::check(db, upload.owner_id, upload.length).await?;
    let sha256 = uploads.digest(db, upload).await?;
    match record(db, blobs, uploads, upload, &sha256).await {
        // The blob it shared was deleted as unused in between: store ours, once more.
        Err(ServiceError::Db(e))
            if matches!(e.sql_err(), Some(SqlErr::ForeignKeyConstraintViolation(_))) =>
        {
            record(db, blobs, uploads, upload, &sha256).await
        }
        other => other,
    }
}

/// The blob, then in one transaction the file (or its new version), usage and activity.
async fn record(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    uploads: &Uploads,
    upload: &upload::Model,
    sha256: &str,
) -> Result<node::Model, ServiceError> {
    let (blob, redundant) = store_blob(db, blobs, uploads, upload, sha256).await?;
    let txn = db.begin().await?;
    lock_tree(&txn, upload.owner_id).await?;
    let parent = node::Entity::find_by_id(upload.parent_id)
        .filter(node::Column::TrashedAt.is_null())
        .one(&txn)
        .await?
        .filter(node::Model::is_folder)
        .ok_or_else(|| {
            AppError::conflict("parent_id", "The folder of this upload no longer exists.")
        })?;
    let existing = node::Entity::find()
        .filter(node::Column::ParentId.eq(parent.id))
        .filter(node::Column::TrashedAt.is_null())
        .filter(node::Column::Name.eq(upload.filename.as_str()))
        .one(&txn)
        .await?;
    let now = Utc::now();
    let (file, number, change) = match existing {
        Some(folder) if folder.is_folder() => {
            return Err(AppError::conflict(
                "filename",
                format!("A folder named “{}” is already there.", folder.name),
            )
            .into());
        }
        Some(file) => {
            let number = file.version.unwrap_or(0) + 1;
            (file.id, number, Change::NewVersion)
        }
        None => {
            let mut row = new_node(
                parent.owner_id,
                Some(parent.id),
                upload.filename.clone(),
                node::FILE,
            );
            row.mime = Set(Some(guess_mime(&upload.filename).to_owned()));
            (
                node::Entity::insert(row)
                    .exec_with_returning(&txn)
                    .await?
                    .id,
                1,
                Change::Upload,
            )
        }
    };
    let version = version::ActiveModel {
        id: Set(Uuid::new_v4()),
        node_id: Set(file),
        number: Set(number),
        blob_id: Set(blob.id),
        size: Set(upload.length),
        author_id: Set(Some(upload.owner_id)),
        created_at: Set(now),
    };
    version::Entity::insert(version).exec(&txn).await?;
    let update = node::ActiveModel {
        id: Set(file),
        size: Set(upload.length),
        sha256: Set(Some(sha256.to_owned())),
        version: Set(Some(number)),
        modified_at: Set(upload.mtime.unwrap_or(now)),
        ..Default::default()
    };
    let file = node::Entity::update(update).exec(&txn).await?;
    quota::charge(&txn, upload.owner_id, upload.length).await?;
    let detail = json!({"name": file.name, "version": number, "size": upload.length});
    activity::record(&txn, upload.owner_id, file.id, change, detail).await?;
    txn.commit().await?;
    if let Some(key) = redundant {
        blobs.delete(&key).await?;
    }
    uploads.forget(db, upload.id).await?;
    Ok(file)
}

/// The blob with this content: the existing one (dedup), or the upload's bytes made a new
/// one: the staged file adopted, or (staged in S3) the object already where it belongs. Also
/// the staged object that dedup made redundant, to delete once the file is recorded.
async fn store_blob(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    uploads: &Uploads,
    upload: &upload::Model,
    sha256: &str,
) -> Result<(blob::Model, Option<String>), ServiceError> {
    if let Some(existing) = find_blob(db, sha256).await? {
        return Ok((existing, upload.storage_key.clone()));
    }
    let key = match &upload.storage_key {
        Some(key) => key.clone(),
        None => {
            let key = format!("{}/{}", super::blob_gc::BLOB_PREFIX, Uuid::new_v4());
            blobs.adopt(&uploads.staged_path(upload.id), &key).await?;
            key
        }
    };
    let row = blob::ActiveModel {
        id: Set(Uuid::new_v4()),
        sha256: Set(sha256.to_owned()),
        size: Set(upload.length),
        storage_key: Set(key.clone()),
        created_at: Set(Utc::now()),
    };
    match blob::Entity::insert(row).exec_with_returning(db).await {
        Ok(blob) => Ok((blob, None)),
        // The same content finished at the same moment: use that blob, drop ours.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            let existing = find_blob(db, sha256).await?.ok_or(AppError::Internal)?;
            Ok((existing, Some(key)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn find_blob(
    db: &impl ConnectionTrait,
    sha256: &str,
) -> Result<Option<blob::Model>, ServiceError> {
    Ok(blob::Entity::find()
        .filter(blob::Column::Sha256.eq(sha256))
        .one(db)
        .await?)
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

/// Frees what purged nodes held: their bytes leave the owner's usage, and blobs that no
/// version references any more are deleted from storage. Runs after the nodes are deleted.
pub async fn release(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    owner: Uuid,
    freed: i64,
    candidates: &[Uuid],
) -> Result<(), ServiceError> {
    if freed > 0 {
        crate::entities::user::Entity::update_many()
            .col_expr(
                crate::entities::user::Column::UsedBytes,
                Expr::col(crate::entities::user::Column::UsedBytes).sub(freed),
            )
            .filter(crate::entities::user::Column::Id.eq(owner))
            .exec(db)
            .await?;
    }
    for blob_id in candidates {
        if let Some(blob) = blob::Entity::find_by_id(*blob_id).one(db).await? {
            super::blob_gc::delete_if_unused(db, blobs, &blob).await?;
        }
    }
    Ok(())
}

/// A Content-Type from the file name (content sniffing comes with previews).
pub fn guess_mime(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "md" | "log" | "csv" => "text/plain",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "zip" => "application/zip",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}
