//! Uploads (tus, and a file's content replaced in one request). The uploader's right is asked
//! when an upload is created, at every PATCH and once more when its last byte arrives, so an
//! upload whose right went meanwhile (a grant removed, a link revoked, the folder moved out of
//! a link) stops, and its staged bytes are dropped, before it makes a file. Open uploads count
//! against the quota of whoever pays for them.

use app::AppError;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::Stream;
use uuid::Uuid;

use super::Service;
use crate::{
    entities::{node, upload, user},
    error::ServiceError,
    files::{
        checksum::Checksum,
        content::{self, SMALL_FILE_MAX},
        name::validate_name,
        paths::{ensure_folders, folders_of},
        quota, tree,
        uploads::NewUpload,
    },
    policy::{Actor, Need},
};

/// Who uploads: a signed-in person (with their account), or a public link acting as itself.
pub struct Uploader {
    pub actor: Actor,
    /// The person's account; None for a link.
    pub account: Option<user::Model>,
}

/// Where an upload asks to go, as its metadata says.
pub struct Wanted {
    pub filename: String,
    pub parent: Uuid,
    pub relative_path: Option<String>,
    pub mtime: Option<DateTime<Utc>>,
}

/// What a new upload will become: made only here, once the uploader's right and quota were
/// asked, so no adapter can aim an upload anywhere else.
pub struct Target(pub(super) NewUpload);

impl Target {
    pub fn length(&self) -> i64 {
        self.0.length
    }

    /// Whether the whole content can come in the creation request and be stored at once.
    pub fn is_small(&self) -> bool {
        !self.0.partial && self.0.length <= SMALL_FILE_MAX
    }
}

/// Bytes sent to an upload, and what they made.
pub struct Progress {
    pub upload: upload::Model,
    pub offset: i64,
    /// The file, once the upload is complete.
    pub file: Option<Uuid>,
}

fn too_large(max: i64) -> ServiceError {
    AppError::FileTooLarge { max_bytes: max }.into()
}

impl Service {
    /// A new upload's target from its metadata: checked, authorised, within quota, with the
    /// folders of its `relative_path` made.
    pub async fn upload_target(
        &self,
        uploader: &Uploader,
        wanted: Wanted,
        length: i64,
    ) -> Result<Target, ServiceError> {
        self.check_length(length)?;
        let filename = validate_name(&wanted.filename).map_err(|e| match e {
            AppError::Validation { message, .. } => AppError::validation("filename", message),
            other => other,
        })?;
        let parent = self
            .node(&uploader.actor, wanted.parent, Need::Upload)
            .await?;
        if !parent.is_folder() {
            return Err(AppError::validation(
                "parent_id",
                "Files can only be uploaded into folders.",
            )
            .into());
        }
        let folders = folders_of(wanted.relative_path.as_deref())?;
        match &uploader.account {
            Some(account) => quota::check_for(self.db(), account, parent.owner_id, length).await?,
            None => quota::check(self.db(), parent.owner_id, length).await?,
        }
        let author = uploader.actor.author();
        let payer = parent.owner_id;
        let parent: node::Model = ensure_folders(self.db(), author, parent, &folders).await?;
        Ok(Target(NewUpload {
            // A link's upload is the folder owner's to keep, and the link's to continue.
            owner: uploader.account.as_ref().map_or(payer, |a| a.id),
            author,
            payer,
            parent: parent.id,
            filename,
            length,
            mtime: wanted.mtime,
            partial: false,
        }))
    }

    /// A part of a parallel upload (tus concatenation): bytes only, for a person's own
    /// final upload to join; links upload in one piece.
    pub async fn partial_target(
        &self,
        uploader: &Uploader,
        length: i64,
    ) -> Result<Target, ServiceError> {
        self.check_length(length)?;
        let Some(account) = &uploader.account else {
            return Err(AppError::validation(
                "upload_concat",
                "Uploads through a link come in one piece (no parallel parts).",
            )
            .into());
        };
        let root = tree::root_of(self.db(), account.id).await?;
        quota::check_for(self.db(), account, account.id, length).await?;
        Ok(Target(NewUpload {
            owner: account.id,
            author: uploader.actor.author(),
            payer: account.id,
            parent: root.id,
            filename: "partial".into(),
            length,
            mtime: None,
            partial: true,
        }))
    }

    /// A small file sent whole with its creation: stored at once (in a shared transaction
    /// with others arriving meanwhile), with no upload to resume. With `sha256` (what the
    /// client announced), bytes of another content make nothing.
    pub async fn store_small_upload(
        &self,
        target: Target,
        bytes: Bytes,
        sha256: Option<&str>,
    ) -> Result<node::Model, ServiceError> {
        let keep = self.keep_versions();
        self.inner
            .small_files
            .store(self.db(), self.blobs(), (target.0, sha256), bytes, keep)
            .await
    }

    /// A new upload to `target`; its first bytes, if the request carries them.
    pub async fn create_upload<S>(
        &self,
        uploader: &Uploader,
        target: Target,
        first: Option<(Option<Checksum>, S)>,
    ) -> Result<Progress, ServiceError>
    where
        S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
    {
        let empty = target.0.length == 0;
        let upload = self.inner.uploads.create(self.db(), target.0, 0).await?;
        match first {
            Some((checksum, body)) => self.append(uploader, upload, 0, checksum, body).await,
            None if empty => {
                let body = futures::stream::empty();
                self.append(uploader, upload, 0, None, body).await
            }
            None => Ok(Progress {
                upload,
                offset: 0,
                file: None,
            }),
        }
    }

