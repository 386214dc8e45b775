//! A file's new content in one request (`PUT …/content`): a new version, for those who may
//! replace it (owners, editors, managers; never a link). The right is asked before the bytes
//! are read and once more after they arrived.

use app::AppError;
use bytes::Bytes;
use futures::Stream;
use uuid::Uuid;

use super::Service;
use crate::{
    entities::{node, upload, user},
    error::ServiceError,
    files::{content, quota, uploads::NewUpload},
    policy::{Actor, Need},
};

impl Service {
    /// An upload of `new` made of the whole `body`, staged like tus's: complete, or dropped
    /// with every staged byte (and an error) when the body ended early.
    pub(super) async fn staged_whole<S>(
        &self,
        new: NewUpload,
        body: S,
    ) -> Result<upload::Model, ServiceError>
    where
        S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
    {
        let uploads = &self.inner.uploads;
        let upload = uploads.create(self.db(), new, 0).await?;
        let appended = uploads.append(self.db(), &upload, 0, None, body).await;
        match appended {
            Ok(a) if a.complete => Ok(upload::Model {
                offset: a.offset,
                ..upload
            }),
            other => {
                uploads.discard(self.db(), &upload).await?;
                other?;
                Err(short_body().into())
            }
        }
    }

    /// New content for the file `id` in one request (a new version): `length` bytes of
    /// `body`. The right to replace is asked before and once more after the bytes arrived.
    pub async fn replace_content<S>(
        &self,
        actor: &Actor,
        account: &user::Model,
        id: Uuid,
        length: i64,
        small: Option<Bytes>,
        body: S,
    ) -> Result<node::Model, ServiceError>
    where
        S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
    {
        let file = self.file(actor, id, Need::Replace).await?;
        self.check_length(length)?;
        let parent = file.parent_id.ok_or(AppError::NotFound)?;
        quota::check_for(self.db(), account, file.owner_id, length).await?;
        let new = NewUpload {
            owner: account.id,
            author: actor.author(),
            payer: file.owner_id,
            parent,
            filename: file.name.clone(),
            length,
            mtime: None,
            partial: false,
        };
        let keep = self.keep_versions();
        if let Some(bytes) = small {
            return content::store_small(self.db(), self.blobs(), &new, bytes, keep).await;
        }
        let uploads = &self.inner.uploads;
        let complete = self.staged_whole(new, body).await?;
        // The body took its time: the right to replace is asked once more.
        if let Err(e) = self.file(actor, id, Need::Replace).await {
            uploads.discard(self.db(), &complete).await?;
            return Err(e);
        }
        content::finish_upload(self.db(), self.blobs(), uploads, &complete, keep).await
    }
}

/// The body ended before the length it announced.
pub fn short_body() -> AppError {
    AppError::validation(
        "body",
        "The body ended before the length it announced; nothing was stored. Send the file again.",
    )
}
