//! Uploads in progress (tus): their rows, and their bytes staged on this machine
//! (`local_staging`) or in S3 (`s3_staging`). Only the uploader can see or touch an upload.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, Mutex},
};

use app::AppError;
use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use futures::Stream;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::activity::Author;
pub use super::checksum::Checksum;
use super::local_staging::rehash;
use crate::{entities::upload, error::ServiceError, storage::BlobStore};

/// What a PATCH left: the offset reached, and whether the upload is complete.
pub struct Appended {
    pub offset: i64,
    pub complete: bool,
}

pub(super) type HashState = Arc<tokio::sync::Mutex<Option<(i64, Sha256)>>>;

/// What a new upload will become.
#[derive(Clone)]
pub struct NewUpload {
    /// Whose upload it is: the uploader, or for a link's upload the folder's owner.
    pub owner: Uuid,
    /// Who uploads: a person, or a link (which never replaces: a taken name gets a free one).
    pub author: Author,
    /// Whose quota pays: the folder's owner.
    pub payer: Uuid,
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

    /// A new upload, once it is admitted (the uploader's open uploads and the payer's quota,
    /// counting what open uploads will store; `releasing`: open bytes this one takes over).
    pub async fn create(
        &self,
        db: &DatabaseConnection,
        new: NewUpload,
        releasing: i64,
    ) -> Result<upload::Model, ServiceError> {
        let now = Utc::now();
        // Staged in S3: where the object will be is chosen now, the multipart upload is
        // started when the first part arrives (`staged_multipart`).
        let storage_key = self
            .remote
            .as_ref()
            .map(|_| format!("{}/{}", super::blob_gc::BLOB_PREFIX, Uuid::new_v4()));
        let row = upload::ActiveModel {
            id: Set(Uuid::new_v4()),
            owner_id: Set(new.owner),
            parent_id: Set(new.parent),
            filename: Set(new.filename.clone()),
            length: Set(new.length),
            offset: Set(0),
            created_at: Set(now),
            expires_at: Set(now + self.expiry),
            mtime: Set(new.mtime),
            partial: Set(new.partial),
            storage_key: Set(storage_key),
            multipart_id: Set(None),
            sha256: Set(None),
            link_id: Set(new.author.link()),
            payer_id: Set(Some(new.payer)),
        };
        let model = super::admission::insert(db, &new, releasing, row).await?;
        if self.remote.is_none() {
            tokio::fs::File::create(self.staged_path(model.id))
                .await
                .map_err(staging)?;
        }
        Ok(model)
    }

    /// The live upload `id` of `actor`: a person's own (not one made through a link), or the
    /// link's own; expired or anyone else's uploads do not exist.
    pub async fn find(
        &self,
        db: &DatabaseConnection,
        actor: &crate::policy::Actor,
        id: Uuid,
    ) -> Result<upload::Model, ServiceError> {
        let upload = self.find_live(db, id).await?;
        let own = crate::policy::Action::OwnUpload {
            owner: upload.owner_id,
            link: upload.link_id,
        };
        crate::policy::authorize(actor, own)?;
        Ok(upload)
    }

    /// The upload `id`, if it has not expired.
    async fn find_live(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
    ) -> Result<upload::Model, ServiceError> {
        match upload::Entity::find_by_id(id).one(db).await? {
            Some(u) if u.expires_at > Utc::now() => Ok(u),
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
        body: S,
    ) -> Result<Appended, ServiceError>
    where
        S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
    {
        let state = self.state(upload.id);
        let mut guard = state.lock().await;
        // Re-read under the lock: another PATCH may have moved the offset meanwhile.
        let current = self.find_live(db, upload.id).await?;
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
                super::s3_staging::ensure_complete(db, remote, &current).await?;
                let offset = current.offset;
                return Ok(Appended {
                    offset,
                    complete: true,
                });
            }
            return super::s3_staging::append(db, remote, &current, checksum, body).await;
        }
        let hasher = guard.take();
        let appended = self
            .append_local(db, &current, hasher, checksum, body)
            .await;
        match appended {
            Ok((appended, hashed)) => {
                *guard = hashed;
                Ok(appended)
            }
            // The disk is full: the upload could not fit, and its staged bytes would keep
            // the disk full for everyone. It is given up whole; the client is told why.
            Err(e) if crate::outage::disk_full(&e) => {
                drop(guard);
                tracing::warn!(upload = %current.id, "disk full: upload given up");
                if let Err(e) = self.discard(db, &current).await {
                    tracing::warn!(error = %e, "could not remove the upload after a full disk");
                }
                Err(AppError::InsufficientStorage.into())
            }
            Err(e) => Err(e),
        }
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
        if let Some(remote) = &self.remote {
            let prefix = format!("{}/", super::blob_gc::BLOB_PREFIX);
            let orphans = super::staged_multipart::sweep_orphans(db, remote, &prefix).await?;
            if orphans > 0 {
                tracing::info!(orphans, "unrecorded multipart uploads aborted");
            }
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

pub(super) fn staging(error: std::io::Error) -> ServiceError {
    ServiceError::Staging(error)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
