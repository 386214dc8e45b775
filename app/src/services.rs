//! The contract the server implements for the UI: service traits that server functions call.
//! The server provides a [`Services`] value as Leptos context; `app` never touches the database.

use std::{net::IpAddr, sync::Arc};

use async_trait::async_trait;
use uuid::Uuid;

use crate::{
    dto::{
        AccountChange, AccountPage, ActivityFilter, ActivityPage, AdminStats, AppPasswordDto,
        ClashDto, CreatedAccount, EntryDto, FailedJobDto, FolderPage, GrantDto, InvitationDto,
        LinkDto, LinkPage, NewAccount, NewAppPassword, NewLinkDto, PlacedEntry, Role,
        SharedEntryDto, SharingDto, SignUpInput, SignupMode, SortKey, StorageDay, TextPreview,
        TrashPage, UserDto, VersionDto,
    },
    error::AppError,
};

/// Session key under which the signed-in user is stored (a [`SessionUser`]).
pub const SESSION_USER_KEY: &str = "user";

/// Who a browser session is signed in as. The server ends the session when the account's
/// generation moves on (an administrator disabled it or reset its password).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionUser {
    pub id: Uuid,
    pub generation: i32,
}

/// The caller's IP address, put into request extensions by the server.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

#[async_trait]
pub trait IdentityService: Send + Sync {
    /// Creates an account (the first one becomes admin), if sign-up is open.
    async fn sign_up(
        &self,
        input: SignUpInput,
        ip: Option<IpAddr>,
    ) -> Result<(UserDto, SessionUser), AppError>;
    /// Checks credentials, rate limited per IP and per account.
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        ip: Option<IpAddr>,
    ) -> Result<(UserDto, SessionUser), AppError>;
    /// Who may make an account here (the sign-up page says so).
    async fn signup_mode(&self) -> Result<SignupMode, AppError>;
    /// The account invitation `token` is for (`Gone` once used, expired or withdrawn).
    async fn invitation(&self, token: String) -> Result<InvitationDto, AppError>;
    /// Sets the invited account's password; the invitation is used up.
    async fn accept_invitation(
        &self,
        token: String,
        password: String,
        ip: Option<IpAddr>,
    ) -> Result<(UserDto, SessionUser), AppError>;
    /// The active user with this id; `None` when the account is gone or disabled.
    async fn active_user(&self, id: Uuid) -> Result<Option<UserDto>, AppError>;
}

/// The drive, for a signed-in user: every call is authorised by the server's policy.
#[async_trait]
pub trait DriveService: Send + Sync {
    /// A page of `folder` (the user's root when `None`), folders first.
    async fn list(
        &self,
        user: Uuid,
        folder: Option<Uuid>,
        sort: SortKey,
        descending: bool,
        cursor: Option<String>,
    ) -> Result<FolderPage, AppError>;
    async fn create_folder(
        &self,
        user: Uuid,
        parent: Uuid,
        name: String,
    ) -> Result<EntryDto, AppError>;
    async fn rename(&self, user: Uuid, id: Uuid, name: String) -> Result<EntryDto, AppError>;
    /// Copies the item (a folder with everything in it) next to itself, as "name (1)".
    async fn copy(&self, user: Uuid, id: Uuid) -> Result<EntryDto, AppError>;
    /// Moves the item into the folder `parent` (never into itself or below itself).
    async fn move_to(&self, user: Uuid, id: Uuid, parent: Uuid) -> Result<EntryDto, AppError>;
    /// Moves the item (and everything below it) to the trash.
    async fn trash(&self, user: Uuid, id: Uuid) -> Result<(), AppError>;
    /// Brings a trashed item back to where it was.
    async fn restore(&self, user: Uuid, id: Uuid) -> Result<EntryDto, AppError>;
    /// A file's versions, newest first.
    async fn versions(&self, user: Uuid, id: Uuid) -> Result<Vec<VersionDto>, AppError>;
    /// Makes version `number`'s content the file's newest version.
    async fn restore_version(
        &self,
        user: Uuid,
        id: Uuid,
        number: i32,
    ) -> Result<EntryDto, AppError>;
    /// The user's trash, a page at a time.
    async fn list_trash(&self, user: Uuid, cursor: Option<String>) -> Result<TrashPage, AppError>;
    /// Deletes a trashed item (and what was below it) for good.
    async fn purge(&self, user: Uuid, id: Uuid) -> Result<(), AppError>;
    /// Deletes everything in the user's trash for good; returns how many items.
    async fn empty_trash(&self, user: Uuid) -> Result<u64, AppError>;
    /// The start of a text file, highlighted as HTML, for the viewer.
    async fn text_preview(&self, user: Uuid, id: Uuid) -> Result<TextPreview, AppError>;
    /// Which of `names` are taken in the folder `parent` (for an upload to ask first).
    async fn clashes(
        &self,
        user: Uuid,
        parent: Uuid,
        names: Vec<String>,
    ) -> Result<Vec<ClashDto>, AppError>;
    /// The folder at `path` ("a/b/c") below `parent`, each missing folder made on the way
    /// (an empty folder of a dropped tree).
    async fn make_folders(
        &self,
        user: Uuid,
        parent: Uuid,
        path: String,
    ) -> Result<EntryDto, AppError>;
    /// Stars (or, with `starred` false, unstars) an item the user may see.
    async fn set_star(&self, user: Uuid, id: Uuid, starred: bool) -> Result<(), AppError>;
    /// What the user starred and may still see, newest star first.
    async fn starred(&self, user: Uuid) -> Result<Vec<PlacedEntry>, AppError>;
    /// The files the user changed or opened lately, newest first.
    async fn recent(&self, user: Uuid) -> Result<Vec<PlacedEntry>, AppError>;
}

