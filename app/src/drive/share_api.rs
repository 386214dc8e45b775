//! Server functions of sharing from the drive: who has an item (people and links), sharing
//! it, changing or removing access, and what others share with the user. Each goes through
//! the server's sharing service, which asks the policy module.

use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    dto::{GrantDto, LinkDto, LinkRole, Role, SharedEntryDto, SharingDto},
    error::AppError,
};

#[cfg(feature = "ssr")]
use super::api::signed_in;

#[server(endpoint = "sharing/get")]
pub async fn sharing(id: Uuid) -> Result<SharingDto, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.sharing.sharing(user, id).await
        }
        .await,
    )
}

#[server(endpoint = "sharing/share")]
pub async fn share(id: Uuid, email: String, role: Role) -> Result<GrantDto, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.sharing.share(user, id, email, role).await
        }
        .await,
    )
}

#[server(endpoint = "sharing/change")]
pub async fn change_grant(grant: Uuid, role: Role) -> Result<(), AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.sharing.change_grant(user, grant, role).await
        }
        .await,
    )
}

#[server(endpoint = "sharing/remove")]
pub async fn remove_grant(grant: Uuid) -> Result<(), AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.sharing.remove_grant(user, grant).await
        }
        .await,
    )
}

#[server(endpoint = "sharing/create_link")]
pub async fn create_link(
    id: Uuid,
    role: LinkRole,
    password: Option<String>,
    expires_in_days: Option<i64>,
    max_downloads: Option<i64>,
    label: Option<String>,
) -> Result<LinkDto, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            let new = crate::dto::NewLinkDto {
                role,
                password,
                expires_in_days,
                max_downloads,
                label,
            };
            services.sharing.create_link(user, id, new).await
        }
        .await,
    )
}

#[server(endpoint = "sharing/revoke_link")]
pub async fn revoke_link(link: Uuid) -> Result<(), AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.sharing.revoke_link(user, link).await
        }
        .await,
    )
}

#[server(endpoint = "sharing/shared_with_me")]
pub async fn shared_with_me() -> Result<Vec<SharedEntryDto>, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.sharing.shared_with_me(user).await
        }
        .await,
    )
}
