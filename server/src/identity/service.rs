//! The identity service: sign-up, sign-in, token pairs, and the user behind a credential.

use std::{net::IpAddr, sync::Arc, time::Duration};

use app::{
    dto::{InvitationDto, SignUpInput, SignupMode, UserDto},
    services::{IdentityService, SessionUser},
    AppError,
};
use async_trait::async_trait;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{
    access_tokens, account_cache::AccountCache, invitations, jwt::JwtKeys, password,
    rate_limit::RateLimiter, refresh_tokens, signup_mode, users, validate,
};
use crate::{config::Settings, entities::user, error::ServiceError};

pub struct Identity {
    db: DatabaseConnection,
    jwt: JwtKeys,
    limiter: RateLimiter,
    /// Failed sign-ins per account and address.
    failures: super::backoff::Backoff,
    settings: Arc<Settings>,
    /// Accounts read for requests, kept while nothing changes them (PostgreSQL).
    accounts: AccountCache,
}

pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
}

impl Identity {
    pub fn new(db: DatabaseConnection, jwt: JwtKeys, settings: Arc<Settings>) -> Self {
        Self {
            accounts: AccountCache::start(&db),
            db,
            jwt,
            limiter: RateLimiter::default(),
            failures: super::backoff::Backoff::default(),
            settings,
        }
    }

    #[tracing::instrument(skip_all, err(Debug))]
    pub async fn create_user(
        &self,
        input: SignUpInput,
        ip: Option<IpAddr>,
    ) -> Result<user::Model, ServiceError> {
        let limits = &self.settings.limits;
        if let Some(ip) = ip {
            let window = Duration::from_secs(limits.signup_window_secs);
            self.limiter
                .check_and_hit(&format!("signup:{ip}"), limits.signup_per_ip, window)
                .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
        }
        match signup_mode::get(&self.db).await? {
            SignupMode::Open => {}
            SignupMode::Invite => {
                return Err(AppError::not_allowed(
                    "Accounts here are by invitation only. Ask an administrator to invite you.",
                )
                .into())
            }
            SignupMode::Closed => {
                return Err(AppError::not_allowed(
                    "Sign-up is closed here. Ask an administrator for an account.",
                )
                .into())
            }
        }
        let name = validate::validate_name(&input.name)?;
        let email = validate::normalize_email(&input.email)?;
        validate::validate_password(&input.password, &email)?;
        let password_hash = password::hash_password(input.password).await?;
        let new = users::NewUser {
            email,
            name,
            password_hash,
            admin: None,
            quota_bytes: None,
        };
        users::create(&self.db, new).await
    }

    /// Checks credentials. Every failure is the same `InvalidCredentials` after the same work.
    #[tracing::instrument(skip_all, err(Debug))]
    pub async fn check_credentials(
        &self,
        email: &str,
        password: &str,
        ip: Option<IpAddr>,
    ) -> Result<user::Model, ServiceError> {
        let limits = &self.settings.limits;
        let window = Duration::from_secs(limits.login_window_secs);
        let limited = |retry_after_secs| AppError::RateLimited { retry_after_secs };
        if let Some(ip) = ip {
            self.limiter
                .check_and_hit(&format!("login-ip:{ip}"), limits.login_per_ip, window)
                .map_err(limited)?;
        }
        let email = email.trim().to_lowercase();
        // Failures count per account and address: guesses from one place make that place
        // wait, never the owner signing in from somewhere else.
        let from = ip.map_or_else(|| "-".to_owned(), |ip| ip.to_string());
        let account_key = format!("{email}|{from}");
        let per_account = limits.login_per_account;
        self.failures.check(&account_key).map_err(limited)?;
        if password.chars().count() > validate::MAX_PASSWORD_CHARS || email.len() > 254 {
            // Still spend the hashing time, so this path is not a shortcut for probing.
            password::verify_password(String::new(), None).await?;
            self.failures.fail(&account_key, per_account, window);
            return Err(AppError::InvalidCredentials.into());
        }
        // An invited account has no password yet: checked like an unknown one.
        let user = users::by_email(&self.db, &email)
            .await?
            .filter(|u| !users::is_invited(u));
        let stored = user.as_ref().map(|u| u.password_hash.clone());
        let matches = password::verify_password(password.to_owned(), stored).await?;
        match user {
            Some(user) if matches => {
                if user.disabled {
                    return Err(AppError::AccountDisabled.into());
                }
                users::record_sign_in(&self.db, user.id).await?;
                self.failures.clear(&account_key);
                Ok(user)
            }
            _ => {
                self.failures.fail(&account_key, per_account, window);
                Err(AppError::InvalidCredentials.into())
            }
        }
    }

    pub async fn issue_tokens(
        &self,
        user: &user::Model,
        family: Option<Uuid>,
    ) -> Result<TokenPair, ServiceError> {
        let ttl_days = self.settings.auth.refresh_token_ttl_days;
        Ok(TokenPair {
            access_token: self.jwt.issue(user.id, user.session_generation)?,
            refresh_token: refresh_tokens::issue(&self.db, user.id, family, ttl_days).await?,
            expires_in: self.jwt.ttl_secs(),
        })
    }

