//! The admin pages' server functions: each asks the admin service, which checks that the
//! signed-in user administers.

use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::dto::{AccountChange, ActivityFilter, NewAccount};
use crate::{
    dto::{
        AccountDto, AccountPage, ActivityPage, AdminStats, CreatedAccount, FailedJobDto,
        SignupMode, StorageDay,
    },
    error::AppError,
};

#[cfg(feature = "ssr")]
async fn admin() -> Result<(std::sync::Arc<dyn crate::services::AdminService>, Uuid), AppError> {
    let (services, user) = crate::drive::api::signed_in().await?;
    Ok((services.admin, user))
}

#[cfg(feature = "ssr")]
use crate::auth::session::with_status;

#[server(endpoint = "admin/stats")]
pub async fn deployment_figures() -> Result<AdminStats, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            admin.stats(user).await
        }
        .await,
    )
}

#[server(endpoint = "admin/health")]
pub async fn health_report() -> Result<crate::dto::HealthDto, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            admin.health(user).await
        }
        .await,
    )
}

#[server(endpoint = "admin/storage")]
pub async fn storage_days(days: u32) -> Result<Vec<StorageDay>, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            admin.storage_history(user, days).await
        }
        .await,
    )
}

#[server(endpoint = "admin/accounts")]
pub async fn people_page(query: String, cursor: Option<String>) -> Result<AccountPage, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            admin.accounts(user, query, cursor).await
        }
        .await,
    )
}

/// `quota`: as typed (`10 GB`); empty for unlimited.
#[server(endpoint = "admin/create_account")]
pub async fn make_account(
    email: String,
    name: String,
    password: String,
    is_admin: Option<String>,
    quota: String,
) -> Result<CreatedAccount, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            let account = NewAccount {
                email,
                name: Some(name).filter(|n| !n.trim().is_empty()),
                password: Some(password).filter(|p| !p.is_empty()),
                is_admin: is_admin.is_some(),
                quota_bytes: quota_bytes(&quota)?,
            };
            admin.create_account(user, account).await
        }
        .await,
    )
}

#[server(endpoint = "admin/change_account")]
pub async fn update_account(
    id: Uuid,
    disabled: Option<bool>,
    is_admin: Option<bool>,
) -> Result<AccountDto, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            let change = AccountChange {
                disabled,
                is_admin,
                quota_bytes: None,
            };
            admin.change_account(user, id, change).await
        }
        .await,
    )
}

#[server(endpoint = "admin/set_quota")]
pub async fn update_quota(id: Uuid, quota: String) -> Result<AccountDto, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            let change = AccountChange {
                quota_bytes: Some(quota_bytes(&quota)?),
                ..AccountChange::default()
            };
            admin.change_account(user, id, change).await
        }
        .await,
    )
}

#[server(endpoint = "admin/set_password")]
pub async fn new_password(id: Uuid, password: String) -> Result<u64, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            admin.set_password(user, id, password).await
        }
        .await,
    )
}

#[server(endpoint = "admin/invite_again")]
pub async fn new_invitation(id: Uuid) -> Result<String, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            admin.invite_again(user, id).await
        }
        .await,
    )
}

#[server(endpoint = "admin/signup_mode")]
pub async fn signup_setting() -> Result<SignupMode, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            admin.signup_mode(user).await
        }
        .await,
    )
}

#[server(endpoint = "admin/set_signup_mode")]
pub async fn change_signup_setting(mode: SignupMode) -> Result<(), AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            admin.set_signup_mode(user, mode).await
        }
        .await,
    )
}

#[server(endpoint = "admin/failed_jobs")]
pub async fn job_failures() -> Result<Vec<FailedJobDto>, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            admin.failed_jobs(user).await
        }
        .await,
    )
}

#[server(endpoint = "admin/retry_job")]
pub async fn retry_failed_job(id: Uuid) -> Result<(), AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            admin.retry_job(user, id).await
        }
        .await,
    )
}

#[server(endpoint = "admin/activity")]
pub async fn activity_log(
    person: Option<Uuid>,
    action: Option<String>,
    since: Option<i64>,
    until: Option<i64>,
    cursor: Option<String>,
) -> Result<ActivityPage, AppError> {
    with_status(
        async {
            let (admin, user) = admin().await?;
            let filter = ActivityFilter {
                user: person,
                action,
                since,
                until,
            };
            admin.activity(user, filter, cursor).await
        }
        .await,
    )
}

/// A quota as typed: empty is unlimited.
#[cfg(feature = "ssr")]
fn quota_bytes(typed: &str) -> Result<Option<i64>, AppError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    crate::drive::format::parse_size(typed)
        .ok()
        .and_then(|b| i64::try_from(b).ok())
        .map(Some)
        .ok_or_else(|| {
            AppError::validation(
                "quota",
                "Type a size like 10 GB or 500 MB, or leave it empty.",
            )
        })
}
