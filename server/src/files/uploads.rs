//! Uploads in progress (tus): bytes are appended to a staging file under `<data-dir>/uploads`
//! and hashed as they arrive; the hash state lives in memory and is rebuilt from the staged
//! bytes after a restart. Only the uploader can see or touch an upload.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, Mutex},
};

use app::AppError;
use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use futures::{Stream, StreamExt};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

pub use super::checksum::Checksum;
use crate::{entities::upload, error::ServiceError, storage::BlobStore};

/// What a PATCH left: the offset reached, and whether the upload is complete.
pub struct Appended {
    pub offset: i64,
    pub complete: bool,
}

pub(super) type HashState = Arc<tokio::sync::Mutex<Option<(i64, Sha256)>>>;

/// What a new upload will become.
pub struct NewUpload {
    pub owner: Uuid,
    pub parent: Uuid,
    pub filename: String,
    pub length: i64,
    pub mtime: Option<DateTime<Utc>>,
    pub partial: bool,
}

pub struct Uploads {
    /// Where bytes are staged on this machine (local storage)...
    dir: PathBuf,
    /// ...or the S3 store they are staged in, so that any node can continue an upload.
    pub(super) remote: Option<BlobStore>,
    hashes: Mutex<HashMap<Uuid, HashState>>,
    pub max_size: i64,
    pub expiry: Duration,
}

impl Uploads {
    pub fn new(
        data_dir: &std::path::Path,
        blobs: &BlobStore,
        max_size: i64,
        expiry_hours: i64,
    ) -> std::io::Result<Self> {
        let dir = data_dir.join("uploads");
        std::fs::create_dir_all(&dir)?;
        Ok(Self {
            dir,
            remote: blobs.stages_remotely().then(|| blobs.clone()),
            hashes: Mutex::default(),
            max_size,
            expiry: Duration::hours(expiry_hours),
        })
    }

    pub fn staged_path(&self, id: Uuid) -> PathBuf {
        self.dir.join(id.to_string())
    }

    pub async fn create(
        &self,
        db: &DatabaseConnection,
        new: NewUpload,
    ) -> Result<upload::Model, ServiceError> {
        let now = Utc::now();
        let (mut storage_key, mut multipart_id) = (None, None);
        if let Some(remote) = &self.remote {
            let key = format!("{}/{}", super::blob_gc::BLOB_PREFIX, Uuid::new_v4());
            multipart_id = Some(remote.create_multipart(&key).await?);
            storage_key = Some(key);
        }
        let row = upload::ActiveModel {
            id: Set(Uuid::new_v4()),
            owner_id: Set(new.owner),
            parent_id: Set(new.parent),
            filename: Set(new.filename),
            length: Set(new.length),
            offset: Set(0),
            created_at: Set(now),
            expires_at: Set(now + self.expiry),
            mtime: Set(new.mtime),
            partial: Set(new.partial),
            storage_key: Set(storage_key),
            multipart_id: Set(multipart_id),
            sha256: Set(None),
        };
        let model = upload::Entity::insert(row).exec_with_returning(db).await?;
        if self.remote.is_none() {
            tokio::fs::File::create(self.staged_path(model.id))
                .await
                .map_err(staging)?;
        }
        Ok(model)
    }

    /// The live upload `id` of `owner`; expired or someone else's uploads do not exist.
    pub async fn find(
        &self,
        db: &DatabaseConnection,
        owner: Uuid,
        id: Uuid,
    ) -> Result<upload::Model, ServiceError> {
        match upload::Entity::find_by_id(id).one(db).await? {
            Some(u) if u.owner_id == owner && u.expires_at > Utc::now() => Ok(u),
            _ => Err(AppError::NotFound.into()),
        }
    }

