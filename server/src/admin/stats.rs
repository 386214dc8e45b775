//! Figures about the whole deployment, for admins: people, files, bytes before and after
//! dedup, and the job queue. They come from running totals the database keeps with every
//! change (migrations 14 and 15: a few rows per person, not a scan of every file), so they stay fast
//! with millions of files.

use app::dto::{AdminStats, BigUser};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};

use crate::jobs::queue;

#[derive(FromQueryResult)]
struct Big {
    name: String,
    email: String,
    used_bytes: i64,
}

#[derive(FromQueryResult)]
struct Row {
    users: i64,
    files: i64,
    folders: i64,
    logical_bytes: i64,
    stored_bytes: i64,
    current_bytes: i64,
    trash_bytes: i64,
}

pub async fn collect(db: &impl ConnectionTrait) -> Result<AdminStats, DbErr> {
    // COALESCE(SUM…) as BIGINT: SQLite and PostgreSQL agree on the type.
    let sql = "SELECT \
        (SELECT COUNT(*) FROM users) AS users, \
        CAST((SELECT COALESCE(SUM(files), 0) FROM node_totals) AS BIGINT) AS files, \
        CAST((SELECT COALESCE(SUM(folders), 0) FROM node_totals) AS BIGINT) AS folders, \
        CAST((SELECT COALESCE(SUM(bytes), 0) FROM user_usage) AS BIGINT) AS logical_bytes, \
        CAST((SELECT COALESCE(SUM(bytes), 0) FROM blob_totals) AS BIGINT) AS stored_bytes, \
        CAST((SELECT COALESCE(SUM(current_bytes), 0) FROM node_totals) AS BIGINT) AS current_bytes, \
        CAST((SELECT COALESCE(SUM(trash_bytes), 0) FROM node_totals) AS BIGINT) AS trash_bytes";
    let row = Row::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("stats".into()))?;
    let jobs = queue::count_by_state(db)
        .await?
        .into_iter()
        .map(|(state, n)| (state.to_owned(), n))
        .collect();
    let biggest = Big::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT u.name, u.email, CAST(SUM(g.bytes) AS BIGINT) AS used_bytes \
         FROM user_usage g JOIN users u ON u.id = g.user_id \
         GROUP BY u.id, u.name, u.email HAVING SUM(g.bytes) > 0 \
         ORDER BY used_bytes DESC LIMIT 5",
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|b| BigUser {
        name: b.name,
        email: b.email,
        used_bytes: b.used_bytes,
    })
    .collect();
    Ok(AdminStats {
        users: row.users,
        files: row.files,
        folders: row.folders,
        logical_bytes: row.logical_bytes,
        stored_bytes: row.stored_bytes,
        dedup_saved_bytes: (row.logical_bytes - row.stored_bytes).max(0),
        current_bytes: row.current_bytes,
        trash_bytes: row.trash_bytes,
        version_bytes: (row.logical_bytes - row.current_bytes - row.trash_bytes).max(0),
        biggest,
        jobs,
        index_lag: None,
    })
}
