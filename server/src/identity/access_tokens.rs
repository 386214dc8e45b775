//! Personal access tokens for scripts: named, optionally expiring, shown once, revocable.

use app::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::secret_token::{hash_secret, new_secret};
use crate::{entities::personal_access_token as pat, error::ServiceError};

pub const PREFIX: &str = "gs_pat_";
const MAX_NAME_CHARS: usize = 100;
const MAX_TOKENS_PER_USER: u64 = 100;

/// Creates a token; returns its row and the secret (the only time the secret exists in clear).
pub async fn create(
    db: &DatabaseConnection,
    user: Uuid,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(pat::Model, String), ServiceError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::validation(
            "name",
            "Give the token a name, so you can recognise it later.",
        )
        .into());
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AppError::validation(
            "name",
            "Use at most 100 characters, without control characters.",
        )
        .into());
    }
    if expires_at.is_some_and(|at| at <= Utc::now()) {
        return Err(AppError::validation("expires_at", "The expiry must be in the future.").into());
    }
    use sea_orm::PaginatorTrait;
    if pat::Entity::find()
        .filter(pat::Column::UserId.eq(user))
        .count(db)
        .await?
        >= MAX_TOKENS_PER_USER
    {
        return Err(
            AppError::conflict("name", "You have too many tokens; delete some first.").into(),
        );
    }
    let secret = new_secret(PREFIX);
    let row = pat::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user),
        name: Set(name.to_owned()),
        token_hash: Set(hash_secret(&secret)),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        last_used_at: Set(None),
    };
    let model = pat::Entity::insert(row).exec_with_returning(db).await?;
    Ok((model, secret))
}

pub async fn list(db: &DatabaseConnection, user: Uuid) -> Result<Vec<pat::Model>, ServiceError> {
    Ok(pat::Entity::find()
        .filter(pat::Column::UserId.eq(user))
        .order_by_desc(pat::Column::CreatedAt)
        .all(db)
        .await?)
}

pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<pat::Model>, ServiceError> {
    Ok(pat::Entity::find_by_id(id).one(db).await?)
}

pub async fn delete(db: &DatabaseConnection, id: Uuid) -> Result<(), ServiceError> {
    pat::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// The user a token belongs to, when the token exists and has not expired.
pub async fn authenticate(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<Option<Uuid>, ServiceError> {
    if secret.len() > 100 {
        return Ok(None);
    }
    let Some(token) = pat::Entity::find()
        .filter(pat::Column::TokenHash.eq(hash_secret(secret)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if token.expires_at.is_some_and(|at| at <= Utc::now()) {
        return Ok(None);
    }
    // Recording use is a write: once a minute is precise enough and keeps requests read-only.
    let now = Utc::now();
    if token
        .last_used_at
        .is_none_or(|at| now - at > chrono::Duration::minutes(1))
    {
        let touch = pat::ActiveModel {
            id: Set(token.id),
            last_used_at: Set(Some(now)),
            ..Default::default()
        };
        pat::Entity::update(touch).exec(db).await?;
    }
    Ok(Some(token.user_id))
}
