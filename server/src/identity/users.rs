//! Accounts in the database: create (the first one becomes admin), look up, record sign-ins.

use app::AppError;
use chrono::Utc;
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use uuid::Uuid;

use crate::{entities::user, error::ServiceError};

pub struct NewUser {
    pub email: String,
    pub name: String,
    /// Empty for an invited account: nobody can sign in to it until its person chooses one.
    pub password_hash: String,
    /// `Some(true)` forces admin; `None` makes only the very first account admin.
    pub admin: Option<bool>,
    pub quota_bytes: Option<i64>,
}

pub async fn create(db: &DatabaseConnection, new: NewUser) -> Result<user::Model, ServiceError> {
    let id = Uuid::new_v4();
    let row = user::ActiveModel {
        id: Set(id),
        email: Set(new.email),
        name: Set(new.name),
        password_hash: Set(new.password_hash),
        is_admin: Set(new.admin.unwrap_or(false)),
        disabled: Set(false),
        quota_bytes: Set(new.quota_bytes),
        created_at: Set(Utc::now()),
        last_login_at: Set(None),
        session_generation: Set(0),
    };
    match user::Entity::insert(row).exec(db).await {
        Ok(_) => {}
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(
                AppError::conflict("email", "An account with this email already exists.").into(),
            );
        }
        Err(e) => return Err(e.into()),
    }
    if new.admin.is_none() && is_first(db, id).await? {
        user::Entity::update_many()
            .col_expr(user::Column::IsAdmin, Expr::value(true))
            .filter(user::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    by_id(db, id)
        .await?
        .ok_or_else(|| AppError::Internal.into())
}

/// Whether `id` is the oldest account: decided after insert, so two racing first sign-ups
/// agree on a single admin.
async fn is_first(db: &DatabaseConnection, id: Uuid) -> Result<bool, ServiceError> {
    let first: Option<Uuid> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .order_by_asc(user::Column::CreatedAt)
        .order_by_asc(user::Column::Id)
        .into_tuple()
        .one(db)
        .await?;
    Ok(first == Some(id))
}

pub async fn by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<user::Model>, ServiceError> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

pub async fn by_email(
    db: &DatabaseConnection,
    email: &str,
) -> Result<Option<user::Model>, ServiceError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?)
}

/// Made by an administrator with an invitation whose person has not chosen a password yet.
pub fn is_invited(user: &user::Model) -> bool {
    user.password_hash.is_empty()
}

/// Ends every browser session of `id` (they were signed in under an older generation).
pub async fn end_sessions(db: &impl ConnectionTrait, id: Uuid) -> Result<(), ServiceError> {
    user::Entity::update_many()
        .col_expr(
            user::Column::SessionGeneration,
            Expr::col(user::Column::SessionGeneration).add(1),
        )
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    super::refresh_tokens::revoke_all(db, id).await
}

/// Stores a new password hash for `id`.
pub async fn set_password_hash(
    db: &impl ConnectionTrait,
    id: Uuid,
    hash: String,
) -> Result<(), ServiceError> {
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn record_sign_in(db: &DatabaseConnection, id: Uuid) -> Result<(), ServiceError> {
    user::Entity::update_many()
        .col_expr(user::Column::LastLoginAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The signed-in browser user `id` as an actor, if the account is active.
pub async fn session_actor(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<crate::policy::Actor, app::AppError> {
    let user = by_id(db, id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or(app::AppError::Unauthorized)?;
    Ok(crate::policy::Actor {
        user_id: user.id,
        is_admin: user.is_admin,
        via: crate::policy::Credential::Session,
    })
}
