//! tus concatenation: complete partial uploads, sent in parallel, joined in order into one
//! upload that then becomes the file. The first part's bytes and hash state are taken over
//! as they are (a rename); the others are hashed and appended. Staged in S3, the parts'
//! objects are streamed into the joined upload.

use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use app::AppError;
use futures::{stream, StreamExt};

use super::{
    local_staging::rehash,
    uploads::{staging, NewUpload, Uploads},
};
use crate::{entities::upload, error::ServiceError, storage::BlobStore};
use sea_orm::DatabaseConnection;

impl Uploads {
    /// A new, complete upload made of `parts` (complete partial uploads, in order), which are
    /// gone afterwards. `target.length` must be the parts' total.
    pub async fn concat(
        &self,
        db: &DatabaseConnection,
        parts: &[upload::Model],
        target: NewUpload,
    ) -> Result<upload::Model, ServiceError> {
        let length = target.length;
        let joined = self.create(db, target, length).await?;
        if let Some(remote) = &self.remote {
            return self.concat_remote(db, remote, parts, joined).await;
        }
        let path = self.staged_path(joined.id);
        let mut hasher = Sha256::new();
        for (i, part) in parts.iter().enumerate() {
            let state = self.state(part.id);
            let mut guard = state.lock().await;
            let part_path = self.staged_path(part.id);
            if i == 0 {
                hasher = match guard.take() {
                    Some((at, hasher)) if at == part.length => hasher,
                    _ => rehash(&part_path, part.length).await?,
                };
                tokio::fs::rename(&part_path, &path)
                    .await
                    .map_err(staging)?;
            } else {
                append_hashed(&part_path, &path, &mut hasher).await?;
            }
        }
        let state = self.state(joined.id);
        *state.lock().await = Some((length, hasher));
        self.save_offset(db, joined.id, length).await?;
        for part in parts {
            self.forget(db, part.id).await?;
        }
        Ok(upload::Model {
            offset: length,
            ..joined
        })
    }
}

impl Uploads {
    /// Staged in S3, each complete part is an object: their bytes are streamed, in order,
    /// into the joined upload's parts (S3 offers no server-side join of objects here).
    async fn concat_remote(
        &self,
        db: &DatabaseConnection,
        remote: &BlobStore,
        parts: &[upload::Model],
        joined: upload::Model,
    ) -> Result<upload::Model, ServiceError> {
        let keys: Vec<String> = parts
            .iter()
            .map(|p| p.storage_key.clone())
            .collect::<Option<_>>()
            .ok_or(AppError::Internal)?;
        let store = remote.clone();
        let body = stream::iter(keys)
            .then(move |key| {
                let store = store.clone();
                async move {
                    match store.get(&key).await {
                        Ok(bytes) => bytes,
                        Err(e) => stream::once(async { Err(e) }).boxed(),
                    }
                }
            })
            .flatten()
            .map(|chunk| chunk.map_err(axum::Error::new))
            .boxed();
        let appended = super::s3_staging::append(db, remote, &joined, None, body).await?;
        if !appended.complete {
            return Err(AppError::Internal.into());
        }
        for part in parts {
            self.discard(db, part).await?;
        }
        Ok(upload::Model {
            offset: appended.offset,
            ..joined
        })
    }
}

async fn append_hashed(
    from: &std::path::Path,
    to: &std::path::Path,
    hasher: &mut Sha256,
) -> Result<(), ServiceError> {
    let mut source = tokio::fs::File::open(from).await.map_err(staging)?;
    let mut target = tokio::fs::OpenOptions::new()
        .append(true)
        .open(to)
        .await
        .map_err(staging)?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = source.read(&mut buf).await.map_err(staging)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        target.write_all(&buf[..n]).await.map_err(staging)?;
    }
    target.sync_data().await.map_err(staging)
}
