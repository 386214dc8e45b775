//! S3 multipart uploads, for uploads staged in the bucket: each part is stored as it comes,
//! and completing the upload joins the parts inside S3 (no bytes pass through GoSync again).
//! Parts are numbered from 0 here; every part but the last must be at least 5 MiB.

use std::sync::Arc;

use bytes::Bytes;
use object_store::{
    aws::AmazonS3,
    multipart::{MultipartStore, PartId},
    path::Path as ObjectPath,
    MultipartId, PutPayload,
};

use super::{BlobStore, StorageError};

#[derive(Clone)]
pub(super) struct S3Multipart {
    pub(super) store: Arc<AmazonS3>,
    /// The bucket folder the rest of the store is kept in (`storage.prefix`).
    pub(super) prefix: Option<ObjectPath>,
    /// The bucket's address (path style) and region, for the requests object_store does not
    /// make (`multipart_list`).
    pub(super) bucket_url: String,
    pub(super) region: String,
}

impl S3Multipart {
    fn path(&self, key: &str) -> ObjectPath {
        match &self.prefix {
            Some(prefix) => prefix
                .parts()
                .chain(ObjectPath::from(key).parts())
                .collect(),
            None => ObjectPath::from(key),
        }
    }
}

fn unsupported() -> StorageError {
    StorageError::Backend(object_store::Error::Generic {
        store: "local",
        source: "multipart uploads are for S3 storage".into(),
    })
}

impl BlobStore {
    /// Whether uploads stage in the bucket (S3) rather than on this machine's disk.
    pub fn stages_remotely(&self) -> bool {
        self.s3.is_some()
    }

    /// Starts a multipart upload that will become the object `key`; returns its id.
    pub async fn create_multipart(&self, key: &str) -> Result<String, StorageError> {
        let s3 = self.s3.as_ref().ok_or_else(unsupported)?;
        Ok(s3.store.create_multipart(&s3.path(key)).await?)
    }

    /// Stores part `index`; returns the id (ETag) that completing needs.
    pub async fn put_part(
        &self,
        key: &str,
        upload: &str,
        index: usize,
        bytes: Bytes,
    ) -> Result<String, StorageError> {
        let s3 = self.s3.as_ref().ok_or_else(unsupported)?;
        let id: MultipartId = upload.to_owned();
        let part = s3
            .store
            .put_part(&s3.path(key), &id, index, PutPayload::from(bytes))
            .await?;
        Ok(part.content_id)
    }

    /// Joins the parts (their ids in order) into the object `key`.
    pub async fn complete_multipart(
        &self,
        key: &str,
        upload: &str,
        parts: Vec<String>,
    ) -> Result<(), StorageError> {
        let s3 = self.s3.as_ref().ok_or_else(unsupported)?;
        let parts = parts
            .into_iter()
            .map(|content_id| PartId { content_id })
            .collect();
        s3.store
            .complete_multipart(&s3.path(key), &upload.to_owned(), parts)
            .await?;
        Ok(())
    }

    /// Gives up a multipart upload and the parts stored so far.
    pub async fn abort_multipart(&self, key: &str, upload: &str) -> Result<(), StorageError> {
        let s3 = self.s3.as_ref().ok_or_else(unsupported)?;
        match s3
            .store
            .abort_multipart(&s3.path(key), &upload.to_owned())
            .await
        {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
