//! Figures about the whole deployment, for admins: people, files, bytes before and after
//! dedup, and the job queue. They come from running totals the database keeps with every
//! change (migration 14: a few rows per person, not a scan of every file), so they stay fast
//! with millions of files.

use app::dto::{AdminStats, BigUser};
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryOrder, QuerySelect, Statement,
};

use crate::jobs::queue;

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
        CAST((SELECT COALESCE(SUM(used_bytes), 0) FROM users) AS BIGINT) AS logical_bytes, \
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
    let biggest = crate::entities::user::Entity::find()
        .order_by_desc(crate::entities::user::Column::UsedBytes)
        .limit(5)
        .all(db)
        .await?
        .into_iter()
        .filter(|u| u.used_bytes > 0)
        .map(|u| BigUser {
            name: u.name,
            email: u.email,
            used_bytes: u.used_bytes,
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
