use sea_orm::entity::prelude::*;

/// A public link to `node_id` (and, for a folder, everything below it).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "share_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub node_id: Uuid,
    /// 128 random bits, URL-safe base64: the link's only secret besides its password.
    pub token: String,
    /// `viewer`, `uploader` or `editor`.
    pub role: String,
    pub password_hash: Option<String>,
    pub expires_at: Option<DateTimeUtc>,
    pub max_downloads: Option<i64>,
    pub downloads: i64,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// The owner's words for the link; what it uploads is recorded "via link <label>".
    pub label: Option<String>,
    /// Bytes served, in millionths of a download of what was served (the download limit
    /// counts these, whatever the Range).
    pub served_units: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
