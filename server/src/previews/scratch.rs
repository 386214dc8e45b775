//! Scratch space for renderers and converters: content streamed from blob storage into a
//! file (never whole in memory), and a directory per conversion, removed when done.

use std::path::{Path, PathBuf};

use futures::StreamExt;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use tokio::io::AsyncWriteExt;

use super::{pdf::Scratch, storage_key, Fetch, Kind, Previews, Refusal};
use crate::{entities::blob, search::extract::Extracted, storage::StorageError};

/// Where the PDF made from an office document is kept (once per content).
pub fn converted_key(sha256: &str) -> String {
    storage_key(sha256, "converted.pdf")
}

/// A directory of one conversion's own, removed with everything in it when dropped.
pub struct WorkDir(pub PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Previews {
    /// A fresh directory for one conversion.
    pub(crate) async fn work_dir(&self) -> Result<WorkDir, String> {
        let dir = self.scratch.join(format!("work-{}", uuid::Uuid::new_v4()));
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| format!("scratch space: {e}"))?;
        Ok(WorkDir(dir))
    }

    /// The PDF to render for this content (the file itself, or the PDF its office document
    /// became) streamed into a scratch file of the renderer's.
    pub(super) async fn pdf_copy(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
        kind: Kind,
    ) -> Result<Scratch, Fetch> {
        let renderer = self
            .pdf
            .as_ref()
            .ok_or_else(|| Fetch::Refused(Refusal("PDF previews are not available here".into())))?;
        let scratch = renderer.scratch_file();
        if kind == Kind::Office {
            self.blob_to(&converted_key(sha256), &scratch.0).await?;
        } else {
            self.content_to(db, sha256, &scratch.0).await?;
        }
        Ok(scratch)
    }

    /// The text of a PDF (or of the PDF an office document became), at most `limit` bytes.
    pub(crate) async fn pdf_text(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
        kind: Kind,
        limit: usize,
    ) -> Result<Result<Extracted, String>, Fetch> {
        let renderer = self
            .pdf
            .as_ref()
            .ok_or_else(|| Fetch::Refused(Refusal("PDF text is not available here".into())))?;
        let input = self.pdf_copy(db, sha256, kind).await?;
        Ok(renderer.text_file(&input.0, limit).await.map_err(|r| r.0))
    }

    /// The content with this SHA-256 streamed into `path` (refused when larger than previews
    /// read).
    pub(crate) async fn content_to(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
        path: &Path,
    ) -> Result<(), Fetch> {
        let stored = blob::Entity::find()
            .filter(blob::Column::Sha256.eq(sha256))
            .one(db)
            .await
            .map_err(|e| Fetch::Later(e.to_string()))?
            .ok_or_else(|| Fetch::Refused(Refusal("the content no longer exists".into())))?;
        if stored.size as u64 > self.settings.max_input_bytes {
            return Err(Fetch::Refused(Refusal(format!(
                "the file is larger than {} MB, the most previews read",
                self.settings.max_input_bytes / 1_000_000
            ))));
        }
        self.blob_to(&stored.storage_key, path).await
    }

    /// Blob `key` streamed into `path`.
    async fn blob_to(&self, key: &str, path: &Path) -> Result<(), Fetch> {
        let later = |e: &dyn std::fmt::Display| Fetch::Later(e.to_string());
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| later(&e))?;
        }
        let mut stream = match self.blobs.get(key).await {
            Ok(stream) => stream,
            Err(StorageError::NotFound) => {
                return Err(Fetch::Refused(Refusal(
                    "the content no longer exists".into(),
                )))
            }
            Err(e) => return Err(later(&e)),
        };
        let mut file = tokio::fs::File::create(path).await.map_err(|e| later(&e))?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| later(&e))?;
            file.write_all(&chunk).await.map_err(|e| later(&e))?;
        }
        file.flush().await.map_err(|e| later(&e))?;
        Ok(())
    }
}
