//! The contract the server implements for the UI: service traits that server functions call.
//! The server provides a [`Services`] value as Leptos context; `app` never touches the database.

use std::{net::IpAddr, sync::Arc};

use async_trait::async_trait;
use uuid::Uuid;

use crate::{
    dto::{SignUpInput, UserDto},
    error::AppError,
};

/// Session key under which the signed-in user's id is stored.
pub const SESSION_USER_KEY: &str = "user_id";

/// The caller's IP address, put into request extensions by the server.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

#[async_trait]
pub trait IdentityService: Send + Sync {
    /// Creates an account (the first one becomes admin).
    async fn sign_up(&self, input: SignUpInput, ip: Option<IpAddr>) -> Result<UserDto, AppError>;
    /// Checks credentials, rate limited per IP and per account.
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        ip: Option<IpAddr>,
    ) -> Result<UserDto, AppError>;
    /// The active user with this id; `None` when the account is gone or disabled.
    async fn active_user(&self, id: Uuid) -> Result<Option<UserDto>, AppError>;
}

#[derive(Clone)]
pub struct Services {
    pub identity: Arc<dyn IdentityService>,
}
