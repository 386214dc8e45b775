//! Many small files in one request (the browser's drop of a folder of notes, a script's
//! backup of small files): each file goes exactly the way a tus creation that carries its
//! bytes goes (name, right, quota, folders of its path, then the shared group commit), all at
//! once so that they share their commits. Each has its own outcome: one refused leaves the
//! others made.

use app::AppError;
use bytes::Bytes;
use uuid::Uuid;

use super::{Service, Uploader, Wanted};
use crate::{error::ServiceError, files::content::SMALL_FILE_MAX};

/// One file of a batch: where it goes, its bytes, and the SHA-256 (hex) its sender announced.
pub struct BatchFile {
    pub wanted: Wanted,
    pub bytes: Bytes,
    pub sha256: Option<String>,
}

impl Service {
    /// Stores each file as its own upload would; the outcomes come in the files' order.
    pub async fn upload_batch(
        &self,
        uploader: &Uploader,
        files: Vec<BatchFile>,
    ) -> Vec<Result<Uuid, ServiceError>> {
        let each = files
            .into_iter()
            .map(|file| self.upload_one(uploader, file));
        futures::future::join_all(each).await
    }

    async fn upload_one(&self, uploader: &Uploader, file: BatchFile) -> Result<Uuid, ServiceError> {
        let length = file.bytes.len() as i64;
        if length > SMALL_FILE_MAX {
            return Err(AppError::validation(
                "length",
                "A file in a batch is at most 1 MiB; send larger files over tus.",
            )
            .into());
        }
        let target = self.upload_target(uploader, file.wanted, length).await?;
        let made = self
            .store_small_upload(target, file.bytes, file.sha256.as_deref())
            .await?;
        Ok(made.id)
    }
}
