//! The admin pages' service: each call checks that the signed-in user administers, then does
//! one thing; changes to accounts and settings go to the activity log.

use app::{
    dto::{
        AccountChange, AccountDto, AccountPage, ActivityFilter, ActivityPage, AdminStats,
        CreatedAccount, FailedJobDto, NewAccount, SignupMode, StorageDay,
    },
    services::AdminService,
    AppError,
};
use async_trait::async_trait;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{accounts, activity, history, stats};
use crate::{
    error::ServiceError,
    identity::{account_cache::AccountCache, signup_mode, users},
    jobs::failures,
    policy::{authorize, Action},
};

pub struct Admin {
    db: DatabaseConnection,
    /// This server's search index (its lag is on the dashboard).
    search: std::sync::Arc<crate::search::Search>,
    blobs: crate::storage::BlobStore,
    settings: std::sync::Arc<crate::config::Settings>,
    started: std::time::Instant,
    /// The accounts this node keeps in memory: a changed one is forgotten at once.
    accounts: AccountCache,
}

impl Admin {
    pub fn new(
        db: DatabaseConnection,
        search: std::sync::Arc<crate::search::Search>,
        blobs: crate::storage::BlobStore,
        settings: std::sync::Arc<crate::config::Settings>,
        started: std::time::Instant,
        accounts: AccountCache,
    ) -> Self {
        Self {
            db,
            search,
            blobs,
            settings,
            started,
            accounts,
        }
    }

    /// This server's health (the caller is an administrator).
    pub async fn health_report(&self) -> app::dto::HealthDto {
        super::health::report(
            &self.db,
            &self.blobs,
            &self.settings,
            &self.search,
            self.started,
        )
        .await
    }

    async fn administrator(&self, user: Uuid) -> Result<Uuid, AppError> {
        let actor = users::session_actor(&self.db, user).await?;
        authorize(&actor, Action::Administer)?;
        Ok(actor.user_id)
    }

    async fn log(&self, by: Uuid, action: &str, about: &str) -> Result<(), AppError> {
        Ok(activity::record(&self.db, by, action, about).await?)
    }

    /// What a change did, as activity-log actions.
    async fn record_change(
        &self,
        by: Uuid,
        change: &AccountChange,
        account: &AccountDto,
    ) -> Result<(), AppError> {
        let about = account.email.as_str();
        if let Some(disabled) = change.disabled {
            let action = if disabled {
                "account_disable"
            } else {
                "account_enable"
            };
            self.log(by, action, about).await?;
        }
        if let Some(admin) = change.is_admin {
            let action = if admin { "admin_grant" } else { "admin_revoke" };
            self.log(by, action, about).await?;
        }
        if change.quota_bytes.is_some() {
            self.log(by, "quota_change", about).await?;
        }
        Ok(())
    }
}

fn db_err(e: sea_orm::DbErr) -> AppError {
    ServiceError::from(e).into()
}

#[async_trait]
impl AdminService for Admin {
    async fn stats(&self, user: Uuid) -> Result<AdminStats, AppError> {
        self.administrator(user).await?;
        let mut figures = stats::collect(&self.db).await.map_err(db_err)?;
        let lag = crate::search::changes::lag(&self.db, &self.search).await;
        figures.index_lag = Some(lag.map_err(db_err)? as i64);
        Ok(figures)
    }

    async fn health(&self, user: Uuid) -> Result<app::dto::HealthDto, AppError> {
        self.administrator(user).await?;
        Ok(self.health_report().await)
    }

    async fn storage_history(&self, user: Uuid, days: u32) -> Result<Vec<StorageDay>, AppError> {
        self.administrator(user).await?;
        history::sample_today(&self.db).await.map_err(db_err)?;
        history::last_days(&self.db, days).await.map_err(db_err)
    }

    async fn accounts(
        &self,
        user: Uuid,
        query: String,
        cursor: Option<String>,
    ) -> Result<AccountPage, AppError> {
        self.administrator(user).await?;
        Ok(accounts::list(&self.db, &query, cursor).await?)
    }

    async fn create_account(
        &self,
        user: Uuid,
        account: NewAccount,
    ) -> Result<CreatedAccount, AppError> {
        let by = self.administrator(user).await?;
        let created = accounts::create(&self.db, by, account).await?;
        self.log(by, "account_create", &created.account.email)
            .await?;
        Ok(created)
    }

    async fn invite_again(&self, user: Uuid, id: Uuid) -> Result<String, AppError> {
        let by = self.administrator(user).await?;
        Ok(accounts::invite_again(&self.db, by, id).await?)
    }

    async fn change_account(
        &self,
        user: Uuid,
        id: Uuid,
        change: AccountChange,
    ) -> Result<AccountDto, AppError> {
        let by = self.administrator(user).await?;
        let account = accounts::change(&self.db, by, id, change.clone()).await?;
        self.accounts.forget(id);
        self.record_change(by, &change, &account).await?;
        Ok(account)
    }

    async fn set_password(&self, user: Uuid, id: Uuid, password: String) -> Result<u64, AppError> {
        let by = self.administrator(user).await?;
        let (email, tokens) = accounts::set_password(&self.db, id, password).await?;
        self.accounts.forget(id);
        self.log(by, "password_reset", &email).await?;
        Ok(tokens)
    }

    async fn signup_mode(&self, user: Uuid) -> Result<SignupMode, AppError> {
        self.administrator(user).await?;
        Ok(signup_mode::get(&self.db).await?)
    }

    async fn set_signup_mode(&self, user: Uuid, mode: SignupMode) -> Result<(), AppError> {
        let by = self.administrator(user).await?;
        signup_mode::set(&self.db, mode).await?;
        let about = serde_json::to_value(mode)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.log(by, "signup_mode", &about).await
    }

    async fn failed_jobs(&self, user: Uuid) -> Result<Vec<FailedJobDto>, AppError> {
        self.administrator(user).await?;
        Ok(failures::latest(&self.db).await?)
    }

    async fn retry_job(&self, user: Uuid, job: Uuid) -> Result<(), AppError> {
        let by = self.administrator(user).await?;
        failures::retry(&self.db, job).await?;
        self.log(by, "job_retry", &job.to_string()).await
    }

    async fn activity(
        &self,
        user: Uuid,
        filter: ActivityFilter,
        cursor: Option<String>,
    ) -> Result<ActivityPage, AppError> {
        self.administrator(user).await?;
        Ok(activity::page(&self.db, filter, cursor).await?)
    }
}
