//! Storage quotas: usage counts every stored version; going over the quota is refused (507).

use app::AppError;
use sea_orm::{sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{entities::user, error::ServiceError};

/// Whether `bytes` more fit in the user's quota (no quota: always).
pub async fn check(db: &impl ConnectionTrait, owner: Uuid, bytes: i64) -> Result<(), ServiceError> {
    let user = user::Entity::find_by_id(owner)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    match user.quota_bytes {
        Some(quota) if user.used_bytes.saturating_add(bytes) > quota => {
            Err(AppError::QuotaExceeded.into())
        }
        _ => Ok(()),
    }
}

/// Adds `bytes` to the user's usage, refusing when that would pass the quota. Call inside the
/// transaction that stores the bytes, so that usage and content never disagree.
pub async fn charge(
    db: &impl ConnectionTrait,
    owner: Uuid,
    bytes: i64,
) -> Result<(), ServiceError> {
    // One statement: the usage grows only if it stays within the quota.
    let within = Expr::col(user::Column::QuotaBytes)
        .is_null()
        .or(Expr::expr(Expr::col(user::Column::UsedBytes).add(bytes))
            .lte(Expr::col(user::Column::QuotaBytes)));
    let charged = user::Entity::update_many()
        .col_expr(
            user::Column::UsedBytes,
            Expr::col(user::Column::UsedBytes).add(bytes),
        )
        .filter(user::Column::Id.eq(owner))
        .filter(within)
        .exec(db)
        .await?;
    if charged.rows_affected == 0 {
        return Err(AppError::QuotaExceeded.into());
    }
    Ok(())
}
