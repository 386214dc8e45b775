//! Uploads staged on this machine: bytes are appended to `<data-dir>/uploads/<id>` and hashed
//! as they arrive; the hash state stays in memory between PATCHes and is rebuilt from the
//! staged bytes after a restart (or a PATCH that failed).

use app::AppError;
use bytes::Bytes;
use futures::{Stream, StreamExt};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;

use super::{
    batch_writer::BatchWriter,
    checksum::Checksum,
    uploads::{staging, Appended, Uploads},
};
use crate::{entities::upload, error::ServiceError};

/// The hash of the first `.0` bytes, kept between PATCHes.
pub type Hashed = Option<(i64, Sha256)>;

impl Uploads {
    /// Appends `body` to `current` (read under the upload's lock, at the client's offset);
    /// returns where it stands and the hash state to keep.
    pub(super) async fn append_local<S>(
        &self,
        db: &DatabaseConnection,
        current: &upload::Model,
        hashed: Hashed,
        checksum: Option<Checksum>,
        mut body: S,
    ) -> Result<(Appended, Hashed), ServiceError>
    where
        S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
    {
        let path = self.staged_path(current.id);
        let mut hasher = match hashed {
            Some((at, hasher)) if at == current.offset => hasher,
            _ => rehash(&path, current.offset).await?,
        };
        let mut body_digest = checksum.as_ref().map(Checksum::digest);
        let file = tokio::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .await
            .map_err(staging)?
            .into_std()
            .await;
        let mut writer = BatchWriter::new(file);
        let mut reached = current.offset;
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
                writer.finish().await.map_err(staging)?;
                self.save_offset(db, current.id, reached).await?;
                return Err(AppError::TooLarge.into());
            }
            hasher.update(&chunk);
            if let Some(digest) = body_digest.as_mut() {
                digest.update(&chunk);
            }
            reached += chunk.len() as i64;
            writer.push(chunk).await.map_err(staging)?;
        }
        let file = tokio::fs::File::from_std(writer.finish().await.map_err(staging)?);
        if let (Some(expected), Some(digest)) = (&checksum, body_digest) {
            // A body that broke off cannot be verified either: both are discarded.
            if broken.is_some() || !digest.matches(expected) {
                file.set_len(current.offset as u64).await.map_err(staging)?;
                return Err(AppError::ChecksumMismatch.into());
            }
        }
        file.sync_data().await.map_err(staging)?;
        self.save_offset(db, current.id, reached).await?;
        if let Some(error) = broken {
            tracing::info!(upload = %current.id, reached, error = %error, "upload interrupted; resumable");
        }
        let complete = reached == current.length;
        let appended = Appended {
            offset: reached,
            complete,
        };
        Ok((appended, Some((reached, hasher))))
    }
}

/// Hashes the first `len` staged bytes again (after a restart, or a PATCH that broke off).
pub(super) async fn rehash(path: &std::path::Path, len: i64) -> Result<Sha256, ServiceError> {
    let mut file = tokio::fs::File::open(path).await.map_err(staging)?;
    let mut hasher = Sha256::new();
    let mut left = len as u64;
    let mut buf = vec![0u8; 1 << 20];
    while left > 0 {
        let want = buf.len().min(left as usize);
        let n = file.read(&mut buf[..want]).await.map_err(staging)?;
        if n == 0 {
            return Err(AppError::Internal.into());
        }
        hasher.update(&buf[..n]);
        left -= n as u64;
    }
    // Bytes past the recorded offset (written before a crash) are cut off.
    let file = tokio::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .await
        .map_err(staging)?;
    file.set_len(len as u64).await.map_err(staging)?;
    Ok(hasher)
}
