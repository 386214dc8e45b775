//! One batch's transaction: the new files that can be recorded together, with multi-row
//! inserts; the rest are left for their requests to record alone.

use std::collections::{BTreeSet, HashMap, HashSet};

use app::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::OnConflict, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend,
    EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::{Content, Pending};
use crate::{
    entities::{activity as activity_row, blob, node, version},
    error::ServiceError,
    files::{
        activity::{self, Change},
        quota, rows,
        tree::lock_tree,
    },
    storage::in_db,
};

/// Each file (None: record it alone), the keys of redundant copies, and whether jobs were
/// queued (thumbnails, text).
pub(super) type Recorded = (Vec<Option<node::Model>>, Vec<String>, bool);

/// One transaction for the batch's new files; None for each file left to record alone.
pub(super) async fn record(
    db: &DatabaseConnection,
    batch: &[Pending],
) -> Result<Recorded, ServiceError> {
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
    let places: BTreeSet<(Uuid, &str)> = batch
        .iter()
        .filter(|p| parents.contains_key(&p.target.parent))
        .map(|p| (p.target.parent, p.target.filename.as_str()))
        .collect();
    let taken = super::taken::taken(&txn, &places).await?;
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
        return Ok((answers, Vec::new(), false));
    }
    let now = Utc::now();
    let (blob_ids, redundant) = blobs_of(&txn, &accepted, now).await?;

    let mut new_files = Vec::with_capacity(accepted.len());
    let mut charges: HashMap<Uuid, i64> = HashMap::new();
    for p in &accepted {
        let parent = &parents[&p.target.parent];
        new_files.push(rows::new_file(parent, &p.target, &p.sha256, now));
        // The folder's owner pays, also for what someone they share with uploads.
        *charges.entry(parent.owner_id).or_default() += p.target.length;
    }
    let files = node::Entity::insert_many(new_files)
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
        versions.push(rows::version(file, blob_id, &p.target, now));
        let detail = rows::detail(file);
        entries.push(activity::row_by(
            p.target.author,
            file.id,
            Change::Upload,
            detail,
        ));
        answers[at] = Some(file.clone());
    }
    version::Entity::insert_many(versions).exec(&txn).await?;
    activity_row::Entity::insert_many(entries)
        .exec(&txn)
        .await?;
    let ids: Vec<Uuid> = files.iter().map(|f| f.id).collect();
    crate::search::changes::record_many(&txn, &ids).await?;
    for (payer, bytes) in charges {
        quota::charge(&txn, payer, bytes).await?;
    }
    let jobs = files.iter().flat_map(|file| {
        [
            crate::previews::job_for(file),
            crate::search::text::job_for(file),
        ]
        .into_iter()
        .flatten()
    });
    let queued = crate::jobs::queue::enqueue_many(&txn, jobs.collect(), now).await?;
    txn.commit().await?;
    Ok((answers, redundant, queued))
}

/// The blob of each accepted file's content, by SHA-256: the one found before, or the new
/// bytes' row. Content that was stored meanwhile by someone else (or twice in this batch)
/// keeps the first row; the other copies' keys are returned for removal after the commit.
async fn blobs_of(
    txn: &impl ConnectionTrait,
    accepted: &[&Pending],
    now: DateTime<Utc>,
) -> Result<(HashMap<String, Uuid>, Vec<String>), ServiceError> {
    let mut ids = HashMap::new();
    let mut new_blobs = Vec::new();
    let mut in_db = HashMap::new();
    for p in accepted {
        match &p.content {
            Content::Existing(blob) => {
                ids.insert(p.sha256.clone(), blob.id);
            }
            Content::New(key) | Content::InDb(key, _) => {
                new_blobs.push(rows::blob(&p.sha256, p.target.length, key.clone(), now))
            }
        }
        if let Content::InDb(key, bytes) = &p.content {
            in_db.insert(key.as_str(), bytes);
        }
    }
    if new_blobs.is_empty() {
        return Ok((ids, Vec::new()));
    }
    let inserted = blob::Entity::insert_many(new_blobs)
        .on_conflict(
            OnConflict::column(blob::Column::Sha256)
                .do_nothing()
                .to_owned(),
        )
        .exec_with_returning_many(txn)
        .await?;
    let kept: HashSet<String> = inserted.iter().map(|b| b.storage_key.clone()).collect();
    // The bytes of the new blobs kept in the database; the others' rows were not inserted.
    let bytes: Vec<(&str, &[u8])> = kept
        .iter()
        .filter_map(|key| in_db.get_key_value(key.as_str()))
        .map(|(key, bytes)| (*key, &bytes[..]))
        .collect();
    in_db::insert(txn, &bytes).await?;
    ids.extend(inserted.into_iter().map(|b| (b.sha256, b.id)));
    let mut redundant = Vec::new();
    let mut missing = BTreeSet::new();
    for p in accepted {
        match &p.content {
            Content::New(key) if !kept.contains(key) => {
                redundant.push(key.clone());
                missing.insert(p.sha256.clone());
            }
            Content::InDb(key, _) if !kept.contains(key) => {
                missing.insert(p.sha256.clone());
            }
            _ => {}
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
