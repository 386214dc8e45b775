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

/// Where the bytes after the last part wait, named by the offset they start at (so a tail
/// written by a PATCH that never committed cannot be mistaken for the current one).
fn tail_key(upload: Uuid, start: i64) -> String {
    format!("staging/{upload}/tail-{start}")
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
    let (Some(key), Some(multipart)) = (&current.storage_key, &current.multipart_id) else {
        return Err(AppError::Internal.into());
    };
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
            .get_range(&tail_key(current.id, done.parts_len), tail_range)
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
            let e_tag = blobs
                .put_part(key, multipart, number as usize, part)
                .await?;
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
                    blobs.delete(&tail_key(current.id, done.parts_len)).await?;
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
    if complete {
        hash.update(&buffer);
        sha256 = Some(hex(&hash.finalize()));
        let rest = buffer.freeze();
        if done.parts.is_empty() && new_parts.is_empty() {
            // Smaller than a part: one plain PUT, no multipart upload needed.
            blobs.put(key, rest).await?;
            blobs.abort_multipart(key, multipart).await?;
        } else {
            let mut e_tags: Vec<String> = done.parts.iter().map(|p| p.e_tag.clone()).collect();
            e_tags.extend(new_parts.iter().map(|p| p.e_tag.clone()));
            if !rest.is_empty() {
                let number = e_tags.len();
                e_tags.push(blobs.put_part(key, multipart, number, rest).await?);
            }
            blobs.complete_multipart(key, multipart, e_tags).await?;
        }
    } else if reached != current.offset && !buffer.is_empty() {
        blobs
            .put(&tail_key(current.id, parts_len), buffer.freeze())
            .await?;
    }
    let unrecorded: &[upload_part::Model] = if checksum.is_none() { &[] } else { &new_parts };
    record(db, current, recorded, reached, unrecorded, sha256).await?;
    // The tail the upload had before is no longer what its offset describes.
    if tail_len > 0 && (complete || parts_len != done.parts_len) {
        blobs.delete(&tail_key(current.id, done.parts_len)).await?;
    }
    Ok(Appended {
        offset: reached,
        complete,
    })
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
    let (Some(key), Some(multipart)) = (&upload.storage_key, &upload.multipart_id) else {
        return Ok(());
    };
    let done = progress(db, upload.id).await?;
    if upload.offset > done.parts_len {
        blobs.delete(&tail_key(upload.id, done.parts_len)).await?;
    }
    if upload.sha256.is_none() {
        return Ok(blobs.abort_multipart(key, multipart).await?);
    }
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
