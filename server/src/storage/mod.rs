//! Blob storage through `object_store`: a local directory by default (`<data-dir>/blobs`), or
//! any S3-compatible service. Blobs are immutable and live under keys the server chooses;
//! small contents live in the database instead (`in_db`), under keys of their own.

use std::{ops::Range, path::Path, sync::Arc};

use anyhow::Context;
use bytes::Bytes;
use futures::stream::BoxStream;
use object_store::{
    aws::AmazonS3Builder, local::LocalFileSystem, path::Path as ObjectPath, prefix::PrefixStore,
    ObjectStore, ObjectStoreExt, PutPayload,
};

use crate::config::{StorageKind, StorageSettings};

pub mod in_db;
mod multipart;
mod multipart_list;
pub use multipart_list::OpenMultipart;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("blob not found")]
    NotFound,
    #[error("storage failed: {0}")]
    Backend(#[source] object_store::Error),
    #[error("database failed: {0}")]
    Database(#[from] sea_orm::DbErr),
}

impl From<object_store::Error> for StorageError {
    fn from(error: object_store::Error) -> Self {
        match error {
            object_store::Error::NotFound { .. } => StorageError::NotFound,
            other => StorageError::Backend(other),
        }
    }
}

/// The bucket's path-style address: under the configured endpoint, or AWS's own.
fn bucket_url(settings: &StorageSettings, bucket: &str) -> String {
    let endpoint = match &settings.endpoint {
        Some(endpoint) => endpoint.trim_end_matches('/').to_owned(),
        None => format!("https://s3.{}.amazonaws.com", settings.region),
    };
    format!("{endpoint}/{bucket}")
}

fn io_error(error: std::io::Error) -> StorageError {
    StorageError::Backend(object_store::Error::Generic {
        store: "staging",
        source: Box::new(error),
    })
}

/// A blob's bytes as they are read.
pub type ByteStream = BoxStream<'static, Result<Bytes, StorageError>>;

#[derive(Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
    /// The directory, for local storage (health checks look at it).
    local_dir: Option<std::path::PathBuf>,
    /// S3's multipart API, for uploads staged in the bucket (see `multipart`).
    s3: Option<multipart::S3Multipart>,
    /// Where small contents are kept (see `in_db`); without it, every content is an object.
    db: Option<sea_orm::DatabaseConnection>,
}