    /// The uploader's live upload `id`.
    pub async fn upload(
        &self,
        uploader: &Uploader,
        id: Uuid,
    ) -> Result<upload::Model, ServiceError> {
        self.inner
            .uploads
            .find(self.db(), &uploader.actor, id)
            .await
    }

    /// The next bytes of upload `id` at `offset`; once complete (and the right still there),
    /// the file.
    pub async fn append_upload<S>(
        &self,
        uploader: &Uploader,
        id: Uuid,
        offset: i64,
        checksum: Option<Checksum>,
        body: S,
    ) -> Result<Progress, ServiceError>
    where
        S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
    {
        let upload = self.upload(uploader, id).await?;
        self.recheck(uploader, &upload).await?;
        self.append(uploader, upload, offset, checksum, body).await
    }

    /// Where upload `id` stands (tus HEAD). An upload whose last byte was recorded but whose
    /// file was not made yet (the node stopped in between) is finished now: a client told
    /// "all bytes are here" takes the upload as done, so the file must exist when it hears so.
    pub async fn upload_status(
        &self,
        uploader: &Uploader,
        id: Uuid,
    ) -> Result<Progress, ServiceError> {
        let upload = self.upload(uploader, id).await?;
        if upload.offset < upload.length || upload.partial {
            let offset = upload.offset;
            return Ok(Progress {
                upload,
                offset,
                file: None,
            });
        }
        self.recheck(uploader, &upload).await?;
        let nothing = futures::stream::empty::<Result<Bytes, axum::Error>>();
        let length = upload.length;
        self.append(uploader, upload, length, None, nothing).await
    }

    /// Gives up upload `id`; its bytes are discarded.
    pub async fn terminate_upload(
        &self,
        uploader: &Uploader,
        id: Uuid,
    ) -> Result<(), ServiceError> {
        let upload = self.upload(uploader, id).await?;
        self.inner.uploads.discard(self.db(), &upload).await
    }

    /// Joins the uploader's complete partial uploads `parts`, in that order, into the file
    /// that `wanted` describes.
    pub async fn join_uploads(
        &self,
        uploader: &Uploader,
        parts: &[Uuid],
        wanted: Wanted,
    ) -> Result<Progress, ServiceError> {
        let invalid = |message: &str| -> ServiceError {
            AppError::validation("upload_concat", message.to_owned()).into()
        };
        let mut found: Vec<upload::Model> = Vec::new();
        for id in parts {
            let part = self.upload(uploader, *id).await?;
            if !part.partial {
                return Err(invalid("Only partial uploads can be joined."));
            }
            if part.offset != part.length {
                return Err(invalid(
                    "Every partial upload must be complete before the final one.",
                ));
            }
            if found.iter().any(|p| p.id == part.id) {
                return Err(invalid("A partial upload is listed twice."));
            }
            found.push(part);
        }
        if found.is_empty() {
            return Err(invalid("List the partial uploads to join."));
        }
        let length: i64 = found.iter().map(|p| p.length).sum();
        let target = self.upload_target(uploader, wanted, length).await?;
        let joined = self
            .inner
            .uploads
            .concat(self.db(), &found, target.0)
            .await?;
        let file = self.finish(uploader, &joined).await?;
        Ok(Progress {
            upload: joined,
            offset: length,
            file: Some(file),
        })
    }

    pub(super) fn check_length(&self, length: i64) -> Result<(), ServiceError> {
        if length < 0 {
            return Err(
                AppError::validation("upload_length", "Upload-Length can't be negative.").into(),
            );
        }
        let max = self.max_upload_size();
        if length > max {
            return Err(too_large(max));
        }
        Ok(())
    }

    /// Appends; when the upload is complete and the uploader still has the right, makes the
    /// file.
    async fn append<S>(
        &self,
        uploader: &Uploader,
        upload: upload::Model,
        offset: i64,
        checksum: Option<Checksum>,
        body: S,
    ) -> Result<Progress, ServiceError>
    where
        S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
    {
        let appended = self
            .inner
            .uploads
            .append(self.db(), &upload, offset, checksum, body)
            .await?;
        // A partial upload waits, complete, for the final upload that joins it.
        if !appended.complete || upload.partial {
            return Ok(Progress {
                upload,
                offset: appended.offset,
                file: None,
            });
        }
        let complete = upload::Model {
            offset: appended.offset,
            ..upload
        };
        let file = self.finish(uploader, &complete).await?;
        Ok(Progress {
            upload: complete,
            offset: appended.offset,
            file: Some(file),
        })
    }

    /// Makes the file of a complete upload, once the right to upload there is asked again.
    pub(super) async fn finish(
        &self,
        uploader: &Uploader,
        complete: &upload::Model,
    ) -> Result<Uuid, ServiceError> {
        self.recheck(uploader, complete).await?;
        let keep = self.keep_versions();
        let uploads = &self.inner.uploads;
        let file = content::finish_upload(self.db(), self.blobs(), uploads, complete, keep).await?;
        Ok(file.id)
    }

    /// Whether the uploader may still add files where `upload` goes; if not, the upload ends.
    async fn recheck(
        &self,
        uploader: &Uploader,
        upload: &upload::Model,
    ) -> Result<(), ServiceError> {
        match self
            .node(&uploader.actor, upload.parent_id, Need::Upload)
            .await
        {
            Ok(_) => Ok(()),
            Err(ServiceError::User(AppError::NotFound | AppError::Forbidden)) => {
                self.inner.uploads.discard(self.db(), upload).await?;
                Err(AppError::not_allowed(
                    "You may no longer upload into this folder, so this upload was cancelled. \
                     Ask its owner for access, then upload again.",
                )
                .into())
            }
            Err(e) => Err(e),
        }
    }
}
