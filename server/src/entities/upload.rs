use sea_orm::entity::prelude::*;

/// A tus upload in progress: `offset` of `length` bytes are staged.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "uploads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub parent_id: Uuid,
    pub filename: String,
    pub length: i64,
    pub offset: i64,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// The file's modification time, as the client said (`mtime` metadata).
    pub mtime: Option<DateTimeUtc>,
    /// A part of a concatenated upload: it never becomes a file by itself.
    pub partial: bool,
    /// Staged in S3: the object the upload becomes, and its multipart upload.
    pub storage_key: Option<String>,
    pub multipart_id: Option<String>,
    /// The content's SHA-256, once an upload staged in S3 is complete.
    pub sha256: Option<String>,
    /// The public link the upload came through (its holder is the uploader; `owner_id` is the
    /// folder's owner then), or None for a signed-in user's upload.
    pub link_id: Option<Uuid>,
    /// Whose quota the staged bytes count against until the upload ends.
    pub payer_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