/// What administrators see of the whole deployment.
#[async_trait]
pub trait AdminService: Send + Sync {
    /// The deployment's figures (administrators only, as is everything here).
    async fn stats(&self, user: Uuid) -> Result<AdminStats, AppError>;
    /// This server: database and storage answering, search index, version, uptime, settings.
    async fn health(&self, user: Uuid) -> Result<crate::dto::HealthDto, AppError>;
    /// Daily storage samples, oldest first, for the last `days` days.
    async fn storage_history(&self, user: Uuid, days: u32) -> Result<Vec<StorageDay>, AppError>;
    /// Accounts whose email or name contains `query`, by email, a page at a time.
    async fn accounts(
        &self,
        user: Uuid,
        query: String,
        cursor: Option<String>,
    ) -> Result<AccountPage, AppError>;
    async fn create_account(
        &self,
        user: Uuid,
        account: NewAccount,
    ) -> Result<CreatedAccount, AppError>;
    /// A new invitation link (the path) for an account still waiting for its password.
    async fn invite_again(&self, user: Uuid, id: Uuid) -> Result<String, AppError>;
    /// Disables or enables, makes or revokes admin, sets or clears the quota.
    async fn change_account(
        &self,
        user: Uuid,
        id: Uuid,
        change: AccountChange,
    ) -> Result<crate::dto::AccountDto, AppError>;
    /// A new password for account `id`; its sessions and refresh tokens end.
    /// Returns how many personal access tokens (app passwords) of the account were revoked.
    async fn set_password(&self, user: Uuid, id: Uuid, password: String) -> Result<u64, AppError>;
    async fn signup_mode(&self, user: Uuid) -> Result<SignupMode, AppError>;
    async fn set_signup_mode(&self, user: Uuid, mode: SignupMode) -> Result<(), AppError>;
    /// Jobs that failed or gave up, newest first.
    async fn failed_jobs(&self, user: Uuid) -> Result<Vec<FailedJobDto>, AppError>;
    /// Queues a failed or dead job again, with fresh attempts.
    async fn retry_job(&self, user: Uuid, job: Uuid) -> Result<(), AppError>;
    /// The activity log across all users, newest first.
    async fn activity(
        &self,
        user: Uuid,
        filter: ActivityFilter,
        cursor: Option<String>,
    ) -> Result<ActivityPage, AppError>;
}