    /// Exchanges a refresh token for a new pair; the old token stops working.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair, ServiceError> {
        let (user, family) = refresh_tokens::consume(&self.db, refresh_token).await?;
        let Some(user) = self.active(user).await? else {
            return Err(AppError::Unauthorized.into());
        };
        self.issue_tokens(&user, Some(family)).await
    }

    pub async fn revoke_refresh_token(&self, refresh_token: &str) -> Result<(), ServiceError> {
        refresh_tokens::revoke(&self.db, refresh_token).await
    }

    /// The active user behind a bearer token: a personal access token or a JWT access token.
    pub async fn user_for_bearer(
        &self,
        token: &str,
    ) -> Result<Option<(user::Model, bool)>, ServiceError> {
        if token.starts_with(access_tokens::PREFIX) {
            return match access_tokens::authenticate(&self.db, token).await? {
                Some(id) => Ok(self.active(id).await?.map(|u| (u, true))),
                None => Ok(None),
            };
        }
        let Some((id, generation)) = self.jwt.verify(token) else {
            return Ok(None);
        };
        // Issued before a password reset (or a disable) ended the account's sessions: refused.
        Ok(self
            .active(id)
            .await?
            .filter(|u| u.session_generation == generation)
            .map(|u| (u, false)))
    }

    /// The accounts this node keeps in memory.
    pub fn accounts(&self) -> &AccountCache {
        &self.accounts
    }

    /// The user with `id` unless the account is gone or disabled.
    pub async fn active(&self, id: Uuid) -> Result<Option<user::Model>, ServiceError> {
        if let Some(account) = self.accounts.get(id) {
            return Ok(Some(account).filter(|u| !u.disabled));
        }
        let epoch = self.accounts.epoch();
        let account = users::by_id(&self.db, id).await?;
        if let Some(account) = &account {
            self.accounts.keep(account, epoch);
        }
        Ok(account.filter(|u| !u.disabled))
    }

    /// Sets an invited account's password and uses the invitation up.
    pub async fn accept(
        &self,
        token: &str,
        password: String,
        ip: Option<IpAddr>,
    ) -> Result<user::Model, ServiceError> {
        if let Some(ip) = ip {
            let limits = &self.settings.limits;
            let window = Duration::from_secs(limits.signup_window_secs);
            self.limiter
                .check_and_hit(&format!("invite:{ip}"), limits.signup_per_ip, window)
                .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
        }
        let (found, account) = invitations::find(&self.db, token).await?;
        validate::validate_password(&password, &account.email)?;
        let hash = password::hash_password(password).await?;
        if !invitations::consume(&self.db, found.id).await? {
            return Err(AppError::Gone.into()); // used meanwhile, by another tab
        }
        users::set_password_hash(&self.db, account.id, hash).await?;
        users::record_sign_in(&self.db, account.id).await?;
        Ok(users::by_id(&self.db, account.id)
            .await?
            .ok_or(AppError::Gone)?)
    }
}

fn session_user(user: &user::Model) -> SessionUser {
    SessionUser {
        id: user.id,
        generation: user.session_generation,
    }
}

pub fn user_dto(user: &user::Model) -> UserDto {
    UserDto {
        id: user.id,
        email: user.email.clone(),
        name: user.name.clone(),
        is_admin: user.is_admin,
    }
}

#[async_trait]
impl IdentityService for Identity {
    async fn sign_up(
        &self,
        input: SignUpInput,
        ip: Option<IpAddr>,
    ) -> Result<(UserDto, SessionUser), AppError> {
        let user = self.create_user(input, ip).await?;
        Ok((user_dto(&user), session_user(&user)))
    }

    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        ip: Option<IpAddr>,
    ) -> Result<(UserDto, SessionUser), AppError> {
        let user = self.check_credentials(email, password, ip).await?;
        Ok((user_dto(&user), session_user(&user)))
    }

    async fn signup_mode(&self) -> Result<SignupMode, AppError> {
        Ok(signup_mode::get(&self.db).await?)
    }

    async fn invitation(&self, token: String) -> Result<InvitationDto, AppError> {
        let (_, account) = invitations::find(&self.db, &token).await?;
        Ok(InvitationDto {
            email: account.email,
            name: account.name,
        })
    }

    async fn accept_invitation(
        &self,
        token: String,
        password: String,
        ip: Option<IpAddr>,
    ) -> Result<(UserDto, SessionUser), AppError> {
        let user = self.accept(&token, password, ip).await?;
        Ok((user_dto(&user), session_user(&user)))
    }

    async fn active_user(&self, id: Uuid) -> Result<Option<UserDto>, AppError> {
        Ok(self.active(id).await?.map(|u| user_dto(&u)))
    }
}
