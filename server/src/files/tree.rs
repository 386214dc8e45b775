//! The tree of folders and files: roots, folders, listing, rename and move. Moves take a
//! per-tree lock, so two racing moves can never make a cycle.

use app::AppError;
use chrono::Utc;
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, SqlErr, TransactionTrait,
};
use uuid::Uuid;

use serde_json::json;

use super::activity::{self, Author, Change};
use crate::{
    db::portable_statement,
    entities::node::{self, FOLDER},
    error::ServiceError,
};

/// The user's root folder, made on first use (the unique index settles a race).
pub async fn root_of(db: &DatabaseConnection, owner: Uuid) -> Result<node::Model, ServiceError> {
    if let Some(root) = find_root(db, owner).await? {
        return Ok(root);
    }
    let row = new_node(owner, None, String::new(), FOLDER);
    match node::Entity::insert(row).exec(db).await {
        Ok(_) => {}
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {}
        Err(e) => return Err(e.into()),
    }
    find_root(db, owner)
        .await?
        .ok_or_else(|| AppError::Internal.into())
}

async fn find_root(
    db: &DatabaseConnection,
    owner: Uuid,
) -> Result<Option<node::Model>, ServiceError> {
    Ok(node::Entity::find()
        .filter(node::Column::OwnerId.eq(owner))
        .filter(node::Column::ParentId.is_null())
        .one(db)
        .await?)
}

/// A new live node, created now: a folder, or a file whose content its version sets.
pub fn new_node(owner: Uuid, parent: Option<Uuid>, name: String, kind: &str) -> node::ActiveModel {
    let now = Utc::now();
    node::ActiveModel {
        id: Set(Uuid::new_v4()),
        owner_id: Set(owner),
        parent_id: Set(parent),
        name: Set(name),
        kind: Set(kind.to_owned()),
        size: Set(0),
        mime: Set(None),
        created_at: Set(now),
        modified_at: Set(now),
        trashed_at: Set(None),
        trash_root_id: Set(None),
        sha256: Set(None),
        version: Set(None),
    }
}

