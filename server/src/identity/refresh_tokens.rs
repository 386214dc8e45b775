//! Rotating refresh tokens. Each use replaces the token with a new one of the same family;
//! presenting a token that was already used (a stolen copy) revokes the whole family.

use app::AppError;
use chrono::{Duration, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::secret_token::{hash_secret, new_secret};
use crate::{entities::refresh_token, error::ServiceError};

const PREFIX: &str = "gs_rt_";

pub async fn issue(
    db: &DatabaseConnection,
    user: Uuid,
    family: Option<Uuid>,
    ttl_days: u64,
) -> Result<String, ServiceError> {
    let secret = new_secret(PREFIX);
    let now = Utc::now();
    let row = refresh_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user),
        family_id: Set(family.unwrap_or_else(Uuid::new_v4)),
        token_hash: Set(hash_secret(&secret)),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(ttl_days as i64)),
        used_at: Set(None),
        revoked_at: Set(None),
    };
    refresh_token::Entity::insert(row).exec(db).await?;
    Ok(secret)
}

/// Marks `secret` used and returns its user and family, for a new token in the same family.
pub async fn consume(db: &DatabaseConnection, secret: &str) -> Result<(Uuid, Uuid), ServiceError> {
    let Some(token) = find(db, secret).await? else {
        return Err(AppError::Unauthorized.into());
    };
    if token.revoked_at.is_some() || token.expires_at <= Utc::now() {
        return Err(AppError::Unauthorized.into());
    }
    // Only one request can flip `used_at`; any other presenter of this token is a replay.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        tracing::warn!(family = %token.family_id, "refresh token reused: revoking its family");
        revoke_family(db, token.family_id).await?;
        return Err(AppError::Unauthorized.into());
    }
    Ok((token.user_id, token.family_id))
}

/// Revokes every token of the family `secret` belongs to (sign-out). Unknown secrets are ignored.
pub async fn revoke(db: &DatabaseConnection, secret: &str) -> Result<(), ServiceError> {
    if let Some(token) = find(db, secret).await? {
        revoke_family(db, token.family_id).await?;
    }
    Ok(())
}

/// Revokes every refresh token of `user` (an administrator disabled the account or reset
/// its password).
pub async fn revoke_all(
    db: &impl sea_orm::ConnectionTrait,
    user: Uuid,
) -> Result<(), ServiceError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn find(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<Option<refresh_token::Model>, ServiceError> {
    if !secret.starts_with(PREFIX) || secret.len() > 100 {
        return Ok(None);
    }
    Ok(refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_secret(secret)))
        .one(db)
        .await?)
}

async fn revoke_family(db: &DatabaseConnection, family: Uuid) -> Result<(), ServiceError> {
    revoke_where(db, refresh_token::Column::FamilyId.eq(family)).await
}

/// Revokes the tokens `which` selects that are not revoked yet.
async fn revoke_where(
    db: &impl sea_orm::ConnectionTrait,
    which: sea_orm::sea_query::SimpleExpr,
) -> Result<(), ServiceError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(which)
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
