//! Server functions of the drive. Each one needs a signed-in session and goes through the
//! server's drive service, which asks the policy module about every item.

use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    dto::{ClashDto, EntryDto, FolderPage, SortKey, TrashPage, VersionDto},
    error::AppError,
};

/// The services and the signed-in user, for a server function that needs a session.
#[cfg(feature = "ssr")]
pub(crate) async fn signed_in() -> Result<(crate::services::Services, Uuid), AppError> {
    let services = crate::auth::session::services()?;
    let user = crate::auth::session::user_id()
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok((services, user))
}

#[server(endpoint = "drive/list")]
pub async fn list_folder(
    folder: Option<Uuid>,
    sort: SortKey,
    descending: bool,
    cursor: Option<String>,
) -> Result<FolderPage, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            let drive = &services.drive;
            drive.list(user, folder, sort, descending, cursor).await
        }
        .await,
    )
}

#[server(endpoint = "drive/create_folder")]
pub async fn create_folder(parent: Uuid, name: String) -> Result<EntryDto, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.create_folder(user, parent, name).await
        }
        .await,
    )
}

#[server(endpoint = "drive/rename")]
pub async fn rename(id: Uuid, name: String) -> Result<EntryDto, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.rename(user, id, name).await
        }
        .await,
    )
}

#[server(endpoint = "drive/copy")]
pub async fn copy(id: Uuid) -> Result<EntryDto, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.copy(user, id).await
        }
        .await,
    )
}

#[server(endpoint = "drive/move")]
pub async fn move_to(id: Uuid, parent: Uuid) -> Result<EntryDto, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.move_to(user, id, parent).await
        }
        .await,
    )
}

#[server(endpoint = "drive/trash")]
pub async fn trash(id: Uuid) -> Result<(), AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.trash(user, id).await
        }
        .await,
    )
}

#[server(endpoint = "drive/text_preview")]
pub async fn text_preview(id: Uuid) -> Result<crate::dto::TextPreview, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.text_preview(user, id).await
        }
        .await,
    )
}

#[server(endpoint = "drive/restore")]
pub async fn restore(id: Uuid) -> Result<EntryDto, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.restore(user, id).await
        }
        .await,
    )
}

#[server(endpoint = "drive/trash_list")]
pub async fn trash_list(cursor: Option<String>) -> Result<TrashPage, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.list_trash(user, cursor).await
        }
        .await,
    )
}

#[server(endpoint = "drive/purge")]
pub async fn purge(id: Uuid) -> Result<(), AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.purge(user, id).await
        }
        .await,
    )
}

#[server(endpoint = "drive/empty_trash")]
pub async fn empty_trash() -> Result<u64, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.empty_trash(user).await
        }
        .await,
    )
}

#[server(endpoint = "drive/versions")]
pub async fn versions(id: Uuid) -> Result<Vec<VersionDto>, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.versions(user, id).await
        }
        .await,
    )
}

#[server(endpoint = "drive/restore_version")]
pub async fn restore_version(id: Uuid, number: i32) -> Result<EntryDto, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.restore_version(user, id, number).await
        }
        .await,
    )
}

/// Which of `names` are already in the folder `parent`, before uploading under them.
#[server(endpoint = "drive/clashes", input = server_fn::codec::Json)]
pub async fn clashes(parent: Uuid, names: Vec<String>) -> Result<Vec<ClashDto>, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.clashes(user, parent, names).await
        }
        .await,
    )
}

/// Makes the folders of `path` below `parent` (an empty folder of a dropped tree).
#[server(endpoint = "drive/make_folders")]
pub async fn make_folders(parent: Uuid, path: String) -> Result<EntryDto, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = signed_in().await?;
            services.drive.make_folders(user, parent, path).await
        }
        .await,
    )
}
