//! Invitations: an account an administrator made without a password, and a one-time link
//! (valid 7 days) for its person to choose one. Links work unless sign-up is closed.

use app::{dto::SignupMode, AppError};
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    secret_token::{hash_secret, new_secret},
    signup_mode, users,
};
use crate::{
    entities::{invitation, user},
    error::ServiceError,
};

const PREFIX: &str = "gs_inv_";
const VALID_DAYS: i64 = 7;

/// The path of the welcome page for invitation `secret`.
pub fn path(secret: &str) -> String {
    format!("/welcome/{secret}")
}

/// A new invitation for `user` (earlier ones for the account stop working); returns its secret.
pub async fn create(
    db: &impl ConnectionTrait,
    user: Uuid,
    by: Uuid,
) -> Result<String, ServiceError> {
    invitation::Entity::delete_many()
        .filter(invitation::Column::UserId.eq(user))
        .exec(db)
        .await?;
    let secret = new_secret(PREFIX);
    let now = Utc::now();
    invitation::Entity::insert(invitation::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user),
        token_hash: Set(hash_secret(&secret)),
        created_by: Set(Some(by)),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(VALID_DAYS)),
    })
    .exec(db)
    .await?;
    Ok(secret)
}

/// The invitation `secret` and its account, if it can still be used; else `Gone`.
pub async fn find(
    db: &impl ConnectionTrait,
    secret: &str,
) -> Result<(invitation::Model, user::Model), ServiceError> {
    if !secret.starts_with(PREFIX) || secret.len() > 100 {
        return Err(AppError::Gone.into());
    }
    if signup_mode::get(db).await? == SignupMode::Closed {
        return Err(AppError::not_allowed(
            "Sign-up is closed here, so invitations do not work. Ask your administrator.",
        )
        .into());
    }
    let found = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(hash_secret(secret)))
        .one(db)
        .await?
        .filter(|i| i.expires_at > Utc::now());
    let Some(found) = found else {
        return Err(AppError::Gone.into());
    };
    let account = users::by_id(db, found.user_id)
        .await?
        .filter(|u| !u.disabled && users::is_invited(u))
        .ok_or(AppError::Gone)?;
    Ok((found, account))
}

/// Uses invitation `id` up.
pub async fn consume(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, ServiceError> {
    let done = invitation::Entity::delete_by_id(id).exec(db).await?;
    Ok(done.rows_affected == 1)
}
