//! Group commit for small new files. Each request stores its blob (or finds the content
//! stored already), then hands the file to one committer task, which records the new files
//! that arrived meanwhile in one transaction with multi-row inserts: one commit, one charge
//! per payer and a handful of statements for many uploads. With one upload in flight a
//! batch is that upload alone, so nothing waits for company.
//!
//! Anything a batch can't record cleanly goes back to its request, which records it alone
//! the usual way and gets the usual answer: a name already taken (a new version), a folder
//! gone, a quota the batch as a whole would exceed, any error at all (the batch rolls back).

use std::collections::{BTreeSet, HashMap, HashSet};

use app::AppError;
use bytes::Bytes;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::{
    activity::{self, Change},
    blob_gc::BLOB_PREFIX,
    content::{find_blob, record_alone},
    mime::guess_mime,
    quota,
    tree::{lock_tree, new_node},
    uploads::{hex, NewUpload},
};
use crate::{
    entities::{activity as activity_row, blob, node, version},
    error::ServiceError,
    storage::BlobStore,
};

/// The most new files one transaction records.
const MAX_BATCH: usize = 64;

/// Where a file's content is: a blob stored before, or bytes this request just stored.
enum Content {
    Existing(blob::Model),
    New(String),
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
        tokio::spawn(async move {
            while let Some(first) = incoming.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match incoming.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                run(&db, &blobs, batch).await;
            }
        });
        Self { queue }
    }

    /// A small new file that arrived whole: its bytes stored (or found stored), then
    /// recorded with whatever else is being recorded at the moment. Keeps the newest `keep`
    /// versions when it turns out to be a new version of a file of that name.
    pub async fn store(
        &self,
        db: &DatabaseConnection,
        blobs: &BlobStore,
        target: NewUpload,
        bytes: Bytes,
        keep: u64,
    ) -> Result<node::Model, ServiceError> {
        let sha256 = hex(&Sha256::digest(&bytes));
        let content = match find_blob(db, &sha256).await? {
            Some(blob) => Content::Existing(blob),
            None => {
                let key = format!("{BLOB_PREFIX}/{}", Uuid::new_v4());
                blobs.put_durable(&key, bytes.clone()).await?;
                Content::New(key)
            }
        };
        let stored = match &content {
            Content::New(key) => Some(key.clone()),
            Content::Existing(_) => None,
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

/// Records a batch, answers every request, and removes the stored bytes that turned out to
/// be a copy of content stored meanwhile.
async fn run(db: &DatabaseConnection, blobs: &BlobStore, batch: Vec<Pending>) {
    match record(db, &batch).await {
        Ok((files, redundant)) => {
            let recorded = files.iter().filter(|f| f.is_some()).count();
            tracing::debug!(size = batch.len(), recorded, "small files recorded together");
            if files.iter().any(Option::is_some) {
                crate::jobs::wake();
            }
            for key in redundant {
                if let Err(e) = blobs.delete(&key).await {
                    tracing::warn!(error = %e, key, "could not remove a duplicate blob");
                }
            }
            for (pending, file) in batch.into_iter().zip(files) {
                let _ = pending.reply.send(file);
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

type Recorded = (Vec<Option<node::Model>>, Vec<String>);

/// One transaction for the batch's new files; None for each file left to record alone.
async fn record(db: &DatabaseConnection, batch: &[Pending]) -> Result<Recorded, ServiceError> {
    let txn = db.begin().await?;
    if txn.get_database_backend() != DbBackend::Postgres {
        lock_tree(&txn, batch[0].target.owner).await?;
    }
    // The folders, held as in a single upload: a trash or purge of them waits for us.
    let parent_ids: BTreeSet<Uuid> = batch.iter().map(|p| p.target.parent).collect();
    let parents: HashMap<Uuid, node::Model> = node::Entity::find()
        .filter(node::Column::Id.is_in(parent_ids))
        .filter(node::Column::TrashedAt.is_null())
        .lock_shared()
        .all(&txn)
        .await?
        .into_iter()
        .filter(node::Model::is_folder)
        .map(|folder| (folder.id, folder))
        .collect();
    let names: BTreeSet<&str> = batch.iter().map(|p| p.target.filename.as_str()).collect();
    let taken: HashSet<(Uuid, String)> = node::Entity::find()
        .filter(node::Column::ParentId.is_in(parents.keys().copied()))
        .filter(node::Column::TrashedAt.is_null())
        .filter(node::Column::Name.is_in(names))
        .lock_exclusive()
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|n| Some((n.parent_id?, n.name)))
        .collect();
    // Taken names become new versions, recorded alone; so does a second file of one name.
    let mut claimed = HashSet::new();
    let mut fresh: Vec<(usize, &Pending)> = batch
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            let place = (p.target.parent, p.target.filename.clone());
            parents.contains_key(&p.target.parent)
                && !taken.contains(&place)
                && claimed.insert(place)
        })
        .collect();
    // Rows in one order everywhere: two nodes' batches wait for each other, not deadlock.
    fresh.sort_by(|(_, a), (_, b)| {
        (a.target.parent, &a.target.filename).cmp(&(b.target.parent, &b.target.filename))
    });
    let (chosen, accepted): (Vec<usize>, Vec<&Pending>) = fresh.into_iter().unzip();
    let mut answers: Vec<Option<node::Model>> = batch.iter().map(|_| None).collect();
    if accepted.is_empty() {
        txn.rollback().await?;
        return Ok((answers, Vec::new()));
    }
    let (blob_ids, redundant) = blobs_of(&txn, &accepted).await?;

    let now = chrono::Utc::now();
    let mut rows = Vec::with_capacity(accepted.len());
    let mut charges: HashMap<Uuid, i64> = HashMap::new();
    for p in &accepted {
        let parent = &parents[&p.target.parent];
        let name = p.target.filename.clone();
        let mut row = new_node(parent.owner_id, Some(parent.id), name, node::FILE);
        row.mime = Set(Some(guess_mime(&p.target.filename).to_owned()));
        row.size = Set(p.target.length);
        row.sha256 = Set(Some(p.sha256.clone()));
        row.version = Set(Some(1));
        row.modified_at = Set(p.target.mtime.unwrap_or(now));
        rows.push(row);
        // The folder's owner pays, also for what someone they share with uploads.
        *charges.entry(parent.owner_id).or_default() += p.target.length;
    }
    let files = node::Entity::insert_many(rows)
        .exec_with_returning_many(&txn)
        .await?;
    let by_place: HashMap<(Uuid, &str), &node::Model> = files
        .iter()
        .filter_map(|f| Some(((f.parent_id?, f.name.as_str()), f)))
        .collect();
    let mut versions = Vec::with_capacity(files.len());
    let mut entries = Vec::with_capacity(files.len());
    for (&at, p) in chosen.iter().zip(&accepted) {
        let place = (p.target.parent, p.target.filename.as_str());
        let file = *by_place.get(&place).ok_or(AppError::Internal)?;
        let blob_id = *blob_ids.get(&p.sha256).ok_or(AppError::Internal)?;
        versions.push(version::ActiveModel {
            id: Set(Uuid::new_v4()),
            node_id: Set(file.id),
            number: Set(1),
            blob_id: Set(blob_id),
            size: Set(p.target.length),
            author_id: Set(Some(p.target.owner)),
            created_at: Set(now),
        });
        let detail = json!({"name": file.name, "version": 1, "size": p.target.length});
        entries.push(activity::row(p.target.owner, file.id, Change::Upload, detail));
        answers[at] = Some(file.clone());
    }
    version::Entity::insert_many(versions).exec(&txn).await?;
    activity_row::Entity::insert_many(entries).exec(&txn).await?;
    let ids: Vec<Uuid> = files.iter().map(|f| f.id).collect();
    crate::search::changes::record_many(&txn, &ids).await?;
    for (payer, bytes) in charges {
        quota::charge(&txn, payer, bytes).await?;
    }
    for file in &files {
        crate::previews::queue_for(&txn, file).await?;
        crate::search::text::queue_for(&txn, file).await?;
    }
    txn.commit().await?;
    Ok((answers, redundant))
}

/// The blob of each accepted file's content, by SHA-256: the one found before, or the new
/// bytes' row. Content that was stored meanwhile by someone else (or twice in this batch)
/// keeps the first row; the other copies' keys are returned for removal after the commit.
async fn blobs_of(
    txn: &impl ConnectionTrait,
    accepted: &[&Pending],
) -> Result<(HashMap<String, Uuid>, Vec<String>), ServiceError> {
    let mut ids = HashMap::new();
    let mut rows = Vec::new();
    for p in accepted {
        match &p.content {
            Content::Existing(blob) => {
                ids.insert(p.sha256.clone(), blob.id);
            }
            Content::New(key) => rows.push(blob::ActiveModel {
                id: Set(Uuid::new_v4()),
                sha256: Set(p.sha256.clone()),
                size: Set(p.target.length),
                storage_key: Set(key.clone()),
                created_at: Set(chrono::Utc::now()),
            }),
        }
    }
    if rows.is_empty() {
        return Ok((ids, Vec::new()));
    }
    let inserted = blob::Entity::insert_many(rows)
        .on_conflict(OnConflict::column(blob::Column::Sha256).do_nothing().to_owned())
        .exec_with_returning_many(txn)
        .await?;
    let kept: HashSet<String> = inserted.iter().map(|b| b.storage_key.clone()).collect();
    ids.extend(inserted.into_iter().map(|b| (b.sha256, b.id)));
    let mut redundant = Vec::new();
    let mut missing = BTreeSet::new();
    for p in accepted {
        if let Content::New(key) = &p.content {
            if !kept.contains(key) {
                redundant.push(key.clone());
                missing.insert(p.sha256.clone());
            }
        }
    }
    missing.retain(|sha| !ids.contains_key(sha));
    if !missing.is_empty() {
        let found = blob::Entity::find()
            .filter(blob::Column::Sha256.is_in(missing))
            .all(txn)
            .await?;
        ids.extend(found.into_iter().map(|b| (b.sha256, b.id)));
    }
    Ok((ids, redundant))
}