    /// Appends `body` at `offset`, which must be where the upload stands. Bytes that arrived
    /// before the connection broke are kept, and the offset says so.
    pub async fn append<S>(
        &self,
        db: &DatabaseConnection,
        upload: &upload::Model,
        offset: i64,
        checksum: Option<Checksum>,
        mut body: S,
    ) -> Result<Appended, ServiceError>
    where
        S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
    {
        let state = self.state(upload.id);
        let mut guard = state.lock().await;
        // Re-read under the lock: another PATCH may have moved the offset meanwhile.
        let current = self.find(db, upload.owner_id, upload.id).await?;
        if offset != current.offset {
            return Err(AppError::conflict(
                "upload_offset",
                format!(
                    "Upload-Offset {offset} does not match the upload's offset {}.",
                    current.offset
                ),
            )
            .into());
        }
        if let Some(remote) = &self.remote {
            if current.offset == current.length && current.sha256.is_some() {
                let offset = current.offset;
                return Ok(Appended {
                    offset,
                    complete: true,
                });
            }
            return super::s3_staging::append(db, remote, &current, checksum, body).await;
        }
        let path = self.staged_path(upload.id);
        let mut hasher = match guard.take() {
            Some((at, hasher)) if at == current.offset => hasher,
            _ => rehash(&path, current.offset).await?,
        };
        let before = hasher.clone();
        let mut body_digest = checksum.as_ref().map(Checksum::digest);
        let mut file = tokio::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .await
            .map_err(staging)?;
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
                file.flush().await.map_err(staging)?;
                self.save_offset(db, upload.id, reached).await?;
                *guard = Some((reached, hasher));
                return Err(AppError::TooLarge.into());
            }
            file.write_all(&chunk).await.map_err(staging)?;
            hasher.update(&chunk);
            if let Some(digest) = body_digest.as_mut() {
                digest.update(&chunk);
            }
            reached += chunk.len() as i64;
        }
        file.flush().await.map_err(staging)?;
        if let (Some(expected), Some(digest)) = (&checksum, body_digest) {
            // A body that broke off cannot be verified either: both are discarded.
            if broken.is_some() || !digest.matches(expected) {
                file.set_len(current.offset as u64).await.map_err(staging)?;
                *guard = Some((current.offset, before));
                return Err(AppError::ChecksumMismatch.into());
            }
        }
        file.sync_data().await.map_err(staging)?;
        self.save_offset(db, upload.id, reached).await?;
        if let Some(error) = broken {
            tracing::info!(upload = %upload.id, reached, error = %error, "upload interrupted; resumable");
        }
        let complete = reached == current.length;
        *guard = Some((reached, hasher));
        Ok(Appended {
            offset: reached,
            complete,
        })
    }

    /// The SHA-256 of a complete upload.
    pub async fn digest(
        &self,
        db: &DatabaseConnection,
        upload: &upload::Model,
    ) -> Result<String, ServiceError> {
        if self.remote.is_some() {
            // Staged in S3: computed as the last part went in, and kept with the upload.
            let current = upload::Entity::find_by_id(upload.id).one(db).await?;
            return current
                .and_then(|u| u.sha256)
                .ok_or_else(|| AppError::Internal.into());
        }
        let state = self.state(upload.id);
        let mut guard = state.lock().await;
        let hasher = match guard.take() {
            Some((at, hasher)) if at == upload.length => hasher,
            _ => rehash(&self.staged_path(upload.id), upload.length).await?,
        };
        Ok(hex(&hasher.finalize()))
    }

    /// Forgets an upload (finished or terminated) and its staged bytes.
    pub async fn forget(&self, db: &DatabaseConnection, id: Uuid) -> Result<(), ServiceError> {
        upload::Entity::delete_by_id(id).exec(db).await?;
        self.hashes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
        match tokio::fs::remove_file(self.staged_path(id)).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(staging(e)),
        }
    }

    /// Gives up an upload that will not become a file: its row and every staged byte.
    pub async fn discard(
        &self,
        db: &DatabaseConnection,
        upload: &upload::Model,
    ) -> Result<(), ServiceError> {
        if let Some(remote) = &self.remote {
            super::s3_staging::discard(db, remote, upload).await?;
        }
        self.forget(db, upload.id).await
    }

    /// Removes uploads past their expiry with their staged bytes; returns how many.
    pub async fn sweep_expired(&self, db: &DatabaseConnection) -> Result<usize, ServiceError> {
        use sea_orm::{ColumnTrait, QueryFilter};
        let expired = upload::Entity::find()
            .filter(upload::Column::ExpiresAt.lt(Utc::now()))
            .all(db)
            .await?;
        for upload in &expired {
            self.discard(db, upload).await?;
        }
        Ok(expired.len())
    }

    pub(super) async fn save_offset(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        offset: i64,
    ) -> Result<(), ServiceError> {
        let row = upload::ActiveModel {
            id: Set(id),
            offset: Set(offset),
            ..Default::default()
        };
        upload::Entity::update(row).exec(db).await?;
        Ok(())
    }

    pub(super) fn state(&self, id: Uuid) -> HashState {
        self.hashes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(id)
            .or_default()
            .clone()
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

pub(super) fn staging(error: std::io::Error) -> ServiceError {
    ServiceError::Staging(error)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
