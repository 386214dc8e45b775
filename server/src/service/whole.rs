//! A file sent whole in one request (WebDAV's PUT): through the same staging and completion
//! as tus (dedup, a new version over a file of that name, quota, activity, search and
//! previews). A body that ends early leaves nothing behind; one of unknown length (chunked,
//! with no expected length) is spooled to the staging disk first, to learn its length.

use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use super::{short_body, Service, Uploader, Wanted};
use crate::error::ServiceError;

impl Service {
    /// Makes the file `wanted` (or its new version) from `body`, of `length` bytes when known.
    /// Returns the file's id.
    pub async fn upload_whole<S>(
        &self,
        uploader: &Uploader,
        wanted: Wanted,
        length: Option<i64>,
        body: S,
    ) -> Result<Uuid, ServiceError>
    where
        S: Stream<Item = Result<Bytes, axum::Error>> + Unpin + Send,
    {
        let Some(length) = length else {
            let spool = self.inner.uploads.staged_path(Uuid::new_v4());
            let result = self.spooled(uploader, wanted, &spool, body).await;
            tokio::fs::remove_file(&spool).await.ok();
            return result;
        };
        let target = self.upload_target(uploader, wanted, length).await?;
        if target.is_small() {
            let bytes = whole(body, length).await?;
            return Ok(self.store_small_upload(target, bytes, None).await?.id);
        }
        let complete = self.staged_whole(target.0, body).await?;
        match self.finish(uploader, &complete).await {
            Ok(id) => Ok(id),
            Err(e) => {
                self.inner.uploads.discard(self.db(), &complete).await.ok();
                Err(e)
            }
        }
    }

    async fn spooled<S>(
        &self,
        uploader: &Uploader,
        wanted: Wanted,
        spool: &std::path::Path,
        mut body: S,
    ) -> Result<Uuid, ServiceError>
    where
        S: Stream<Item = Result<Bytes, axum::Error>> + Unpin + Send,
    {
        let max = self.max_upload_size();
        let mut file = tokio::fs::File::create(spool)
            .await
            .map_err(ServiceError::Staging)?;
        let mut length: i64 = 0;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|_| short_body())?;
            length += chunk.len() as i64;
            self.check_length(length)?;
            file.write_all(&chunk)
                .await
                .map_err(ServiceError::Staging)?;
        }
        file.flush().await.map_err(ServiceError::Staging)?;
        drop(file);
        debug_assert!(length <= max);
        let file = tokio::fs::File::open(spool)
            .await
            .map_err(ServiceError::Staging)?;
        let stream = tokio_util::io::ReaderStream::new(file).map_err(axum::Error::new);
        Box::pin(self.upload_whole(uploader, wanted, Some(length), stream)).await
    }
}

/// The whole of a small body, which must be `length` bytes.
async fn whole<S>(mut body: S, length: i64) -> Result<Bytes, ServiceError>
where
    S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
{
    let mut buf = Vec::with_capacity(length.max(0) as usize);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| short_body())?;
        if buf.len() + chunk.len() > length as usize {
            return Err(app::AppError::validation(
                "body",
                "The body is longer than the length it announced; nothing was stored.",
            )
            .into());
        }
        buf.extend_from_slice(&chunk);
    }
    if buf.len() != length as usize {
        return Err(short_body().into());
    }
    Ok(Bytes::from(buf))
}