/// A node that is not in the trash.
pub async fn get_live(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<node::Model>, ServiceError> {
    Ok(node::Entity::find_by_id(id)
        .filter(node::Column::TrashedAt.is_null())
        .one(db)
        .await?)
}

pub async fn create_folder(
    db: &DatabaseConnection,
    actor: Author,
    parent: &node::Model,
    name: String,
) -> Result<node::Model, ServiceError> {
    if !parent.is_folder() {
        return Err(
            AppError::validation("parent_id", "Folders can only be made inside folders.").into(),
        );
    }
    let row = new_node(parent.owner_id, Some(parent.id), name.clone(), FOLDER);
    let txn = db.begin().await?;
    let folder = node::Entity::insert(row)
        .exec_with_returning(&txn)
        .await
        .map_err(|e| name_taken(e, &name))?;
    let detail = json!({"name": folder.name, "parent_id": parent.id});
    activity::record_by(&txn, actor, folder.id, Change::Create, detail).await?;
    txn.commit().await?;
    Ok(folder)
}

/// Renames and/or moves `node`. Refuses a move into itself or below itself, checked under a
/// lock on the owner's tree so that concurrent moves are decided one after the other.
pub async fn rename_or_move(
    db: &DatabaseConnection,
    actor: Uuid,
    node: &node::Model,
    new_name: Option<String>,
    new_parent: Option<Uuid>,
) -> Result<node::Model, ServiceError> {
    if node.parent_id.is_none() {
        return Err(
            AppError::validation("id", "Your root folder can't be renamed or moved.").into(),
        );
    }
    let name = new_name.unwrap_or_else(|| node.name.clone());
    let txn = db.begin().await?;
    lock_tree(&txn, node.owner_id).await?;
    let parent = match new_parent {
        Some(dest) if Some(dest) != node.parent_id => {
            let folder = node::Entity::find_by_id(dest)
                .filter(node::Column::TrashedAt.is_null())
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            if folder.owner_id != node.owner_id {
                // Shared items stay in their owner's tree (and quota): a copy can leave it.
                return Err(AppError::validation(
                    "parent_id",
                    "Items can only be moved within their owner's files; make a copy instead.",
                )
                .into());
            }
            if !folder.is_folder() {
                return Err(AppError::validation(
                    "parent_id",
                    "Items can only be moved into folders.",
                )
                .into());
            }
            if folder.id == node.id || is_below(&txn, folder.id, node.id).await? {
                return Err(AppError::conflict(
                    "parent_id",
                    "A folder can't be moved into itself or one of its subfolders.",
                )
                .into());
            }
            Some(folder.id)
        }
        _ => node.parent_id,
    };
    let update = node::ActiveModel {
        id: Set(node.id),
        name: Set(name.clone()),
        parent_id: Set(parent),
        modified_at: Set(Utc::now()),
        ..Default::default()
    };
    let updated = node::Entity::update(update)
        .exec(&txn)
        .await
        .map_err(|e| name_taken(e, &name))?;
    if updated.name != node.name {
        let detail = json!({"from": node.name, "to": updated.name});
        activity::record(&txn, actor, node.id, Change::Rename, detail).await?;
    }
    if updated.parent_id != node.parent_id {
        let detail = json!({"from": node.parent_id, "to": updated.parent_id});
        activity::record(&txn, actor, node.id, Change::Move, detail).await?;
    }
    txn.commit().await?;
    Ok(updated)
}

/// Serialises tree changes of one owner: a row lock on PostgreSQL, the write lock on SQLite
/// (taken before anything is read, so no stale snapshot is ever upgraded).
pub(crate) async fn lock_tree(txn: &impl ConnectionTrait, owner: Uuid) -> Result<(), ServiceError> {
    node::Entity::update_many()
        .col_expr(node::Column::Kind, Expr::col(node::Column::Kind).into())
        .filter(node::Column::OwnerId.eq(owner))
        .filter(node::Column::ParentId.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// The folders from the owner's root down to `id` (itself included): one query up the tree.
pub async fn path_to(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Vec<(Uuid, String)>, ServiceError> {
    use sea_orm::FromQueryResult;
    #[derive(FromQueryResult)]
    struct Step {
        id: Uuid,
        name: String,
    }
    let sql = "WITH RECURSIVE up(id, parent_id, name, depth) AS ( \
                 SELECT id, parent_id, name, 0 FROM nodes WHERE id = $1 \
                 UNION ALL SELECT n.id, n.parent_id, n.name, up.depth + 1 \
                 FROM nodes n JOIN up ON n.id = up.parent_id) \
               SELECT id, name FROM up ORDER BY depth DESC";
    let steps = Step::find_by_statement(portable_statement(
        db.get_database_backend(),
        sql,
        [id.into()],
    ))
    .all(db)
    .await?;
    Ok(steps.into_iter().map(|s| (s.id, s.name)).collect())
}

/// Whether `node` lies below `ancestor`: one recursive query up from `node`.
/// Whether `node` is `ancestor` or somewhere below it.
pub(crate) async fn is_below(
    txn: &impl ConnectionTrait,
    node: Uuid,
    ancestor: Uuid,
) -> Result<bool, ServiceError> {
    let backend = txn.get_database_backend();
    let sql = "WITH RECURSIVE up(id, parent_id) AS ( \
                 SELECT id, parent_id FROM nodes WHERE id = $1 \
                 UNION ALL SELECT n.id, n.parent_id FROM nodes n JOIN up ON n.id = up.parent_id) \
               SELECT COUNT(*) AS hits FROM up WHERE id = $2";
    let row = txn
        .query_one(portable_statement(
            backend,
            sql,
            [node.into(), ancestor.into()],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    Ok(row.try_get::<i64>("", "hits")? > 0)
}

pub(crate) fn name_taken(error: sea_orm::DbErr, name: &str) -> ServiceError {
    if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        AppError::conflict(
            "name",
            format!("Something named “{name}” is already there."),
        )
        .into()
    } else {
        error.into()
    }
}
