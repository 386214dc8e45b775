//! Storage quotas: usage counts every stored version; going over the quota is refused (507).
//!
//! A user's usage is the sum of their rows in `user_usage`. On PostgreSQL each connection adds
//! to a row of its own (by its process id), so one person's uploads side by side do not queue
//! behind each other's commits on a single row; SQLite has one writer and one row per user.
//! A user with a quota is charged under a lock on their account row, so that two uploads at
//! once cannot both slip under it.

use std::collections::HashMap;

use app::AppError;
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, FromQueryResult};
use uuid::Uuid;

use crate::{db::portable_statement, entities::user, error::ServiceError};

/// The rows a user's usage is spread over on PostgreSQL.
const SHARDS: u32 = 64;

fn shard(backend: DatabaseBackend) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("pg_backend_pid() % {SHARDS}"),
        _ => "0".to_owned(),
    }
}

#[derive(FromQueryResult)]
struct Used {
    user_id: Uuid,
    used: i64,
}

/// The bytes each of these users has stored (0 for one with nothing).
pub async fn used_by(
    db: &impl ConnectionTrait,
    users: &[Uuid],
) -> Result<HashMap<Uuid, i64>, DbErr> {
    let mut used: HashMap<Uuid, i64> = users.iter().map(|u| (*u, 0)).collect();
    for chunk in users.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT user_id, CAST(SUM(bytes) AS BIGINT) AS used FROM user_usage \
             WHERE user_id IN ({}) GROUP BY user_id",
            marks.join(", ")
        );
        let values = chunk.iter().map(|u| (*u).into());
        let statement = portable_statement(db.get_database_backend(), &sql, values);
        for row in Used::find_by_statement(statement).all(db).await? {
            used.insert(row.user_id, row.used);
        }
    }
    Ok(used)
}

/// The bytes the user has stored.
pub async fn used(db: &impl ConnectionTrait, user: Uuid) -> Result<i64, DbErr> {
    Ok(used_by(db, &[user]).await?.remove(&user).unwrap_or(0))
}

#[derive(FromQueryResult)]
struct Quota {
    quota_bytes: Option<i64>,
}

/// The user's quota, locking their account row (PostgreSQL) until the transaction ends. The
/// usage is read after the lock is held, in a statement of its own, so it counts every
/// charge committed before.
pub(super) async fn locked_quota(
    db: &impl ConnectionTrait,
    user: Uuid,
) -> Result<Option<i64>, ServiceError> {
    let backend = db.get_database_backend();
    let lock = if backend == DatabaseBackend::Postgres {
        " FOR NO KEY UPDATE"
    } else {
        ""
    };
    let sql = format!("SELECT quota_bytes FROM users WHERE id = $1{lock}");
    let row = Quota::find_by_statement(portable_statement(backend, &sql, [user.into()]))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.quota_bytes)
}

#[derive(FromQueryResult)]
struct Standing {
    quota_bytes: Option<i64>,
    used: i64,
}

/// Whether `bytes` more fit in the user's quota (no quota: always). One query: it runs as
/// every upload starts.
pub async fn check(db: &impl ConnectionTrait, owner: Uuid, bytes: i64) -> Result<(), ServiceError> {
    let sql = "SELECT quota_bytes, CAST((SELECT COALESCE(SUM(bytes), 0) FROM user_usage \
               WHERE user_id = $1) AS BIGINT) AS used FROM users WHERE id = $2";
    let backend = db.get_database_backend();
    let row = Standing::find_by_statement(portable_statement(
        backend,
        sql,
        [owner.into(), owner.into()],
    ))
    .one(db)
    .await?
    .ok_or(AppError::NotFound)?;
    match row.quota_bytes {
        Some(quota) if row.used.saturating_add(bytes) > quota => {
            Err(AppError::QuotaExceeded.into())
        }
        _ => Ok(()),
    }
}

/// The same check on behalf of `caller`, whose account the request has read already: when
/// the caller pays and has no quota, nothing to ask (the charge enforces the quota anyway).
pub async fn check_for(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    owner: Uuid,
    bytes: i64,
) -> Result<(), ServiceError> {
    if owner == caller.id && caller.quota_bytes.is_none() {
        return Ok(());
    }
    check(db, owner, bytes).await
}

/// Adds `bytes` to the user's usage, refusing when that would pass the quota. Call inside the
/// transaction that stores the bytes, so that usage and content never disagree.
pub async fn charge(
    db: &impl ConnectionTrait,
    owner: Uuid,
    bytes: i64,
) -> Result<(), ServiceError> {
    // No quota (the usual case): one statement, which adds only if the user has none.
    if add(db, owner, bytes, "AND quota_bytes IS NULL").await? {
        return Ok(());
    }
    let quota = locked_quota(db, owner).await?;
    if let Some(quota) = quota {
        if bytes > 0 && used(db, owner).await?.saturating_add(bytes) > quota {
            return Err(AppError::QuotaExceeded.into());
        }
    }
    add(db, owner, bytes, "").await?;
    Ok(())
}

/// Takes `bytes` off the user's usage (what was purged).
pub async fn release(db: &impl ConnectionTrait, owner: Uuid, bytes: i64) -> Result<(), DbErr> {
    add(db, owner, -bytes, "").await.map(|_| ())
}

/// Adds `bytes` to the connection's row of the user's usage if the user exists and `and`
/// (SQL over `users`) holds; returns whether it did.
async fn add(db: &impl ConnectionTrait, owner: Uuid, bytes: i64, and: &str) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let sql = format!(
        "INSERT INTO user_usage (user_id, shard, bytes) \
         SELECT id, {shard}, $1 FROM users WHERE id = $2 {and} \
         ON CONFLICT (user_id, shard) DO UPDATE SET bytes = user_usage.bytes + excluded.bytes",
        shard = shard(backend)
    );
    let statement = portable_statement(backend, &sql, [bytes.into(), owner.into()]);
    Ok(db.execute(statement).await?.rows_affected() > 0)
}
