//! The indexer: applies the change log to this server's index. A change to a node indexes it
//! again from what the database says now (so applying a change twice does no harm): gone or
//! in the trash, its documents and those below it go; otherwise it and, for a folder,
//! everything below it are written again (a rename or move changes their paths and folders).

use std::{
    collections::{hash_map, BTreeSet, HashMap},
    sync::Arc,
    time::Duration,
};

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{changes, schema::Entry, text, Op, Search};
use crate::{entities::node, files::tree, storage::BlobStore};

/// Changes read at once.
const BATCH: u64 = 500;
/// Documents gathered before they are handed to the writer.
const FLUSH: usize = 1_000;
/// How often an idle indexer looks for changes made by other servers.
const POLL: Duration = Duration::from_millis(500);
/// How soon, and how many times, to look again after a wake-up that found nothing new.
const QUICK: Duration = Duration::from_millis(20);
const QUICK_TRIES: u32 = 10;
/// The least time between two commits of the index.
const GATHER: Duration = Duration::from_millis(100);

pub struct Indexer {
    search: Arc<Search>,
    db: DatabaseConnection,
    blobs: BlobStore,
    progress: changes::Progress,
}

/// A folder whose children are still to be indexed, with what they inherit.
struct Pending {
    id: Uuid,
    ancestors: Vec<Uuid>,
    path: String,
}

impl Indexer {
    pub fn new(search: Arc<Search>, db: DatabaseConnection, blobs: BlobStore) -> Self {
        let cursor = search.applied().unwrap_or(0);
        Self {
            search,
            db,
            blobs,
            progress: changes::Progress::new(cursor),
        }
    }

    /// Builds the index if it never was, then applies every change there is; returns how many.
    pub async fn catch_up(&mut self) -> anyhow::Result<usize> {
        // Never built, or so far behind that the changes it needs were pruned.
        let behind = self.progress.cursor < changes::pruned_through(&self.db).await?;
        if self.search.applied().is_none() || behind {
            self.rebuild().await?;
        }
        let mut applied = 0;
        loop {
            let (seen, fresh) = self.step().await?;
            applied += fresh;
            if seen < BATCH as usize || fresh == 0 {
                return Ok(applied);
            }
        }
    }

    /// Indexes every live node from scratch; returns the number of documents.
    pub async fn rebuild(&mut self) -> anyhow::Result<u64> {
        // Changes made while this runs are applied afterwards (again, harmlessly).
        let cursor = changes::latest(&self.db)
            .await?
            .max(changes::pruned_through(&self.db).await?);
        let search = self.search.clone();
        blocking(move || search.clear()).await?;
        let roots = node::Entity::find()
            .filter(node::Column::ParentId.is_null())
            .all(&self.db)
            .await?;
        let mut ops = Vec::new();
        let pending = roots
            .into_iter()
            .map(|root| Pending {
                id: root.id,
                ancestors: vec![root.id],
                path: String::new(),
            })
            .collect();
        self.descend(pending, &mut ops).await?;
        self.write(std::mem::take(&mut ops)).await?;
        self.commit(cursor).await?;
        self.progress = changes::Progress::new(cursor);
        text::queue_missing(&self.db).await?;
        Ok(self.search.documents())
    }

    /// Applies the next batch of changes: (rows read, changes applied).
    async fn step(&mut self) -> anyhow::Result<(usize, usize)> {
        let rows = changes::after(&self.db, self.progress.cursor, BATCH).await?;
        let fresh: Vec<_> = rows.iter().filter(|c| !self.progress.done(c.id)).collect();
        let nodes: BTreeSet<Uuid> = fresh.iter().map(|c| c.node_id).collect();
        let mut ops = Vec::new();
        self.gather(nodes, &mut ops).await?;
        self.write(ops).await?;
        let before = self.progress.cursor;
        let applied: Vec<_> = fresh.iter().map(|c| (c.id, c.created_at)).collect();
        self.progress.applied(applied, chrono::Utc::now());
        if !fresh.is_empty() || self.progress.cursor != before {
            self.commit(self.progress.cursor).await?;
        }
        Ok((rows.len(), fresh.len()))
    }

    /// The operations that index these nodes again: the nodes read at once, each folder's
    /// place (its ancestors and path) once for all its changed children.
    async fn gather(&self, ids: BTreeSet<Uuid>, ops: &mut Vec<Op>) -> anyhow::Result<()> {
        let ids: Vec<Uuid> = ids.into_iter().collect();
        let mut found = HashMap::new();
        for chunk in ids.chunks(BATCH as usize) {
            let rows = node::Entity::find()
                .filter(node::Column::Id.is_in(chunk.iter().copied()))
                .all(&self.db)
                .await?;
            found.extend(rows.into_iter().map(|n| (n.id, n)));
        }
        let mut places: HashMap<Uuid, (Vec<Uuid>, String)> = HashMap::new();
        for id in ids {
            ops.push(Op::Remove(id));
            let Some(found) = found.remove(&id) else {
                continue;
            };
            let Some(parent) = found.parent_id.filter(|_| found.trashed_at.is_none()) else {
                continue;
            };
            let (ancestors, path) = match places.entry(parent) {
                hash_map::Entry::Occupied(known) => known.get().clone(),
                hash_map::Entry::Vacant(slot) => slot.insert(self.place(parent).await?).clone(),
            };
            self.index(found, ancestors, path, ops).await?;
        }
        Ok(())
    }

