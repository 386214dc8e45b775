//! The queue's operations: enqueue, claim with a lease, finish, fail. Times are passed in, so
//! that tests can move the clock (a lease running out) without sleeping.
//!
//! A claim is one `UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING`: on PostgreSQL the inner
//! select takes `FOR UPDATE SKIP LOCKED`, so concurrent workers on any number of machines each
//! get a different job; SQLite has a single writer, which makes the statement atomic as it is.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Expr, LockBehavior, LockType, OnConflict, Query},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryTrait,
};
use uuid::Uuid;

use crate::entities::job::{self, Column, Entity as Jobs};

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
pub const DEAD: &str = "dead";

/// How many times a job is tried (a crash or a transient error counts) before it is dead.
pub const MAX_ATTEMPTS: i32 = 5;

/// Work to queue: `kind` on `subject`, with what the worker needs in `payload`.
pub struct NewJob {
    pub kind: &'static str,
    pub subject: String,
    pub payload: serde_json::Value,
    pub priority: i32,
}

/// Queues the job unless one of that kind on that subject exists (in any state: the same
/// content is never worked on twice). Returns whether a job was queued.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    new: NewJob,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    enqueue_many(db, vec![new], now).await
}

/// The same for several jobs, in one statement. Returns whether any was queued.
pub async fn enqueue_many(
    db: &impl ConnectionTrait,
    new: Vec<NewJob>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if new.is_empty() {
        return Ok(false);
    }
    let rows = new.into_iter().map(|new| row(new, now));
    let inserted = Jobs::insert_many(rows)
        .on_conflict(
            OnConflict::columns([Column::Kind, Column::Subject])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted > 0)
}

