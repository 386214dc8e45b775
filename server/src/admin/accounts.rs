//! Accounts as administrators manage them: search, create (with a password or an
//! invitation), disable, make or revoke admin, quotas, password resets. The last active
//! administrator can be neither demoted nor disabled, also when two admins race to do it.

use app::{
    dto::{AccountChange, AccountDto, AccountPage, CreatedAccount, NewAccount, SignupMode},
    AppError,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sea_orm::{
    sea_query::{Expr, Func, LikeExpr},
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement, TransactionTrait,
};
use uuid::Uuid;

use crate::{
    entities::user,
    error::ServiceError,
    identity::{invitations, password, signup_mode, users, validate},
};

pub const PAGE: u64 = 50;

/// The account as admins see it; `used_bytes` is what it stores.
pub fn dto(u: &user::Model, used_bytes: i64) -> AccountDto {
    AccountDto {
        id: u.id,
        email: u.email.clone(),
        name: u.name.clone(),
        is_admin: u.is_admin,
        disabled: u.disabled,
        invited: users::is_invited(u),
        quota_bytes: u.quota_bytes,
        used_bytes,
        created: u.created_at.timestamp(),
        last_sign_in: u.last_login_at.map(|t| t.timestamp()),
    }
}

/// Accounts whose email or name contains `query` (any case), by email.
pub async fn list(
    db: &DatabaseConnection,
    query: &str,
    cursor: Option<String>,
) -> Result<AccountPage, ServiceError> {
    let mut filter = Condition::all();
    let query = query.trim().to_lowercase();
    if query.chars().count() > 200 {
        return Err(AppError::validation("q", "Search with at most 200 characters.").into());
    }
    if !query.is_empty() {
        let escaped = query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = || LikeExpr::new(format!("%{escaped}%")).escape('\\');
        filter = filter.add(
            Condition::any()
                .add(Expr::col(user::Column::Email).like(pattern()))
                .add(Expr::expr(Func::lower(Expr::col(user::Column::Name))).like(pattern())),
        );
    }
    let total = user::Entity::find()
        .filter(filter.clone())
        .count(db)
        .await? as i64;
    let mut select = user::Entity::find()
        .filter(filter)
        .order_by_asc(user::Column::Email);
    if let Some(cursor) = cursor {
        let after = URL_SAFE_NO_PAD
            .decode(cursor.as_bytes())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| AppError::validation("cursor", "This page link is not valid."))?;
        select = select.filter(user::Column::Email.gt(after));
    }
    let mut rows = select.limit(PAGE + 1).all(db).await?;
    let next = (rows.len() as u64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        URL_SAFE_NO_PAD.encode(rows.last().map(|u| u.email.as_str()).unwrap_or_default())
    });
    let ids: Vec<Uuid> = rows.iter().map(|u| u.id).collect();
    let used = crate::files::quota::used_by(db, &ids).await?;
    Ok(AccountPage {
        accounts: rows
            .iter()
            .map(|u| dto(u, used.get(&u.id).copied().unwrap_or(0)))
            .collect(),
        total,
        next,
    })
}

pub async fn create(
    db: &DatabaseConnection,
    by: Uuid,
    new: NewAccount,
) -> Result<CreatedAccount, ServiceError> {
    let email = validate::normalize_email(&new.email)?;
    let default_name = email.split('@').next().unwrap_or_default().to_owned();
    let name = validate::validate_name(new.name.as_deref().unwrap_or(&default_name))?;
    check_quota(new.quota_bytes)?;
    let password_hash = match new.password.filter(|p| !p.is_empty()) {
        Some(password) => {
            validate::validate_password(&password, &email)?;
            password::hash_password(password).await?
        }
        None if signup_mode::get(db).await? == SignupMode::Closed => {
            return Err(AppError::validation(
                "password",
                "Sign-up is closed, so invitations are off: give the account a password, or \
                 allow invitations in the sign-up setting.",
            )
            .into())
        }
        None => String::new(),
    };
    let account = users::create(
        db,
        users::NewUser {
            email,
            name,
            password_hash,
            admin: Some(new.is_admin),
            quota_bytes: new.quota_bytes,
        },
    )
    .await?;
    let invitation = match users::is_invited(&account) {
        true => Some(invitations::path(
            &invitations::create(db, account.id, by).await?,
        )),
        false => None,
    };
    Ok(CreatedAccount {
        account: dto(&account, 0),
        invitation,
    })
}

