//! WebDAV locks in the database, so that every node of a cluster honours them. A lock covers
//! its node, and everything below it when it is deep; shared locks live together, an
//! exclusive one with no other. Expired locks count for nothing and are swept when a lock is
//! taken.

use std::time::Duration;

use app::AppError;
use chrono::Utc;
use sea_orm::{
    sea_query::Query, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, TransactionTrait,
};
use uuid::Uuid;

use super::tree;
use crate::{
    db::portable_statement,
    entities::{dav_lock, node},
    error::ServiceError,
};

/// The longest a lock lasts without a refresh (clients asking for "Infinite" get this).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);

/// What a LOCK asks for.
#[derive(Debug, Clone)]
pub struct LockRequest {
    pub shared: bool,
    pub deep: bool,
    pub owner_xml: Option<String>,
    pub timeout: Duration,
}

fn live(locks: Vec<dav_lock::Model>) -> Vec<dav_lock::Model> {
    let now = Utc::now();
    locks.into_iter().filter(|l| l.timeout_at > now).collect()
}

fn until(timeout: Duration) -> chrono::DateTime<Utc> {
    let timeout = timeout.min(MAX_TIMEOUT);
    Utc::now() + chrono::Duration::from_std(timeout).unwrap_or(chrono::Duration::hours(1))
}

/// A new lock token: an absolute URI, unique for all time (128 random bits), and short, as
/// some clients put a token and two ETags in an `If` header of at most 200 characters.
fn new_token() -> String {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    format!(
        "gosync:lock:{}",
        URL_SAFE_NO_PAD.encode(Uuid::new_v4().as_bytes())
    )
}

/// The live locks that cover `node`: its own, and the deep ones of the folders above it.
pub async fn covering(
    db: &impl ConnectionTrait,
    node: Uuid,
) -> Result<Vec<dav_lock::Model>, ServiceError> {
    let sql = "WITH RECURSIVE up(id, parent_id, depth) AS ( \
                 SELECT id, parent_id, 0 FROM nodes WHERE id = $1 \
                 UNION ALL SELECT n.id, n.parent_id, up.depth + 1 \
                 FROM nodes n JOIN up ON n.id = up.parent_id) \
               SELECT l.* FROM dav_locks l JOIN up ON l.node_id = up.id \
               WHERE up.depth = 0 OR l.deep";
    let stmt = portable_statement(db.get_database_backend(), sql, [node.into()]);
    Ok(live(
        dav_lock::Entity::find().from_raw_sql(stmt).all(db).await?,
    ))
}

/// The live locks on the items below `node` (not on `node` itself).
pub async fn below(
    db: &impl ConnectionTrait,
    node: Uuid,
) -> Result<Vec<dav_lock::Model>, ServiceError> {
    let sql = "WITH RECURSIVE down(id) AS ( \
                 SELECT id FROM nodes WHERE parent_id = $1 AND trashed_at IS NULL \
                 UNION ALL SELECT n.id FROM nodes n JOIN down ON n.parent_id = down.id \
                 WHERE n.trashed_at IS NULL) \
               SELECT l.* FROM dav_locks l JOIN down ON l.node_id = down.id";
    let stmt = portable_statement(db.get_database_backend(), sql, [node.into()]);
    Ok(live(
        dav_lock::Entity::find().from_raw_sql(stmt).all(db).await?,
    ))
}

/// The live locks on the children of `folder`, in one query.
pub async fn on_children(
    db: &DatabaseConnection,
    folder: Uuid,
) -> Result<Vec<dav_lock::Model>, ServiceError> {
    let children = Query::select()
        .column(node::Column::Id)
        .from(node::Entity)
        .and_where(node::Column::ParentId.eq(folder))
        .to_owned();
    let locks = dav_lock::Entity::find()
        .filter(dav_lock::Column::NodeId.in_subquery(children))
        .all(db)
        .await?;
    Ok(live(locks))
}

/// Takes a lock on `node` for `user`, unless a lock already there (above, on it, or below it
/// when deep) forbids it.
pub async fn take(
    db: &DatabaseConnection,
    user: Uuid,
    node: &node::Model,
    request: LockRequest,
) -> Result<dav_lock::Model, ServiceError> {
    let txn = db.begin().await?;
    // One writer per tree at a time: two nodes of a cluster cannot both take an exclusive lock.
    tree::lock_tree(&txn, node.owner_id).await?;
    dav_lock::Entity::delete_many()
        .filter(dav_lock::Column::TimeoutAt.lt(Utc::now()))
        .exec(&txn)
        .await?;
    let mut present = covering(&txn, node.id).await?;
    if request.deep {
        present.extend(below(&txn, node.id).await?);
    }
    if present.iter().any(|l| !(l.shared && request.shared)) {
        return Err(AppError::Locked.into());
    }
    let now = Utc::now();
    let row = dav_lock::ActiveModel {
        token: Set(new_token()),
        node_id: Set(node.id),
        user_id: Set(user),
        shared: Set(request.shared),
        deep: Set(request.deep),
        owner_xml: Set(request.owner_xml),
        timeout_at: Set(until(request.timeout)),
        created_at: Set(now),
    };
    let lock = dav_lock::Entity::insert(row)
        .exec_with_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(lock)
}

/// The live lock `token` of `user`.
pub async fn find(
    db: &DatabaseConnection,
    user: Uuid,
    token: &str,
) -> Result<Option<dav_lock::Model>, ServiceError> {
    let lock = dav_lock::Entity::find_by_id(token.to_owned())
        .one(db)
        .await?;
    Ok(lock.filter(|l| l.user_id == user && l.timeout_at > Utc::now()))
}

/// Gives the lock `lock` a new timeout from now.
pub async fn refresh(
    db: &DatabaseConnection,
    lock: dav_lock::Model,
    timeout: Duration,
) -> Result<dav_lock::Model, ServiceError> {
    let timeout_at = until(timeout);
    let row = dav_lock::ActiveModel {
        token: Set(lock.token.clone()),
        timeout_at: Set(timeout_at),
        ..Default::default()
    };
    dav_lock::Entity::update(row).exec(db).await?;
    Ok(dav_lock::Model { timeout_at, ..lock })
}

/// Removes the lock `token`.
pub async fn release(db: &DatabaseConnection, token: &str) -> Result<(), ServiceError> {
    dav_lock::Entity::delete_by_id(token.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// Removes the locks on `node` and below it (it was deleted or moved away).
pub async fn forget(db: &DatabaseConnection, node: Uuid) -> Result<(), ServiceError> {
    let mut tokens: Vec<String> = below(db, node)
        .await?
        .into_iter()
        .map(|l| l.token)
        .collect();
    let own = dav_lock::Entity::find()
        .filter(dav_lock::Column::NodeId.eq(node))
        .all(db)
        .await?;
    tokens.extend(own.into_iter().map(|l| l.token));
    if !tokens.is_empty() {
        dav_lock::Entity::delete_many()
            .filter(dav_lock::Column::Token.is_in(tokens))
            .exec(db)
            .await?;
    }
    Ok(())
}