fn row(new: NewJob, now: DateTime<Utc>) -> job::ActiveModel {
    job::ActiveModel {
        id: Set(Uuid::new_v4()),
        kind: Set(new.kind.to_owned()),
        subject: Set(new.subject),
        payload: Set(new.payload.to_string()),
        priority: Set(new.priority),
        state: Set(QUEUED.to_owned()),
        attempts: Set(0),
        max_attempts: Set(MAX_ATTEMPTS),
        run_after: Set(now),
        lease_until: Set(None),
        worker: Set(None),
        error: Set(None),
        result: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Raises the priority of queued jobs of `kind` on these subjects (what a user looks at now).
pub async fn prioritize(
    db: &impl ConnectionTrait,
    kind: &str,
    subjects: Vec<String>,
    priority: i32,
) -> Result<u64, DbErr> {
    if subjects.is_empty() {
        return Ok(0);
    }
    let result = Jobs::update_many()
        .col_expr(Column::Priority, Expr::value(priority))
        .filter(Column::Kind.eq(kind))
        .filter(Column::Subject.is_in(subjects))
        .filter(Column::State.eq(QUEUED))
        .filter(Column::Priority.lt(priority))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Takes a job for `worker`, until `now + lease`: first one whose worker's lease ran out (it
/// stopped), else the most urgent queued job that is due. Jobs whose lease ran out with no
/// attempts left are declared dead first.
pub async fn claim(
    db: &impl ConnectionTrait,
    worker: &str,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Option<job::Model>, DbErr> {
    bury_abandoned(db, now).await?;
    let abandoned = Column::State.eq(RUNNING).and(Column::LeaseUntil.lt(now));
    if let Some(job) = take(db, abandoned, worker, lease, now).await? {
        return Ok(Some(job));
    }
    let due = Column::State.eq(QUEUED).and(Column::RunAfter.lte(now));
    take(db, due, worker, lease, now).await
}

/// One `UPDATE … RETURNING` of the most urgent job that `which` selects. Two separate picks
/// rather than one with OR: each reads the index `jobs_due` in its order and stops at the
/// first row, however many jobs wait.
async fn take(
    db: &impl ConnectionTrait,
    which: sea_orm::sea_query::SimpleExpr,
    worker: &str,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Option<job::Model>, DbErr> {
    let mut pick = Query::select();
    pick.column(Column::Id)
        .from(Jobs)
        .and_where(which)
        .and_where(Expr::col(Column::Attempts).lt(Expr::col(Column::MaxAttempts)))
        .order_by(Column::Priority, sea_orm::Order::Desc)
        .order_by(Column::RunAfter, sea_orm::Order::Asc)
        .limit(1);
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        pick.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let mut update = Jobs::update_many()
        .col_expr(Column::State, Expr::value(RUNNING))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(Column::LeaseUntil, Expr::value(now + lease))
        .col_expr(Column::Worker, Expr::value(worker))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.in_subquery(pick))
        .into_query();
    // RETURNING by hand: sea-orm offers it for PostgreSQL only, SQLite has it since 3.35.
    update.returning_all();
    let backend = db.get_database_backend();
    match db.query_one(backend.build(&update)).await? {
        Some(row) => Ok(Some(job::Model::from_query_result(&row, "")?)),
        None => Ok(None),
    }
}

/// Running jobs whose last worker vanished with no attempts left: dead, with the reason.
async fn bury_abandoned(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), DbErr> {
    Jobs::update_many()
        .col_expr(Column::State, Expr::value(DEAD))
        .col_expr(
            Column::Error,
            Expr::value("the worker stopped during every attempt (crash or timeout)"),
        )
        .col_expr(
            Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::State.eq(RUNNING))
        .filter(Column::LeaseUntil.lt(now))
        .filter(Expr::col(Column::Attempts).gte(Expr::col(Column::MaxAttempts)))
        .exec(db)
        .await?;
    Ok(())
}

/// How a claimed job ended.
pub enum Outcome {
    /// Done; what it made, as JSON.
    Done(serde_json::Value),
    /// It can never be done (a corrupt or hostile file): no retry.
    Failed(String),
    /// It may work later (storage unreachable…): retried with backoff, dead after the last try.
    Retry(String),
}

/// Records how the job ended, if `worker` still holds it (a worker whose lease ran out and
/// whose job someone else took changes nothing). Returns whether it was recorded.
pub async fn complete(
    db: &impl ConnectionTrait,
    claimed: &job::Model,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = Jobs::update_many()
        .col_expr(
            Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now));
    let state = state_after(claimed, &outcome);
    update = update.col_expr(Column::State, Expr::value(state));
    update = match outcome {
        Outcome::Done(result) => update
            .col_expr(Column::Result, Expr::value(result.to_string()))
            .col_expr(Column::Error, Expr::value(Option::<String>::None)),
        Outcome::Failed(reason) => update.col_expr(Column::Error, Expr::value(reason)),
        Outcome::Retry(reason) if state == QUEUED => update
            .col_expr(
                Column::RunAfter,
                Expr::value(now + backoff(claimed.attempts)),
            )
            .col_expr(Column::Error, Expr::value(reason)),
        Outcome::Retry(reason) => update.col_expr(Column::Error, Expr::value(reason)),
    };
    let result = update
        .filter(Column::Id.eq(claimed.id))
        .filter(Column::State.eq(RUNNING))
        .filter(Column::Attempts.eq(claimed.attempts))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The state a claimed job is in once it ended this way.
pub fn state_after(claimed: &job::Model, outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Done(_) => DONE,
        Outcome::Failed(_) => FAILED,
        Outcome::Retry(_) if claimed.attempts >= claimed.max_attempts => DEAD,
        Outcome::Retry(_) => QUEUED,
    }
}

/// 10 s after the first failed attempt, doubling, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 10) - 1;
    Duration::seconds((10_i64 << exponent).min(3600))
}

/// The job of `kind` on each of these subjects, if any.
pub async fn find(
    db: &impl ConnectionTrait,
    kind: &str,
    subjects: Vec<String>,
) -> Result<Vec<job::Model>, DbErr> {
    if subjects.is_empty() {
        return Ok(Vec::new());
    }
    Jobs::find()
        .filter(Column::Kind.eq(kind))
        .filter(Column::Subject.is_in(subjects))
        .all(db)
        .await
}

/// Every state a job can be in.
pub const STATES: [&str; 5] = [QUEUED, RUNNING, DONE, FAILED, DEAD];

/// How many jobs are in each state, every state listed (for /metrics and the admin figures).
pub async fn count_by_state(db: &impl ConnectionTrait) -> Result<Vec<(&'static str, i64)>, DbErr> {
    use sea_orm::FromQueryResult;
    #[derive(FromQueryResult)]
    struct Counted {
        state: String,
        n: i64,
    }
    // Running totals kept by the database (migration 14), not a scan of every job.
    let sql = "SELECT state, CAST(SUM(jobs) AS BIGINT) AS n FROM job_totals GROUP BY state";
    let counted: Vec<(String, i64)> = Counted::find_by_statement(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql,
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|c| (c.state, c.n))
    .collect();
    Ok(STATES
        .into_iter()
        .map(|state| {
            let n = counted
                .iter()
                .find(|(s, _)| s == state)
                .map_or(0, |(_, n)| *n);
            (state, n)
        })
        .collect())
}