impl BlobStore {
    /// The configured storage; small contents are kept in `db` when given (the server's
    /// database: every process of a deployment must pass it, to read what the others kept).
    pub fn from_settings(
        settings: &StorageSettings,
        data_dir: &Path,
        db: Option<sea_orm::DatabaseConnection>,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            db,
            ..Self::objects(settings, data_dir)?
        })
    }

    fn objects(settings: &StorageSettings, data_dir: &Path) -> anyhow::Result<Self> {
        match settings.kind {
            StorageKind::Local => {
                let dir = data_dir.join("blobs");
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create blob directory {}", dir.display()))?;
                let store = LocalFileSystem::new_with_prefix(&dir)?;
                Ok(Self {
                    inner: Arc::new(store),
                    local_dir: Some(dir),
                    s3: None,
                    db: None,
                })
            }
            StorageKind::S3 => {
                let bucket = settings.bucket.as_deref().filter(|b| !b.is_empty());
                let bucket = bucket.context("GOSYNC_STORAGE__BUCKET is required with kind = s3")?;
                // A storage that does not answer fails the request within seconds (503, try
                // again) instead of the client's default of retrying for three minutes.
                let retry = object_store::RetryConfig {
                    max_retries: 3,
                    retry_timeout: std::time::Duration::from_secs(3),
                    backoff: Default::default(),
                };
                // object_store's TLS uses the process's crypto provider.
                crate::tls::install_crypto();
                let client = object_store::ClientOptions::new()
                    .with_connect_timeout(std::time::Duration::from_secs(2));
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(settings.region.clone())
                    .with_retry(retry)
                    .with_client_options(client);
                if let Some(endpoint) = &settings.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_virtual_hosted_style_request(false);
                }
                if let (Some(id), Some(secret)) =
                    (&settings.access_key_id, &settings.secret_access_key)
                {
                    builder = builder
                        .with_access_key_id(id)
                        .with_secret_access_key(secret.expose());
                }
                let store = Arc::new(builder.build().context("invalid S3 storage settings")?);
                let prefix = settings
                    .prefix
                    .as_deref()
                    .map(|p| p.trim_matches('/'))
                    .filter(|p| !p.is_empty())
                    .map(ObjectPath::from);
                let inner: Arc<dyn ObjectStore> = match &prefix {
                    Some(prefix) => Arc::new(PrefixStore::new(store.clone(), prefix.clone())),
                    None => store.clone(),
                };
                Ok(Self {
                    inner,
                    local_dir: None,
                    s3: Some(multipart::S3Multipart {
                        store,
                        prefix,
                        bucket_url: bucket_url(settings, bucket),
                        region: settings.region.clone(),
                    }),
                    db: None,
                })
            }
        }
    }

    /// A new key for a content of `len` bytes kept in the database, when it is small enough
    /// and this store keeps small contents there.
    pub fn small_key(&self, len: usize) -> Option<String> {
        (self.db.is_some() && len <= in_db::SMALL_MAX).then(in_db::new_key)
    }

    /// The database of a key kept there; None for an object's key.
    fn db_of(&self, key: &str) -> Result<Option<&sea_orm::DatabaseConnection>, StorageError> {
        if !in_db::is_in_db(key) {
            return Ok(None);
        }
        // A store without the database cannot read what is kept there.
        self.db.as_ref().map(Some).ok_or(StorageError::NotFound)
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        if let Some(db) = self.db_of(key)? {
            return Ok(in_db::insert(db, &[(key, &bytes)]).await?);
        }
        self.inner
            .put(&ObjectPath::from(key), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    /// Stores a new blob and waits until it is on disk (local storage: written and synced;
    /// S3 answers once the object is stored). `key` must be new.
    pub async fn put_durable(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        if self.db_of(key)?.is_some() {
            return self.put(key, bytes).await;
        }
        let Some(dir) = &self.local_dir else {
            return self.put(key, bytes).await;
        };
        let path = dir.join(key);
        tokio::task::spawn_blocking(move || {
            use std::io::Write;
            let open = || {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
            };
            let mut file = match open() {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    open()?
                }
                other => other?,
            };
            let written = file.write_all(&bytes).and_then(|()| file.sync_data());
            if written.is_err() {
                // A full disk: nothing half-written stays behind.
                let _ = std::fs::remove_file(&path);
            }
            written
        })
        .await
        .map_err(|e| io_error(std::io::Error::other(e)))?
        .map_err(io_error)
    }

    /// The whole blob, as a stream of chunks.
    pub async fn get(&self, key: &str) -> Result<ByteStream, StorageError> {
        self.read(key, None).await
    }

    /// Bytes `range` of a blob (all of it when `None`), streamed: a local file is read in
    /// 1 MiB chunks, S3 answers a ranged GET. Nothing is held whole in memory.
    pub async fn read(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<ByteStream, StorageError> {
        use futures::StreamExt;
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        if let Some(db) = self.db_of(key)? {
            let bytes = in_db::read(db, key, range).await?;
            return Ok(futures::stream::once(async move { Ok(bytes) }).boxed());
        }
        if let Some(dir) = &self.local_dir {
            let mut file = match tokio::fs::File::open(dir.join(key)).await {
                Ok(file) => file,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(StorageError::NotFound)
                }
                Err(e) => return Err(io_error(e)),
            };
            let reader: Box<dyn tokio::io::AsyncRead + Send + Unpin> = match range {
                Some(range) => {
                    file.seek(std::io::SeekFrom::Start(range.start))
                        .await
                        .map_err(io_error)?;
                    Box::new(file.take(range.end.saturating_sub(range.start)))
                }
                None => Box::new(file),
            };
            let stream = tokio_util::io::ReaderStream::with_capacity(reader, 1 << 20);
            return Ok(stream.map(|chunk| chunk.map_err(io_error)).boxed());
        }
        let options = object_store::GetOptions {
            range: range.map(object_store::GetRange::Bounded),
            ..Default::default()
        };
        let result = self.inner.get_opts(&ObjectPath::from(key), options).await?;
        Ok(result
            .into_stream()
            .map(|chunk| chunk.map_err(StorageError::from))
            .boxed())
    }

    /// Bytes `range` of a blob, in memory (for small reads).
    pub async fn get_range(&self, key: &str, range: Range<u64>) -> Result<Bytes, StorageError> {
        if let Some(db) = self.db_of(key)? {
            return in_db::read(db, key, Some(range)).await;
        }
        Ok(self.inner.get_range(&ObjectPath::from(key), range).await?)
    }

    pub async fn size(&self, key: &str) -> Result<u64, StorageError> {
        if let Some(db) = self.db_of(key)? {
            return Ok(in_db::read(db, key, None).await?.len() as u64);
        }
        Ok(self.inner.head(&ObjectPath::from(key)).await?.size)
    }

    /// Makes the finished file at `staged` the blob `key`: a rename on local storage (no bytes
    /// copied), a streamed multipart upload on S3. `staged` is gone afterwards.
    pub async fn adopt(&self, staged: &Path, key: &str) -> Result<(), StorageError> {
        if let Some(dir) = &self.local_dir {
            let target = dir.join(key);
            if let Some(parent) = target.parent() {
                tokio::fs::create_dir_all(parent).await.map_err(io_error)?;
            }
            return tokio::fs::rename(staged, &target).await.map_err(io_error);
        }
        let mut file = tokio::fs::File::open(staged).await.map_err(io_error)?;
        let mut writer =
            object_store::buffered::BufWriter::new(self.inner.clone(), ObjectPath::from(key));
        tokio::io::copy(&mut file, &mut writer)
            .await
            .map_err(io_error)?;
        tokio::io::AsyncWriteExt::shutdown(&mut writer)
            .await
            .map_err(io_error)?;
        tokio::fs::remove_file(staged).await.map_err(io_error)
    }

    /// Every object under `prefix`, with when it was written.
    pub fn list(
        &self,
        prefix: &str,
    ) -> BoxStream<'static, Result<(String, chrono::DateTime<chrono::Utc>), StorageError>> {
        use futures::StreamExt;
        self.inner
            .list(Some(&ObjectPath::from(prefix)))
            .map(|meta| {
                meta.map(|m| (m.location.to_string(), m.last_modified))
                    .map_err(StorageError::from)
            })
            .boxed()
    }

    /// Deleting a missing blob is not an error (a purge may be retried).
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        if let Some(db) = self.db_of(key)? {
            return Ok(in_db::delete(db, key).await?);
        }
        match self.inner.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether the storage answers (for /readyz): its bucket can be listed.
    pub async fn ping(&self) -> bool {
        use futures::StreamExt;
        if let Some(dir) = &self.local_dir {
            return tokio::fs::metadata(dir).await.is_ok_and(|m| m.is_dir());
        }
        // A listing, not a read: a read of a missing key cannot tell a missing bucket
        // (a storage that is not ready yet, or misnamed) from a missing object.
        let mut listing = self.inner.list(Some(&ObjectPath::from("health")));
        match listing.next().await.transpose() {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(error = %e, "storage does not answer");
                false
            }
        }
    }
}
