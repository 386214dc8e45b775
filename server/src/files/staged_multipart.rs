//! The S3 multipart upload behind an upload staged in the bucket. The upload's row names the
//! object first (`storage_key`, chosen when the upload is created); the multipart upload is
//! started only when the first whole part arrives (uploads smaller than a part never need
//! one) and recorded in the row at once. A node killed in between leaves a multipart upload
//! that no row records: `sweep_orphans` finds those by listing the bucket and aborts them.

use app::AppError;
use sea_orm::{sea_query::Expr, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{entities::upload, error::ServiceError, storage::BlobStore};

/// The multipart upload of `current` (whose object is `key`): the recorded one, or a new one
/// recorded now. Two PATCHes racing to start one: the first recorded wins, the other's goes.
pub(super) async fn ensure(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    current: &upload::Model,
    key: &str,
) -> Result<String, ServiceError> {
    if let Some(id) = &current.multipart_id {
        return Ok(id.clone());
    }
    let started = blobs.create_multipart(key).await?;
    let recorded = upload::Entity::update_many()
        .col_expr(upload::Column::MultipartId, Expr::value(started.clone()))
        .filter(upload::Column::Id.eq(current.id))
        .filter(upload::Column::MultipartId.is_null())
        .exec(db)
        .await;
    match recorded {
        Ok(done) if done.rows_affected == 1 => Ok(started),
        other => {
            blobs.abort_multipart(key, &started).await.ok();
            other?;
            let row = upload::Entity::find_by_id(current.id).one(db).await?;
            Ok(row
                .and_then(|row| row.multipart_id)
                .ok_or(AppError::NotFound)?)
        }
    }
}

/// Aborts the multipart uploads under `prefix` that no upload row records: their upload is
/// gone (finished, expired or cancelled) or never recorded them. One whose upload row does not
/// record a multipart upload yet may be about to be recorded, and is left for the next sweep
/// (by then the row has recorded it, or has expired and gone). Returns how many went.
pub async fn sweep_orphans(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    prefix: &str,
) -> Result<usize, ServiceError> {
    let mut aborted = 0;
    for open in blobs.open_multiparts(prefix).await? {
        let row = upload::Entity::find()
            .filter(upload::Column::StorageKey.eq(open.key.as_str()))
            .one(db)
            .await?;
        let orphan = match row {
            None => true,
            Some(row) => row
                .multipart_id
                .is_some_and(|recorded| recorded != open.upload_id),
        };
        if orphan {
            blobs.abort_multipart(&open.key, &open.upload_id).await?;
            aborted += 1;
        }
    }
    Ok(aborted)
}
