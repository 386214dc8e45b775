//! The settings page's server functions: one's own app passwords.

use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    dto::{AppPasswordDto, NewAppPassword},
    error::AppError,
};

#[cfg(feature = "ssr")]
use crate::auth::session::with_status;

#[server(endpoint = "account/app_passwords")]
pub async fn app_passwords() -> Result<Vec<AppPasswordDto>, AppError> {
    with_status(
        async {
            let (services, user) = crate::drive::api::signed_in().await?;
            services.account.app_passwords(user).await
        }
        .await,
    )
}

#[server(endpoint = "account/create_app_password")]
pub async fn create_app_password(name: String) -> Result<NewAppPassword, AppError> {
    with_status(
        async {
            let (services, user) = crate::drive::api::signed_in().await?;
            services.account.create_app_password(user, name).await
        }
        .await,
    )
}

#[server(endpoint = "account/revoke_app_password")]
pub async fn revoke_app_password(id: Uuid) -> Result<(), AppError> {
    with_status(
        async {
            let (services, user) = crate::drive::api::signed_in().await?;
            services.account.revoke_app_password(user, id).await
        }
        .await,
    )
}
