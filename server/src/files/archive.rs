//! A folder as a zip archive, streamed while its files are read: no temporary file, no
//! archive in memory; only the folder's listing (one query) is held while it streams.

use app::AppError;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::{stream, StreamExt};
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult};
use std::collections::HashMap;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::zip::{Archive, Entry};
use crate::{
    db::portable_statement,
    entities::node,
    error::ServiceError,
    storage::{BlobStore, ByteStream, StorageError},
};

/// The most items one archive may hold.
const MAX_ITEMS: usize = 100_000;

#[derive(FromQueryResult)]
struct Row {
    id: Uuid,
    parent_id: Option<Uuid>,
    name: String,
    kind: String,
    size: i64,
    modified_at: DateTime<Utc>,
    storage_key: Option<String>,
}

/// An archive of `folder` and everything live below it, named after it, ready to stream.
pub struct FolderArchive {
    archive: Archive,
    keys: Vec<Option<String>>,
}

impl FolderArchive {
    pub async fn of(db: &DatabaseConnection, folder: &node::Model) -> Result<Self, ServiceError> {
        Self::of_items(db, &[(folder.clone(), archive_name(folder))]).await
    }

    /// An archive of several items (files, or folders with everything live below them), each
    /// at the archive's top under the given name: a selection downloaded at once.
    pub async fn of_items(
        db: &DatabaseConnection,
        items: &[(node::Model, String)],
    ) -> Result<Self, ServiceError> {
        let mut entries = Vec::new();
        for (item, top) in items {
            add_below(db, item, top, &mut entries).await?;
        }
        entries.sort_by(|a, b| super::natural::natural_cmp(&a.0.path, &b.0.path));
        let (entries, keys): (Vec<_>, Vec<_>) = entries.into_iter().unzip();
        Ok(Self {
            archive: Archive::new(entries),
            keys,
        })
    }

    pub fn byte_len(&self) -> u64 {
        self.archive.byte_len()
    }

    /// The archive's bytes. A blob that cannot be read ends the stream with an error (the
    /// client sees a broken download, never a zip with a silently wrong file).
    pub fn stream(self, blobs: BlobStore) -> ByteStream {
        let (tx, rx) = mpsc::channel(4);
        tokio::spawn(async move {
            if let Err(e) = write(self, &blobs, &tx).await {
                tracing::warn!(error = %e, "zip download stopped");
                let _ = tx.send(Err(e)).await;
            }
        });
        stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        })
        .boxed()
    }
}

/// `item` and everything live below it, as archive entries under `top` (one query).
async fn add_below(
    db: &DatabaseConnection,
    item: &node::Model,
    top: &str,
    out: &mut Vec<(Entry, Option<String>)>,
) -> Result<(), ServiceError> {
    let sql =
        "WITH RECURSIVE below(id, parent_id, name, kind, size, modified_at, sha256, depth) AS ( \
                 SELECT id, parent_id, name, kind, size, modified_at, sha256, 0 FROM nodes \
                 WHERE id = $1 AND trashed_at IS NULL \
                 UNION ALL SELECT n.id, n.parent_id, n.name, n.kind, n.size, n.modified_at, \
                 n.sha256, below.depth + 1 \
                 FROM nodes n JOIN below ON n.parent_id = below.id WHERE n.trashed_at IS NULL) \
               SELECT below.id, below.parent_id, below.name, below.kind, below.size, \
                 below.modified_at, blobs.storage_key \
               FROM below LEFT JOIN blobs ON blobs.sha256 = below.sha256 ORDER BY depth";
    let rows = Row::find_by_statement(portable_statement(
        db.get_database_backend(),
        sql,
        [item.id.into()],
    ))
    .all(db)
    .await?;
    if out.len() + rows.len() > MAX_ITEMS {
        return Err(AppError::validation(
            "id",
            "This holds too many items for one zip; download its folders one by one.",
        )
        .into());
    }
    let mut paths: HashMap<Uuid, String> = HashMap::with_capacity(rows.len());
    for row in rows {
        let path = match row.parent_id.and_then(|p| paths.get(&p)) {
            Some(parent) if row.id != item.id => format!("{parent}/{}", row.name),
            _ => top.to_owned(),
        };
        paths.insert(row.id, path.clone());
        let dir = row.kind == node::FOLDER;
        if !dir && row.storage_key.is_none() {
            return Err(AppError::Internal.into());
        }
        let entry = Entry {
            path,
            size: if dir { 0 } else { row.size as u64 },
            dir,
            modified: row.modified_at,
        };
        out.push((entry, row.storage_key));
    }
    Ok(())
}

/// The archive's top folder: the folder's name (a root folder has none).
pub fn archive_name(folder: &node::Model) -> String {
    if folder.parent_id.is_none() || folder.name.is_empty() {
        "GoSync".to_owned()
    } else {
        folder.name.clone()
    }
}

type Sender = mpsc::Sender<Result<Bytes, StorageError>>;

/// Sends the archive; returns early (without error) when the client has gone away.
async fn write(mut zip: FolderArchive, blobs: &BlobStore, tx: &Sender) -> Result<(), StorageError> {
    for i in 0..zip.keys.len() {
        if tx
            .send(Ok(zip.archive.local_header(i).into()))
            .await
            .is_err()
        {
            return Ok(());
        }
        let entry = &zip.archive.entries()[i];
        if entry.dir {
            continue;
        }
        let expected = entry.size;
        let mut crc = crc32fast::Hasher::new();
        let mut sent = 0u64;
        if let (Some(key), true) = (&zip.keys[i], expected > 0) {
            let mut bytes = blobs.read(key, None).await?;
            while let Some(chunk) = bytes.next().await {
                let chunk = chunk?;
                crc.update(&chunk);
                sent += chunk.len() as u64;
                if tx.send(Ok(chunk)).await.is_err() {
                    return Ok(());
                }
            }
        }
        if sent != expected {
            return Err(StorageError::Backend(object_store::Error::Generic {
                store: "zip",
                source: format!("blob has {sent} bytes, expected {expected}").into(),
            }));
        }
        let descriptor = zip.archive.descriptor(i, crc.finalize());
        if tx.send(Ok(descriptor.into())).await.is_err() {
            return Ok(());
        }
    }
    let _ = tx.send(Ok(zip.archive.central_directory().into())).await;
    Ok(())
}
