//! What administrators see and change: the deployment's figures, accounts, the sign-up
//! setting, background jobs that went wrong, and the activity log.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The deployment's figures, for administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminStats {
    pub users: i64,
    /// Files not in the trash.
    pub files: i64,
    /// Folders not in the trash (roots not counted).
    pub folders: i64,
    /// What users have stored, every version and the trash included (what quotas count).
    pub logical_bytes: i64,
    /// What the storage holds for it: each distinct content once.
    pub stored_bytes: i64,
    /// `logical_bytes - stored_bytes`: what dedup saves.
    pub dedup_saved_bytes: i64,
    /// The current versions of files not in the trash.
    pub current_bytes: i64,
    /// The current versions of files in the trash.
    pub trash_bytes: i64,
    /// Older versions of files (what restoring a version would bring back).
    pub version_bytes: i64,
    /// Who stores the most, most first (at most five).
    pub biggest: Vec<BigUser>,
    /// Jobs by state (`queued`, `running`, `done`, `failed`, `dead`), every state listed.
    pub jobs: std::collections::BTreeMap<String, i64>,
    /// Changes the search index has not applied yet (none until search exists).
    pub index_lag: Option<i64>,
}

/// Someone among those who store the most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BigUser {
    pub name: String,
    pub email: String,
    pub used_bytes: i64,
}

/// An account as the admin's people list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDto {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub disabled: bool,
    /// Made by an administrator with an invitation its person has not used yet.
    pub invited: bool,
    /// `None`: unlimited.
    pub quota_bytes: Option<i64>,
    pub used_bytes: i64,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds; `None` if never.
    pub last_sign_in: Option<i64>,
}

/// A page of accounts, sorted by email; `next` asks for the following page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPage {
    pub accounts: Vec<AccountDto>,
    /// How many accounts match the search.
    pub total: i64,
    pub next: Option<String>,
}

/// An account an administrator makes: with an initial password, or (none given) with an
/// invitation link for its person to choose one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAccount {
    pub email: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub is_admin: bool,
    #[serde(default)]
    pub quota_bytes: Option<i64>,
}

/// The account made, and the invitation's path (`/welcome/…`, shown once) if it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedAccount {
    pub account: AccountDto,
    pub invitation: Option<String>,
}

/// What an administrator changes of an account; fields left out stay as they are.
/// `quota_bytes: Some(None)` (JSON `null`) makes the quota unlimited.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AccountChange {
    #[serde(default)]
    pub disabled: Option<bool>,
    #[serde(default)]
    pub is_admin: Option<bool>,
    #[serde(
        default,
        with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub quota_bytes: Option<Option<i64>>,
}

/// Who may make an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SignupMode {
    /// Anyone who can reach the server.
    #[default]
    Open,
    /// Only people an administrator invited (by a link).
    Invite,
    /// Nobody: administrators make accounts with a password.
    Closed,
}

/// A background job that went wrong, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedJobDto {
    pub id: Uuid,
    /// `thumbnail`, …
    pub kind: String,
    /// `failed` (cannot be done) or `dead` (gave up after retries).
    pub state: String,
    pub attempts: i32,
    pub error: Option<String>,
    /// A file it was for, when one still has the content (for people to recognise it).
    pub file_name: Option<String>,
    /// Unix seconds.
    pub updated: i64,
}

/// One change in the activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityDto {
    pub id: Uuid,
    /// Unix seconds.
    pub at: i64,
    pub actor_id: Option<Uuid>,
    pub actor_email: Option<String>,
    pub action: String,
    pub node_id: Option<Uuid>,
    /// The item's name when the change was made (or now, if it still exists).
    pub name: Option<String>,
}

/// A page of the activity log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub entries: Vec<ActivityDto>,
    pub next: Option<String>,
}

/// The activity log's filters; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityFilter {
    #[serde(default)]
    pub user: Option<Uuid>,
    #[serde(default)]
    pub action: Option<String>,
    /// Unix seconds, inclusive.
    #[serde(default)]
    pub since: Option<i64>,
    /// Unix seconds, exclusive.
    #[serde(default)]
    pub until: Option<i64>,
}

/// The account an invitation link is for, as its welcome page greets them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationDto {
    pub email: String,
    pub name: String,
}

/// The deployment's storage on one day (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub logical_bytes: i64,
    pub stored_bytes: i64,
    pub files: i64,
    /// New files and versions written that day, and their bytes.
    pub uploads: i64,
    pub uploaded_bytes: i64,
}

/// `Option<Option<T>>` in JSON: absent = `None`, `null` = `Some(None)`.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// Whether a dependency answered, and how fast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub ok: bool,
    pub millis: u64,
}

/// One setting in effect (secrets shown only as set or not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingInEffect {
    /// Its environment variable (`GOSYNC_STORAGE__KIND`).
    pub name: String,
    pub value: String,
}

/// How this server is doing, for administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthDto {
    pub version: String,
    pub uptime_secs: u64,
    /// `PostgreSQL` or `SQLite`.
    pub database_kind: String,
    pub database: Check,
    /// `local` or `s3`.
    pub storage_kind: String,
    pub storage: Check,
    /// Changes this server's search index has not applied yet.
    pub index_lag: Option<i64>,
    pub index_documents: u64,
    /// The previews' converters on this server.
    #[serde(default)]
    pub converters: Vec<ConverterDto>,
    pub settings: Vec<SettingInEffect>,
}

/// One converter of the previews, and whether this server has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConverterDto {
    pub name: String,
    pub available: bool,
    /// What it means for people ("Video posters and durations", "Not installed: no OCR").
    pub note: String,
}
