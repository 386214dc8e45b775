//! Uploads staged in S3, so that any node can take the next PATCH and a restart loses
//! nothing: bytes go to S3 as 8 MiB multipart parts as they arrive; what is left over after a
//! PATCH (less than a part) is kept as a small `tail` object until the next one. Each part's
//! row keeps the SHA-256 state after it. The last PATCH stores the rest and completes the
//! multipart upload, which S3 joins by itself: the object is then where the blob will be.

use app::AppError;
use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use super::{
    checksum::Checksum,
    sha256_state::Sha256State,
    uploads::{hex, Appended},
};
use crate::{
    entities::{upload, upload_part},
    error::ServiceError,
    storage::BlobStore,
};

/// A part's size: S3 wants at least 5 MiB for all parts but the last; a multiple of 64 keeps
/// the SHA-256 state at a block boundary.
pub const PART_SIZE: usize = 8 << 20;

/// Where the bytes after the last part wait, named by where they start and end: a tail is
/// never written over, so one written by a PATCH that never committed (its node killed, or a
/// PATCH racing it on another node) cannot be mistaken for the one the offset describes.
fn tail_key(upload: Uuid, start: i64, end: i64) -> String {
    format!("{}tail-{start}-{end}", staging_prefix(upload))
}

fn staging_prefix(upload: Uuid) -> String {
    format!("staging/{upload}/")
}

/// The parts stored so far, and the bytes after them.
struct Progress {
    parts: Vec<upload_part::Model>,
    parts_len: i64,
}

async fn progress(db: &DatabaseConnection, id: Uuid) -> Result<Progress, ServiceError> {
    let parts = upload_part::Entity::find()
        .filter(upload_part::Column::UploadId.eq(id))
        .order_by_asc(upload_part::Column::Number)
        .all(db)
        .await?;
    let parts_len = parts.iter().map(|p| p.size).sum();
    Ok(Progress { parts, parts_len })
}

/// Appends `body` to `current` (read under the upload's lock, at the client's offset). A body
/// that fails its checksum changes nothing; without a checksum, each whole part counts as it
/// is stored (a body cut off or too long keeps the parts before).
pub async fn append<S>(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    current: &upload::Model,
    checksum: Option<Checksum>,
    mut body: S,
) -> Result<Appended, ServiceError>
where
    S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
{
    let Some(key) = &current.storage_key else {
        return Err(AppError::Internal.into());
    };
    // Started when the first whole part is stored: a smaller upload is one plain PUT.
    let mut multipart = current.multipart_id.clone();
    let done = progress(db, current.id).await?;
    let mut hash = match done.parts.last() {
        Some(part) => Sha256State::restore(&part.hash_state).ok_or(AppError::Internal)?,
        None => Sha256State::default(),
    };
    let tail_len = current.offset - done.parts_len;
    let mut buffer = BytesMut::with_capacity(PART_SIZE + (1 << 20));
    if tail_len > 0 {
        let tail_range = 0..tail_len as u64;
        let tail = blobs
            .get_range(
                &tail_key(current.id, done.parts_len, current.offset),
                tail_range,
            )
            .await?;
        buffer.extend_from_slice(&tail);
    }
    let mut body_digest = checksum.as_ref().map(Checksum::digest);
    let mut new_parts = Vec::new();
    let mut reached = current.offset;
    // Where the upload's row says it stands (moved by each part recorded on the way).
    let mut recorded = current.offset;
    let mut broken = None;
    while let Some(chunk) = body.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => {
                broken = Some(e);
                break;
            }
        };
        if reached + chunk.len() as i64 > current.length {
            return Err(AppError::TooLarge.into());
        }
        if let Some(digest) = body_digest.as_mut() {
            digest.update(&chunk);
        }
        buffer.extend_from_slice(&chunk);
        reached += chunk.len() as i64;
        while buffer.len() >= PART_SIZE {
            let part = buffer.split_to(PART_SIZE).freeze();
            hash.update(&part);
            let number = (done.parts.len() + new_parts.len()) as i32;
            let id = match &multipart {
                Some(id) => id.clone(),
                None => super::staged_multipart::ensure(db, blobs, current, key).await?,
            };
            multipart = Some(id.clone());
            let e_tag = blobs.put_part(key, &id, number as usize, part).await?;
            let stored = upload_part::Model {
                upload_id: current.id,
                number,
                size: PART_SIZE as i64,
                e_tag,
                hash_state: hash.save().ok_or(AppError::Internal)?,
            };
            // Without a checksum to check at the end, each part counts as soon as it is
            // stored: a node killed mid-request loses at most the part in progress.
            if checksum.is_none() {
                let boundary = done.parts_len + (new_parts.len() as i64 + 1) * PART_SIZE as i64;
                let part = std::slice::from_ref(&stored);
                record(db, current, recorded, boundary, part, None).await?;
                recorded = boundary;
                if tail_len > 0 {
                    let old = tail_key(current.id, done.parts_len, current.offset);
                    blobs.delete(&old).await?;
                }
            }
            new_parts.push(stored);
        }
    }
    if let (Some(expected), Some(digest)) = (&checksum, body_digest) {
        // Parts stored for a body that fails are never recorded: later ones overwrite them.
        if broken.is_some() || !digest.matches(expected) {
            return Err(AppError::ChecksumMismatch.into());
        }
    }
    if let Some(error) = broken {
        tracing::info!(upload = %current.id, reached, error = %error, "upload interrupted; resumable");
    }
    let parts_len = done.parts_len + new_parts.iter().map(|p| p.size).sum::<i64>();
    let complete = reached == current.length;
    let mut sha256 = None;
    let mut to_record: Vec<upload_part::Model> = match checksum {
        None => Vec::new(),
        Some(_) => new_parts.clone(),
    };
    // The multipart upload is completed only once the row says every part is there (and the
    // content's hash): a node killed in between leaves what `ensure_complete` finishes.
    let mut complete_with = None;
    if complete {
        hash.update(&buffer);
        // Nothing is appended after the last part: its hash state is never restored (and
        // cannot be saved mid-block).
        let hash_state = hash.save().unwrap_or_default();
        sha256 = Some(hex(&hash.finalize()));
        let rest = buffer.freeze();
        if done.parts.is_empty() && new_parts.is_empty() {
            // Smaller than a part: one plain PUT, no multipart upload needed.
            blobs.put(key, rest).await?;
        } else {
            // Parts were stored, so a multipart upload was started and recorded.
            let id = multipart.clone().ok_or(AppError::Internal)?;
            let mut e_tags: Vec<String> = done.parts.iter().map(|p| p.e_tag.clone()).collect();
            e_tags.extend(new_parts.iter().map(|p| p.e_tag.clone()));
            if !rest.is_empty() {
                let number = e_tags.len();
                let size = rest.len() as i64;
                let e_tag = blobs.put_part(key, &id, number, rest).await?;
                e_tags.push(e_tag.clone());
                to_record.push(upload_part::Model {
                    upload_id: current.id,
                    number: number as i32,
                    size,
                    e_tag,
                    hash_state,
                });
            }
            complete_with = Some((id, e_tags));
        }
    } else if reached != current.offset && !buffer.is_empty() {
        blobs
            .put(&tail_key(current.id, parts_len, reached), buffer.freeze())
            .await?;
    }
    record(db, current, recorded, reached, &to_record, sha256).await?;
    if let Some((id, e_tags)) = complete_with {
        blobs.complete_multipart(key, &id, e_tags).await?;
    }
    // The tail the upload had before is no longer what its offset describes.
    if tail_len > 0 && reached != current.offset {
        blobs
            .delete(&tail_key(current.id, done.parts_len, current.offset))
            .await?;
    }
    Ok(Appended {
        offset: reached,
        complete,
    })
}