/// Public links, for whoever holds one (no account needed).
#[async_trait]
pub trait LinkService: Send + Sync {
    /// What link `token` shows at `folder` (below the linked folder; the linked item when
    /// `None`). `unlocked`: the links whose password this browser gave.
    async fn page(
        &self,
        token: String,
        folder: Option<Uuid>,
        unlocked: Vec<Uuid>,
    ) -> Result<LinkPage, AppError>;
    /// The start of a text file the link shows (`id` below a linked folder), for the viewer.
    async fn text_preview(
        &self,
        token: String,
        id: Option<Uuid>,
        unlocked: Vec<Uuid>,
    ) -> Result<TextPreview, AppError>;
    /// Checks the link's password (rate limited); returns the link's id to remember.
    async fn unlock(
        &self,
        token: String,
        password: String,
        ip: Option<IpAddr>,
    ) -> Result<Uuid, AppError>;
}

/// Search over what the signed-in user may see.
#[async_trait]
pub trait SearchService: Send + Sync {
    /// `params`: the search page's URL query (`q=report&kind=pdf`), read as the REST API reads it.
    async fn search(&self, user: Uuid, params: String) -> Result<crate::dto::SearchPage, AppError>;
}

/// Sharing from the drive: people and links of an item, and what is shared with the user.
#[async_trait]
pub trait SharingService: Send + Sync {
    async fn sharing(&self, user: Uuid, id: Uuid) -> Result<SharingDto, AppError>;
    async fn share(
        &self,
        user: Uuid,
        id: Uuid,
        email: String,
        role: Role,
    ) -> Result<GrantDto, AppError>;
    async fn change_grant(&self, user: Uuid, grant: Uuid, role: Role) -> Result<(), AppError>;
    async fn remove_grant(&self, user: Uuid, grant: Uuid) -> Result<(), AppError>;
    /// A public link; `expires_in_days` from now, if given.
    async fn create_link(&self, user: Uuid, id: Uuid, new: NewLinkDto)
        -> Result<LinkDto, AppError>;
    async fn revoke_link(&self, user: Uuid, link: Uuid) -> Result<(), AppError>;
    async fn shared_with_me(&self, user: Uuid) -> Result<Vec<SharedEntryDto>, AppError>;
}

#[async_trait]
pub trait AccountService: Send + Sync {
    /// The person's app passwords, newest first.
    async fn app_passwords(&self, user: Uuid) -> Result<Vec<AppPasswordDto>, AppError>;
    /// A new app password named `name`; its secret is in the answer only.
    async fn create_app_password(
        &self,
        user: Uuid,
        name: String,
    ) -> Result<NewAppPassword, AppError>;
    /// Revokes app password `id`: clients using it are signed out at once.
    async fn revoke_app_password(&self, user: Uuid, id: Uuid) -> Result<(), AppError>;
}

#[derive(Clone)]
pub struct Services {
    pub account: Arc<dyn AccountService>,
    pub admin: Arc<dyn AdminService>,
    pub sharing: Arc<dyn SharingService>,
    pub identity: Arc<dyn IdentityService>,
    pub drive: Arc<dyn DriveService>,
    pub links: Arc<dyn LinkService>,
    pub search: Arc<dyn SearchService>,
}

/// Session key: the public links whose password this browser has given.
pub const UNLOCKED_LINKS_KEY: &str = "unlocked_links";

/// The public links whose password the browser of `session` gave (none if it cannot be read).
#[cfg(feature = "ssr")]
pub async fn unlocked_links(session: &tower_sessions::Session) -> Vec<Uuid> {
    session
        .get(UNLOCKED_LINKS_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Remembers that the browser of `session` gave link `id`'s password (a browser that opens
/// very many links keeps the latest 200).
#[cfg(feature = "ssr")]
pub async fn remember_unlocked(
    session: &tower_sessions::Session,
    id: Uuid,
) -> Result<(), AppError> {
    let mut ids = unlocked_links(session).await;
    if !ids.contains(&id) {
        ids.push(id);
        if ids.len() > 200 {
            ids.remove(0);
        }
    }
    session
        .insert(UNLOCKED_LINKS_KEY, ids)
        .await
        .map_err(|_| AppError::Internal)
}
