//! Group commit for small new files. Each request stores its blob (or finds the content
//! stored already; contents small enough for the database are written with the batch), then
//! hands the file to one committer task, which records the new files that arrived meanwhile
//! in one transaction with multi-row inserts: one commit, one charge per payer and a handful
//! of statements for many uploads. With one upload in flight a
//! batch is that upload alone, so nothing waits for company.
//!
//! Anything a batch can't record cleanly goes back to its request, which records it alone
//! the usual way and gets the usual answer: a name already taken (a new version), a folder
//! gone, a quota the batch as a whole would exceed, any error at all (the batch rolls back).

use std::sync::Arc;

use bytes::Bytes;
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, oneshot, Semaphore};

use super::{
    blob_gc::new_blob_key,
    content::{find_blob, record_alone},
    uploads::{hex, NewUpload},
};
use crate::{
    entities::{blob, node},
    error::ServiceError,
    storage::BlobStore,
};

mod batch;
mod taken;

/// The most new files one transaction records.
const MAX_BATCH: usize = 64;
/// The most batches committing at once (SQLite has a single writer anyway). One: with small contents written in the
/// batch, a request has little left to do outside it, and two in flight split the waiting
/// files into batches of about 4 (11 statements each); one made 1,396–1,571 files/s against
/// 1,324 in `scripts/bench-small-files.sh`, at 0.84–0.95 ms of CPU per file against 1.18.
const MAX_IN_FLIGHT: usize = 1;

/// Where a file's content is: a blob stored before, bytes this request just stored, or
/// small bytes to keep in the database (under this key) with the batch's rows.
enum Content {
    Existing(blob::Model),
    New(String),
    InDb(String, Bytes),
}

struct Pending {
    target: NewUpload,
    sha256: String,
    content: Content,
    /// The file, or None: record it alone.
    reply: oneshot::Sender<Option<node::Model>>,
}

/// The handle requests use; the committer task ends when the last handle is dropped.
#[derive(Clone)]
pub struct GroupCommit {
    queue: mpsc::Sender<Pending>,
}

impl GroupCommit {
    pub fn start(db: DatabaseConnection, blobs: BlobStore) -> Self {
        let (queue, mut incoming) = mpsc::channel::<Pending>(MAX_BATCH * 4);
        let slots = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
        tokio::spawn(async move {
            loop {
                let Ok(slot) = slots.clone().acquire_owned().await else {
                    return;
                };
                let Some(first) = incoming.recv().await else {
                    return;
                };
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match incoming.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let (db, blobs) = (db.clone(), blobs.clone());
                tokio::spawn(async move {
                    run(&db, &blobs, batch).await;
                    drop(slot);
                });
            }
        });
        Self { queue }
    }

    /// A small new file that arrived whole: its bytes stored (or found stored), then
    /// recorded with whatever else is being recorded at the moment. Keeps the newest `keep`
    /// versions when it turns out to be a new version of a file of that name. With an
    /// `expected` SHA-256, other bytes are refused before anything is stored.
    pub async fn store(
        &self,
        db: &DatabaseConnection,
        blobs: &BlobStore,
        (target, expected): (NewUpload, Option<&str>),
        bytes: Bytes,
        keep: u64,
    ) -> Result<node::Model, ServiceError> {
        crate::jobs::upload_arrived();
        let sha256 = hex(&Sha256::digest(&bytes));
        if expected.is_some_and(|e| e != sha256) {
            return Err(app::AppError::ChecksumMismatch.into());
        }
        // Small bytes go into the database with the batch: no lookup first, since a content
        // stored before costs nothing more than its row not being inserted.
        let content = match blobs.small_key(bytes.len()) {
            Some(key) => Content::InDb(key, bytes.clone()),
            None => match find_blob(db, &sha256).await? {
                Some(blob) => Content::Existing(blob),
                None => {
                    let key = new_blob_key();
                    blobs.put_durable(&key, bytes.clone()).await?;
                    Content::New(key)
                }
            },
        };
        let stored = match &content {
            Content::New(key) => Some(key.clone()),
            Content::Existing(_) | Content::InDb(..) => None,
        };
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            target: target.clone(),
            sha256: sha256.clone(),
            content,
            reply,
        };
        if self.queue.send(pending).await.is_ok() {
            if let Ok(Some(file)) = answer.await {
                return Ok(file);
            }
        }
        record_alone(db, blobs, &target, sha256, stored, bytes, keep).await
    }
}

/// Records a batch, answers every request, then removes the stored bytes that turned out to
/// be a copy of content stored meanwhile.
async fn run(db: &DatabaseConnection, blobs: &BlobStore, batch: Vec<Pending>) {
    match batch::record(db, &batch).await {
        Ok((files, redundant, queued)) => {
            let recorded = files.iter().filter(|f| f.is_some()).count();
            tracing::debug!(
                size = batch.len(),
                recorded,
                "small files recorded together"
            );
            if queued {
                crate::jobs::wake();
            }
            // The requests are answered first: the copies' removal need not hold them up.
            for (pending, file) in batch.into_iter().zip(files) {
                let _ = pending.reply.send(file);
            }
            for key in redundant {
                if let Err(e) = blobs.delete(&key).await {
                    tracing::warn!(error = %e, key, "could not remove a duplicate blob");
                }
            }
        }
        Err(e) => {
            tracing::debug!(error = %e, size = batch.len(), "batch rolled back: recorded one by one");
            for pending in batch {
                let _ = pending.reply.send(None);
            }
        }
    }
}