/// Completes the multipart upload of an upload whose every part is recorded, unless its
/// object is already in place (completed before, or stored whole).
pub async fn ensure_complete(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    upload: &upload::Model,
) -> Result<(), ServiceError> {
    let Some(key) = &upload.storage_key else {
        return Err(AppError::Internal.into());
    };
    if blobs.size(key).await.is_ok() {
        return Ok(());
    }
    // Not stored whole, so stored in parts: a multipart upload was recorded.
    let Some(multipart) = &upload.multipart_id else {
        return Err(AppError::Internal.into());
    };
    let done = progress(db, upload.id).await?;
    let e_tags = done.parts.iter().map(|p| p.e_tag.clone()).collect();
    Ok(blobs.complete_multipart(key, multipart, e_tags).await?)
}

/// One transaction: the new parts, the offset moved from `from` to `reached` (only if no
/// other PATCH moved it), and the SHA-256 once complete.
async fn record(
    db: &DatabaseConnection,
    current: &upload::Model,
    from: i64,
    reached: i64,
    new_parts: &[upload_part::Model],
    sha256: Option<String>,
) -> Result<(), ServiceError> {
    let txn = db.begin().await?;
    let moved = upload::Entity::update_many()
        .col_expr(upload::Column::Offset, Expr::value(reached))
        .col_expr(upload::Column::Sha256, Expr::value(sha256))
        .filter(upload::Column::Id.eq(current.id))
        .filter(upload::Column::Offset.eq(from))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::conflict(
            "upload_offset",
            "Another request moved this upload's offset meanwhile: ask for its offset (HEAD) and resume from there.",
        )
        .into());
    }
    if !new_parts.is_empty() {
        let rows = new_parts.iter().map(|p| upload_part::ActiveModel {
            upload_id: Set(p.upload_id),
            number: Set(p.number),
            size: Set(p.size),
            e_tag: Set(p.e_tag.clone()),
            hash_state: Set(p.hash_state.clone()),
        });
        upload_part::Entity::insert_many(rows).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Gives up what an unfinished (or unadopted) upload holds in S3: its parts, its tail, and
/// its completed object unless a blob has taken it.
pub async fn discard(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    upload: &upload::Model,
) -> Result<(), ServiceError> {
    let Some(key) = &upload.storage_key else {
        return Ok(());
    };
    // Every tail, also those of PATCHes that never committed.
    let tails: Vec<String> = blobs
        .list(&staging_prefix(upload.id))
        .filter_map(|found| async move { found.ok().map(|(key, _)| key) })
        .collect()
        .await;
    for tail in tails {
        blobs.delete(&tail).await?;
    }
    // Completed or not (a node may have stopped in between), the multipart upload goes.
    if let Some(multipart) = &upload.multipart_id {
        blobs.abort_multipart(key, multipart).await?;
    }
    // The object may be there even if the row never learned it was complete (a node killed
    // between storing it and recording it): it goes too, unless a blob has taken it.
    let adopted = crate::entities::blob::Entity::find()
        .filter(crate::entities::blob::Column::StorageKey.eq(key.as_str()))
        .one(db)
        .await?
        .is_some();
    if !adopted {
        blobs.delete(key).await?;
    }
    Ok(())
}