/// A new invitation link for an account whose person has not chosen a password yet.
pub async fn invite_again(
    db: &DatabaseConnection,
    by: Uuid,
    id: Uuid,
) -> Result<String, ServiceError> {
    let account = users::by_id(db, id).await?.ok_or(AppError::NotFound)?;
    if !users::is_invited(&account) {
        return Err(AppError::conflict(
            "id",
            "This person has chosen a password already: reset it instead.",
        )
        .into());
    }
    if signup_mode::get(db).await? == SignupMode::Closed {
        return Err(AppError::not_allowed(
            "Sign-up is closed, so invitations are off: set a password instead.",
        )
        .into());
    }
    Ok(invitations::path(&invitations::create(db, id, by).await?))
}

pub async fn change(
    db: &DatabaseConnection,
    by: Uuid,
    id: Uuid,
    change: AccountChange,
) -> Result<AccountDto, ServiceError> {
    if let Some(quota) = change.quota_bytes {
        check_quota(quota)?;
    }
    if id == by && change.disabled == Some(true) {
        return Err(AppError::not_allowed("You cannot disable your own account.").into());
    }
    let txn = db.begin().await?;
    // Account changes go one at a time, so two demotions cannot both see the other admin
    // left: PostgreSQL locks the admins' rows; SQLite takes its write lock first (a write
    // that changes nothing), rather than failing to upgrade a read later.
    let lock = match txn.get_database_backend() {
        DatabaseBackend::Postgres => "SELECT id FROM users WHERE is_admin = true FOR UPDATE",
        _ => "UPDATE users SET is_admin = is_admin WHERE is_admin = true",
    };
    txn.execute(Statement::from_string(txn.get_database_backend(), lock))
        .await?;
    let before = users::by_id(&txn, id).await?.ok_or(AppError::NotFound)?;
    let mut row: user::ActiveModel = before.clone().into();
    if let Some(disabled) = change.disabled {
        row.disabled = Set(disabled);
    }
    if let Some(is_admin) = change.is_admin {
        row.is_admin = Set(is_admin);
    }
    if let Some(quota) = change.quota_bytes {
        row.quota_bytes = Set(quota);
    }
    let after = row.update(&txn).await?;
    let active_admin = |u: &user::Model| u.is_admin && !u.disabled;
    if active_admin(&before) && !active_admin(&after) {
        let admins_left = user::Entity::find()
            .filter(user::Column::IsAdmin.eq(true))
            .filter(user::Column::Disabled.eq(false))
            .count(&txn)
            .await?;
        if admins_left == 0 {
            return Err(AppError::not_allowed(
                "This is the last administrator: make someone else an administrator first.",
            )
            .into());
        }
    }
    if after.disabled && !before.disabled {
        users::end_sessions(&txn, id).await?;
    }
    txn.commit().await?;
    let used = crate::files::quota::used(db, id).await?;
    Ok(dto(&after, used))
}

/// A new password for `id`: every session, refresh token and personal access token (app
/// password) of the account ends, and an open invitation goes: a reset is what an
/// administrator does when an account may be in someone else's hands. Returns the account's
/// email and how many personal access tokens were revoked.
pub async fn set_password(
    db: &DatabaseConnection,
    id: Uuid,
    password: String,
) -> Result<(String, u64), ServiceError> {
    let account = users::by_id(db, id).await?.ok_or(AppError::NotFound)?;
    validate::validate_password(&password, &account.email)?;
    let hash = password::hash_password(password).await?;
    let txn = db.begin().await?;
    users::set_password_hash(&txn, id, hash).await?;
    users::end_sessions(&txn, id).await?;
    crate::entities::invitation::Entity::delete_many()
        .filter(crate::entities::invitation::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    let tokens = crate::entities::personal_access_token::Entity::delete_many()
        .filter(crate::entities::personal_access_token::Column::UserId.eq(id))
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok((account.email, tokens))
}

fn check_quota(quota: Option<i64>) -> Result<(), AppError> {
    match quota {
        Some(q) if q < 0 => Err(AppError::validation(
            "quota_bytes",
            "A quota is 0 bytes or more (leave it empty for unlimited).",
        )),
        _ => Ok(()),
    }
}
