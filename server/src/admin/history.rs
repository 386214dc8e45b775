//! Storage over time: one sample per day (UTC) of what the deployment holds and what was
//! uploaded that day, taken by the hourly sweep and when the dashboard asks (the day's
//! sample is replaced until the day is over).

use app::dto::StorageDay;
use chrono::{Duration, NaiveTime, Utc};
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder,
};

use crate::entities::storage_sample;

#[derive(FromQueryResult)]
struct Uploaded {
    uploads: i64,
    uploaded_bytes: Option<i64>,
}

/// Takes (or refreshes) today's sample.
pub async fn sample_today(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let now = Utc::now();
    let start = now.date_naive().and_time(NaiveTime::MIN).and_utc();
    let figures = super::stats::collect(db).await?;
    // SUM as BIGINT: PostgreSQL's SUM of a BIGINT is NUMERIC.
    let uploaded = Uploaded::find_by_statement(crate::db::portable_statement(
        db.get_database_backend(),
        "SELECT COUNT(*) AS uploads, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS uploaded_bytes \
         FROM versions WHERE created_at >= $1",
        [start.into()],
    ))
    .one(db)
    .await?
    .unwrap_or(Uploaded {
        uploads: 0,
        uploaded_bytes: None,
    });
    let row = storage_sample::ActiveModel {
        day: Set(now.format("%Y-%m-%d").to_string()),
        logical_bytes: Set(figures.logical_bytes),
        stored_bytes: Set(figures.stored_bytes),
        files: Set(figures.files),
        uploads: Set(uploaded.uploads),
        uploaded_bytes: Set(uploaded.uploaded_bytes.unwrap_or(0)),
        taken_at: Set(now),
    };
    use storage_sample::Column as C;
    storage_sample::Entity::insert(row)
        .on_conflict(
            OnConflict::column(C::Day)
                .update_columns([
                    C::LogicalBytes,
                    C::StoredBytes,
                    C::Files,
                    C::Uploads,
                    C::UploadedBytes,
                    C::TakenAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// The samples of the last `days` days, oldest first (days without a sample are missing).
pub async fn last_days(db: &impl ConnectionTrait, days: u32) -> Result<Vec<StorageDay>, DbErr> {
    let first = (Utc::now() - Duration::days(i64::from(days.clamp(1, 366)) - 1))
        .format("%Y-%m-%d")
        .to_string();
    let rows = storage_sample::Entity::find()
        .filter(storage_sample::Column::Day.gte(first))
        .order_by_asc(storage_sample::Column::Day)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| StorageDay {
            day: r.day,
            logical_bytes: r.logical_bytes,
            stored_bytes: r.stored_bytes,
            files: r.files,
            uploads: r.uploads,
            uploaded_bytes: r.uploaded_bytes,
        })
        .collect())
}
