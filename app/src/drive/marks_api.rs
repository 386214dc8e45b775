//! Server functions of Starred and Recent: a signed-in person's stars, and the files they
//! changed or opened lately.

use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::api::signed_in;
use crate::{dto::PlacedEntry, error::AppError};

#[server(endpoint = "drive/star")]
pub async fn set_star(id: Uuid, starred: bool) -> Result<(), AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.set_star(user, id, starred).await
        }
        .await,
    )
}

#[server(endpoint = "drive/starred")]
pub async fn starred() -> Result<Vec<PlacedEntry>, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.starred(user).await
        }
        .await,
    )
}

#[server(endpoint = "drive/recent")]
pub async fn recent() -> Result<Vec<PlacedEntry>, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.recent(user).await
        }
        .await,
    )
}
