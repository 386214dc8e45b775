//! Search: a tantivy index of every live node's name, folder path and extracted text, kept in
//! the data directory. It is derived data: the [`indexer`] follows the database's change log
//! ([`changes`]) and remembers in each commit the last change it applied, so a restart catches
//! up and every server of a cluster keeps its own copy in step; `gosync reindex` rebuilds it.
//! Text comes from [`text`] jobs on the queue. Queries ([`query`]) filter by permission in the
//! index (owner, or under a folder shared with the searcher) and [`service`] checks every hit
//! with the policy before showing it.

pub mod changes;
pub mod extract;
pub mod indexer;
pub mod params;
pub mod query;
pub mod schema;
pub mod service;
#[cfg(test)]
mod tests;
pub mod text;

use std::{
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicI64, Ordering},
        Mutex,
    },
};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::{
    directory::error::LockError, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument,
    TantivyError, Term,
};

use schema::{Entry, Fields};

/// Bumped when the schema changes: an index of another version is rebuilt.
const SCHEMA_VERSION: u32 = 3;
/// The writer's memory budget: tantivy's least. The indexer commits every batch of changes,
/// so a larger one was never filled, only allocated.
const WRITER_MEMORY: usize = 15_000_000;

/// A change to the index; a batch of them is applied in order.
pub enum Op {
    /// The documents of this node and of everything below it go.
    Remove(uuid::Uuid),
    Add(Entry),
}

/// What each commit remembers.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    schema: u32,
    /// The last change applied.
    change: i64,
}

pub struct Search {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    pub fields: Fields,
    /// The last change applied (`-1`: never built).
    applied: AtomicI64,
}

impl Search {
    /// The index in `dir`, made (empty, never built) when there is none or it is of another
    /// schema. Fails when another process is writing it.
    pub fn open(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| {
            format!(
                "the search index directory {} cannot be made",
                dir.display()
            )
        })?;
        let (schema, fields) = schema::build();
        let existing = Index::open_in_dir(dir).ok().and_then(|index| {
            let applied = payload(&index)
                .filter(|p| p.schema == SCHEMA_VERSION)?
                .change;
            (index.schema() == schema).then_some((index, applied))
        });
        let (index, applied) = match existing {
            Some(found) => found,
            None => {
                clear_dir(dir)?;
                (Index::create_in_dir(dir, schema)?, -1)
            }
        };
        schema::register(&index);
        // The writer's threads inherit the priority of the thread that starts them.
        let writer = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    crate::background::lower_this_thread();
                    index.writer_with_num_threads(1, WRITER_MEMORY)
                })
                .join()
        })
        .map_err(|_| anyhow::anyhow!("the search index writer could not start"))?
        .map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => anyhow::anyhow!(
                "the search index in {} is in use by another GoSync process",
                dir.display()
            ),
            other => other.into(),
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            applied: AtomicI64::new(applied),
        })
    }

    /// Where the index lives.
    pub fn dir(data_dir: &Path) -> PathBuf {
        data_dir.join("search")
    }

    /// The last change the index holds; `None` when it was never built.
    pub fn applied(&self) -> Option<i64> {
        let applied = self.applied.load(Ordering::Acquire);
        (applied >= 0).then_some(applied)
    }

    pub fn reader(&self) -> &IndexReader {
        &self.reader
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Applies the operations in order (not visible until [`Search::commit`]).
    pub fn apply(&self, ops: Vec<Op>) -> anyhow::Result<()> {
        let writer = self.lock();
        for op in ops {
            match op {
                Op::Remove(id) => {
                    writer.delete_term(Term::from_field_text(self.fields.scope, &id.to_string()));
                }
                Op::Add(entry) => {
                    writer.add_document(entry.document(&self.fields))?;
                }
            }
        }
        Ok(())
    }

    /// Removes every document (a rebuild starts with this).
    pub fn clear(&self) -> anyhow::Result<()> {
        self.lock().delete_all_documents()?;
        Ok(())
    }

    /// Makes what was written visible, remembering `change` as the last one applied.
    pub fn commit(&self, change: i64) -> anyhow::Result<()> {
        {
            let mut writer = self.lock();
            let mut prepared = writer.prepare_commit()?;
            let payload = Payload {
                schema: SCHEMA_VERSION,
                change,
            };
            prepared.set_payload(&serde_json::to_string(&payload)?);
            prepared.commit()?;
        }
        self.reader.reload()?;
        self.applied.store(change, Ordering::Release);
        Ok(())
    }

    /// Documents in the index.
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        // A panic while writing leaves the writer usable: tantivy rolls back on error.
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn payload(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

/// Empties the directory of an index that is to be made again.
fn clear_dir(dir: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}