    /// A folder's ancestors (from the root, itself included) and its path below the root.
    async fn place(&self, folder: Uuid) -> anyhow::Result<(Vec<Uuid>, String)> {
        let above = tree::path_to(&self.db, folder).await?;
        let ancestors: Vec<Uuid> = above.iter().map(|(id, _)| *id).collect();
        let path = above
            .iter()
            .skip(1)
            .map(|(_, name)| name.as_str())
            .collect::<Vec<_>>()
            .join("/");
        Ok((ancestors, path))
    }

    /// A live node's document and, for a folder, those of everything below it.
    async fn index(
        &self,
        found: node::Model,
        ancestors: Vec<Uuid>,
        path: String,
        ops: &mut Vec<Op>,
    ) -> anyhow::Result<()> {
        let entry = self.entry(&found, ancestors.clone(), path.clone()).await?;
        ops.push(Op::Add(entry));
        if found.is_folder() {
            let mut inner = ancestors;
            inner.push(found.id);
            let path = join(&path, &found.name);
            let pending = vec![Pending {
                id: found.id,
                ancestors: inner,
                path,
            }];
            self.descend(pending, ops).await?;
        }
        Ok(())
    }

    /// Everything live below these folders, level by level.
    async fn descend(&self, mut pending: Vec<Pending>, ops: &mut Vec<Op>) -> anyhow::Result<()> {
        while !pending.is_empty() {
            let level: Vec<Pending> = pending.drain(..pending.len().min(200)).collect::<Vec<_>>();
            let children = node::Entity::find()
                .filter(node::Column::ParentId.is_in(level.iter().map(|p| p.id)))
                .filter(node::Column::TrashedAt.is_null())
                .all(&self.db)
                .await?;
            for child in children {
                let Some(from) = level.iter().find(|p| Some(p.id) == child.parent_id) else {
                    continue;
                };
                if child.is_folder() {
                    let mut ancestors = from.ancestors.clone();
                    ancestors.push(child.id);
                    pending.push(Pending {
                        id: child.id,
                        ancestors,
                        path: join(&from.path, &child.name),
                    });
                }
                let entry = self
                    .entry(&child, from.ancestors.clone(), from.path.clone())
                    .await?;
                ops.push(Op::Add(entry));
                if ops.len() >= FLUSH {
                    self.write(std::mem::take(ops)).await?;
                }
            }
        }
        Ok(())
    }

    async fn entry(
        &self,
        found: &node::Model,
        ancestors: Vec<Uuid>,
        path: String,
    ) -> anyhow::Result<Entry> {
        let text = match &found.sha256 {
            Some(sha256) if !found.is_folder() => text::stored(&self.blobs, sha256).await?,
            _ => None,
        };
        Ok(Entry {
            id: found.id,
            owner: found.owner_id,
            ancestors,
            name: found.name.clone(),
            path,
            text,
            kind: app::dto::FileType::of(found.is_folder(), found.mime.as_deref(), &found.name),
            mime: found.mime.clone(),
            size: found.size.max(0) as u64,
            modified: found.modified_at.timestamp(),
        })
    }

    async fn write(&self, ops: Vec<Op>) -> anyhow::Result<()> {
        if ops.is_empty() {
            return Ok(());
        }
        let search = self.search.clone();
        blocking(move || search.apply(ops)).await
    }

    async fn commit(&self, cursor: i64) -> anyhow::Result<()> {
        let search = self.search.clone();
        blocking(move || search.commit(cursor)).await
    }

    /// Follows the change log until `stop` is notified (the server stopped): soon after this
    /// process records a change, otherwise every half second. The change is recorded inside
    /// its transaction, so the wake-up can come before the commit: a wake-up that finds
    /// nothing new looks again a few times at short intervals.
    pub async fn run_until(mut self, stop: std::sync::Arc<tokio::sync::Notify>) {
        let mut hurry = 0u32;
        loop {
            let pause = match self.catch_up().await {
                Ok(applied) => {
                    if applied > 0 {
                        hurry = 0;
                        // Each batch is a commit of the index, which costs the same for one
                        // change as for hundreds: while changes keep coming, gather them.
                        tokio::select! {
                            _ = stop.notified() => return,
                            _ = tokio::time::sleep(GATHER) => {}
                        }
                    }
                    if hurry > 0 {
                        hurry -= 1;
                        QUICK
                    } else {
                        POLL
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the search index could not be brought up to date");
                    POLL * 4
                }
            };
            tokio::select! {
                _ = stop.notified() => return,
                woken = tokio::time::timeout(pause, changes::WAKE.notified()) => {
                    if woken.is_ok() {
                        hurry = QUICK_TRIES;
                    }
                }
            }
        }
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}/{name}")
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    crate::background::run(work)
        .await
        .map_err(|e| anyhow::anyhow!("the index writer stopped: {e}"))?
}
