//! Copying a file or a folder with everything below it (a snapshot: a folder copied into
//! itself copies what it held before the copy began).

use app::AppError;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    TransactionTrait,
};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

use super::{
    activity::{self, Change},
    trash::free_name,
    tree::{lock_tree, name_taken},
};
use crate::{
    db::portable_statement,
    entities::{node, version},
    error::ServiceError,
};

/// The largest subtree one copy may hold.
const MAX_COPY_NODES: usize = 100_000;

#[derive(FromQueryResult)]
struct Row {
    id: Uuid,
    parent_id: Option<Uuid>,
    name: String,
    kind: String,
    size: i64,
    mime: Option<String>,
    sha256: Option<String>,
    version: Option<i32>,
}

/// Copies `item` into `dest` as `name` (or its own name, made free with " (1)" if taken).
pub async fn copy(
    db: &DatabaseConnection,
    actor: Uuid,
    item: &node::Model,
    dest: &node::Model,
    name: Option<String>,
) -> Result<node::Model, ServiceError> {
    if item.parent_id.is_none() {
        return Err(AppError::validation("id", "Your root folder can't be copied.").into());
    }
    if !dest.is_folder() {
        return Err(
            AppError::validation("parent_id", "Items can only be copied into folders.").into(),
        );
    }
    let txn = db.begin().await?;
    lock_tree(&txn, dest.owner_id).await?;
    let sql = "WITH RECURSIVE below(id, parent_id, name, kind, size, mime, sha256, version, depth) AS ( \
                 SELECT id, parent_id, name, kind, size, mime, sha256, version, 0 FROM nodes \
                 WHERE id = $1 AND trashed_at IS NULL \
                 UNION ALL SELECT n.id, n.parent_id, n.name, n.kind, n.size, n.mime, n.sha256, \
                 n.version, below.depth + 1 \
                 FROM nodes n JOIN below ON n.parent_id = below.id WHERE n.trashed_at IS NULL) \
               SELECT id, parent_id, name, kind, size, mime, sha256, version FROM below ORDER BY depth";
    let rows = Row::find_by_statement(portable_statement(
        txn.get_database_backend(),
        sql,
        [item.id.into()],
    ))
    .all(&txn)
    .await?;
    if rows.is_empty() {
        return Err(AppError::NotFound.into());
    }
    if rows.len() > MAX_COPY_NODES {
        return Err(AppError::validation(
            "id",
            "This folder holds too many items to copy at once.",
        )
        .into());
    }
    let top_name = match name {
        Some(name) => name,
        None => free_name(&txn, dest.id, &item.name).await?,
    };
    let now = Utc::now();
    let mut new_ids: HashMap<Uuid, Uuid> = HashMap::with_capacity(rows.len());
    let mut copies = Vec::with_capacity(rows.len());
    for row in rows {
        let id = Uuid::new_v4();
        let (parent, name) = if row.id == item.id {
            (dest.id, top_name.clone())
        } else {
            let parent = row
                .parent_id
                .and_then(|p| new_ids.get(&p).copied())
                .ok_or(AppError::Internal)?;
            (parent, row.name)
        };
        new_ids.insert(row.id, id);
        copies.push(node::ActiveModel {
            id: Set(id),
            owner_id: Set(dest.owner_id),
            parent_id: Set(Some(parent)),
            name: Set(name),
            kind: Set(row.kind),
            size: Set(row.size),
            mime: Set(row.mime),
            created_at: Set(now),
            modified_at: Set(now),
            trashed_at: Set(None),
            trash_root_id: Set(None),
            sha256: Set(row.sha256),
            version: Set(row.version),
        });
    }
    for chunk in copies.chunks(500) {
        node::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await
            .map_err(|e| name_taken(e, &top_name))?;
    }
    copy_versions(&txn, dest.owner_id, &new_ids).await?;
    let top = new_ids.get(&item.id).copied().ok_or(AppError::Internal)?;
    let detail = json!({"from": item.id, "name": top_name, "parent_id": dest.id});
    activity::record(&txn, actor, top, Change::Copy, detail).await?;
    let copied = node::Entity::find_by_id(top)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    txn.commit().await?;
    Ok(copied)
}

/// Copied files get their versions too, pointing at the same blobs (no bytes are copied), and
/// their size counts against the owner's quota.
async fn copy_versions(
    txn: &impl ConnectionTrait,
    owner: Uuid,
    new_ids: &HashMap<Uuid, Uuid>,
) -> Result<(), ServiceError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let originals: Vec<Uuid> = new_ids.keys().copied().collect();
    let mut added: i64 = 0;
    for ids in originals.chunks(500) {
        let versions = version::Entity::find()
            .filter(version::Column::NodeId.is_in(ids.to_vec()))
            .all(txn)
            .await?;
        if versions.is_empty() {
            continue;
        }
        added += versions.iter().map(|v| v.size).sum::<i64>();
        let copies = versions.into_iter().filter_map(|v| {
            Some(version::ActiveModel {
                id: Set(Uuid::new_v4()),
                node_id: Set(*new_ids.get(&v.node_id)?),
                number: Set(v.number),
                blob_id: Set(v.blob_id),
                size: Set(v.size),
                author_id: Set(v.author_id),
                link_id: Set(v.link_id),
                created_at: Set(v.created_at),
            })
        });
        version::Entity::insert_many(copies).exec(txn).await?;
    }
    if added > 0 {
        super::quota::charge(txn, owner, added).await?;
    }
    Ok(())
}
