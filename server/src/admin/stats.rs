//! Figures about the whole deployment, for admins: people, files, bytes before and after
//! dedup, and the job queue. Each is one aggregate query over indexed or small tables.

use app::dto::AdminStats;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};

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
        (SELECT COUNT(*) FROM nodes WHERE kind = 'file' AND trashed_at IS NULL) AS files, \
        (SELECT COUNT(*) FROM nodes WHERE kind = 'folder' AND trashed_at IS NULL \
            AND parent_id IS NOT NULL) AS folders, \
        CAST((SELECT COALESCE(SUM(used_bytes), 0) FROM users) AS BIGINT) AS logical_bytes, \
        CAST((SELECT COALESCE(SUM(size), 0) FROM blobs) AS BIGINT) AS stored_bytes, \
        CAST((SELECT COALESCE(SUM(size), 0) FROM nodes WHERE kind = 'file' \
            AND trashed_at IS NULL) AS BIGINT) AS current_bytes, \
        CAST((SELECT COALESCE(SUM(size), 0) FROM nodes WHERE kind = 'file' \
            AND trashed_at IS NOT NULL) AS BIGINT) AS trash_bytes";
    let row = Row::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("stats".into()))?;
    let jobs = queue::count_by_state(db)
        .await?
        .into_iter()
        .map(|(state, n)| (state.to_owned(), n))
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
        jobs,
        index_lag: None,
    })
}
