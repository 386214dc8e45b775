//! Jobs that went wrong, for administrators: the failed (could not be done) and dead (gave
//! up after retries) ones with their reasons, and putting one back in the queue.

use app::{dto::FailedJobDto, AppError};
use chrono::Utc;
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::queue::{DEAD, FAILED, QUEUED};
use crate::{
    entities::job::{Column, Entity as Jobs},
    error::ServiceError,
};

const SHOWN: u64 = 50;

#[derive(FromQueryResult)]
struct Named {
    name: String,
}

/// The latest failed and dead jobs, newest first, each with a file it was for.
pub async fn latest(db: &impl ConnectionTrait) -> Result<Vec<FailedJobDto>, ServiceError> {
    let rows = Jobs::find()
        .filter(Column::State.is_in([FAILED, DEAD]))
        .order_by_desc(Column::UpdatedAt)
        .limit(SHOWN)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for job in rows {
        // A thumbnail job's subject is the content's SHA-256: name a file that has it.
        let named = Named::find_by_statement(crate::db::portable_statement(
            db.get_database_backend(),
            "SELECT n.name AS name FROM blobs b JOIN versions v ON v.blob_id = b.id \
             JOIN nodes n ON n.id = v.node_id WHERE b.sha256 = $1 LIMIT 1",
            [job.subject.clone().into()],
        ))
        .one(db)
        .await?;
        out.push(FailedJobDto {
            id: job.id,
            kind: job.kind,
            state: job.state,
            attempts: job.attempts,
            error: job.error,
            file_name: named.map(|n| n.name),
            updated: job.updated_at.timestamp(),
        });
    }
    Ok(out)
}

/// Queues failed or dead job `id` again, with its attempts reset.
pub async fn retry(db: &impl ConnectionTrait, id: Uuid) -> Result<(), ServiceError> {
    let now = Utc::now();
    let done = Jobs::update_many()
        .col_expr(Column::State, Expr::value(QUEUED))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::RunAfter, Expr::value(now))
        .col_expr(
            Column::LeaseUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(Column::Worker, Expr::value(Option::<String>::None))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::State.is_in([FAILED, DEAD]))
        .exec(db)
        .await?;
    if done.rows_affected == 1 {
        super::wake();
        return Ok(());
    }
    match Jobs::find_by_id(id).one(db).await? {
        None => Err(AppError::NotFound.into()),
        Some(_) => Err(AppError::conflict(
            "id",
            "This job has not failed: it is waiting, running or done.",
        )
        .into()),
    }
}
