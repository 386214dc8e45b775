//! The trash: deleting moves an item (a folder with everything below it) to the trash; it can
//! be restored where it was, purged, or purged by the sweep after the retention period.

use app::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend,
    EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    activity::{self, Change},
    tree::{lock_tree, root_of},
};
use crate::{db::portable_statement, entities::node, error::ServiceError, storage::BlobStore};

/// Moves `item` and its live descendants to the trash, as one trash entry.
pub async fn trash(
    db: &DatabaseConnection,
    actor: Uuid,
    item: &node::Model,
) -> Result<(), ServiceError> {
    if item.parent_id.is_none() {
        return Err(AppError::validation("id", "Your root folder can't be deleted.").into());
    }
    let txn = db.begin().await?;
    lock_tree(&txn, item.owner_id).await?;
    let sql = "WITH RECURSIVE below(id) AS ( \
                 SELECT id FROM nodes WHERE id = $1 AND trashed_at IS NULL \
                 UNION ALL SELECT n.id FROM nodes n JOIN below ON n.parent_id = below.id \
                 WHERE n.trashed_at IS NULL) \
               UPDATE nodes SET trashed_at = $2, trash_root_id = $3 WHERE id IN (SELECT id FROM below)";
    let values = [item.id.into(), Utc::now().into(), item.id.into()];
    let done = txn
        .execute(portable_statement(txn.get_database_backend(), sql, values))
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound.into());
    }
    activity::record(
        &txn,
        actor,
        item.id,
        Change::Trash,
        json!({"name": item.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The owner's trash entries (what they deleted, not everything below), newest first.
pub async fn list(
    db: &DatabaseConnection,
    owner: Uuid,
    limit: u64,
    offset: u64,
) -> Result<(Vec<node::Model>, bool), ServiceError> {
    let mut rows = entries(owner)
        .order_by(node::Column::TrashedAt, Order::Desc)
        .order_by(node::Column::Id, Order::Asc)
        .offset(offset)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

fn entries(owner: Uuid) -> sea_orm::Select<node::Entity> {
    node::Entity::find()
        .filter(node::Column::OwnerId.eq(owner))
        .filter(node::Column::TrashedAt.is_not_null())
        .filter(Expr::col(node::Column::TrashRootId).equals(node::Column::Id))
}

/// A trash entry of someone's, by id.
pub async fn find_entry(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<node::Model>, ServiceError> {
    Ok(node::Entity::find_by_id(id)
        .filter(node::Column::TrashedAt.is_not_null())
        .filter(Expr::col(node::Column::TrashRootId).equals(node::Column::Id))
        .one(db)
        .await?)
}

/// Puts an entry back where it was; into the root folder when that folder is gone or in the
/// trash; as "name (1).ext" when its name has been taken since.
pub async fn restore(
    db: &DatabaseConnection,
    actor: Uuid,
    entry: &node::Model,
) -> Result<node::Model, ServiceError> {
    let root = root_of(db, entry.owner_id).await?;
    let txn = db.begin().await?;
    lock_tree(&txn, entry.owner_id).await?;
    let parent_live = match entry.parent_id {
        Some(parent) => node::Entity::find_by_id(parent)
            .filter(node::Column::TrashedAt.is_null())
            .one(&txn)
            .await?
            .is_some(),
        None => false,
    };
    let parent = if parent_live {
        entry.parent_id.unwrap_or(root.id)
    } else {
        root.id
    };
    let name = free_name(&txn, parent, &entry.name).await?;
    // Name and place first: the entry only counts as a live sibling once it is untrashed.
    let top = node::ActiveModel {
        id: Set(entry.id),
        parent_id: Set(Some(parent)),
        name: Set(name.clone()),
        ..Default::default()
    };
    node::Entity::update(top).exec(&txn).await?;
    node::Entity::update_many()
        .col_expr(
            node::Column::TrashedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(node::Column::TrashRootId, Expr::value(Option::<Uuid>::None))
        .filter(node::Column::TrashRootId.eq(entry.id))
        .exec(&txn)
        .await?;
    let restored = node::Entity::find_by_id(entry.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let detail = json!({"name": name, "parent_id": parent});
    activity::record(&txn, actor, entry.id, Change::Restore, detail).await?;
    txn.commit().await?;
    Ok(restored)
}

/// `name`, or the first of "stem (1).ext", "stem (2).ext"… that no live sibling has: a
/// hundred candidates a query (one query, unless a hundred are taken).
pub(crate) async fn free_name(
    txn: &impl ConnectionTrait,
    parent: Uuid,
    name: &str,
) -> Result<String, ServiceError> {
    for start in (0..1000).step_by(100) {
        let candidates: Vec<String> = (start..start + 100)
            .map(|n| super::name::numbered(name, n))
            .filter(|c| c.len() <= super::name::MAX_NAME_BYTES)
            .collect();
        if candidates.is_empty() {
            break;
        }
        let taken: std::collections::HashSet<String> = node::Entity::find()
            .select_only()
            .column(node::Column::Name)
            .filter(node::Column::ParentId.eq(parent))
            .filter(node::Column::TrashedAt.is_null())
            .filter(node::Column::Name.is_in(candidates.clone()))
            .into_tuple::<String>()
            .all(txn)
            .await?
            .into_iter()
            .collect();
        if let Some(free) = candidates.into_iter().find(|c| !taken.contains(c)) {
            return Ok(free);
        }
    }
    Err(AppError::conflict("name", "Too many items with this name are in the way.").into())
}

#[derive(FromQueryResult)]
struct Held {
    blob_id: Uuid,
    size: i64,
}

/// Deletes an entry for good (everything below it goes with it) and gives back its bytes in
/// the same transaction, then deletes blobs no other version uses. Of two purges of one entry
/// at once, only the one whose delete removed the row gives anything back.
pub async fn purge(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    actor: Uuid,
    entry: &node::Model,
) -> Result<(), ServiceError> {
    let txn = db.begin().await?;
    let backend = txn.get_database_backend();
    // The versions are locked as they are counted: a prune of one of them waits (and then
    // finds it gone), or went first (and it is not counted here). SQLite: one writer.
    let lock = if backend == DbBackend::Postgres {
        " FOR UPDATE"
    } else {
        lock_tree(&txn, entry.owner_id).await?;
        ""
    };
    let sql = format!(
        "WITH RECURSIVE below(id) AS ( \
           SELECT id FROM nodes WHERE id = $1 \
           UNION ALL SELECT n.id FROM nodes n JOIN below ON n.parent_id = below.id) \
         SELECT v.blob_id AS blob_id, v.size AS size FROM versions v \
         WHERE v.node_id IN (SELECT id FROM below){lock}"
    );
    let held = Held::find_by_statement(portable_statement(backend, &sql, [entry.id.into()]))
        .all(&txn)
        .await?;
    let deleted = node::Entity::delete_by_id(entry.id).exec(&txn).await?;
    if deleted.rows_affected == 0 {
        txn.rollback().await?;
        return Err(AppError::NotFound.into());
    }
    let freed: i64 = held.iter().map(|h| h.size).sum();
    if freed > 0 {
        super::quota::release(&txn, entry.owner_id, freed).await?;
    }
    activity::record(
        &txn,
        actor,
        entry.id,
        Change::Purge,
        json!({"name": entry.name}),
    )
    .await?;
    txn.commit().await?;
    let mut candidates: Vec<Uuid> = held.into_iter().map(|h| h.blob_id).collect();
    candidates.sort();
    candidates.dedup();
    super::blob_gc::delete_unused(db, blobs, &candidates).await
}

/// Purges every entry of the owner's trash; returns how many entries went.
pub async fn empty(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    actor: Uuid,
    owner: Uuid,
) -> Result<usize, ServiceError> {
    let all = entries(owner).all(db).await?;
    let mut purged = 0;
    for entry in &all {
        purged += purged_meanwhile_is_fine(purge(db, blobs, actor, entry).await)?;
    }
    Ok(purged)
}

/// Purges entries trashed before `cutoff` (the background sweep); returns how many.
pub async fn purge_expired(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    cutoff: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let expired = node::Entity::find()
        .filter(node::Column::TrashedAt.lt(cutoff))
        .filter(Expr::col(node::Column::TrashRootId).equals(node::Column::Id))
        .all(db)
        .await?;
    let mut purged = 0;
    for entry in &expired {
        purged += purged_meanwhile_is_fine(purge(db, blobs, entry.owner_id, entry).await)?;
    }
    Ok(purged)
}

/// 1 for a purge done, 0 for an entry someone else purged first.
fn purged_meanwhile_is_fine(done: Result<(), ServiceError>) -> Result<usize, ServiceError> {
    match done {
        Ok(()) => Ok(1),
        Err(ServiceError::User(AppError::NotFound)) => Ok(0),
        Err(e) => Err(e),
    }
}
