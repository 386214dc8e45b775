use sea_orm::entity::prelude::*;

/// A folder or a file in someone's tree.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "nodes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    /// `None` only for a user's root folder.
    pub parent_id: Option<Uuid>,
    pub name: String,
    /// `folder` or `file`.
    pub kind: String,
    pub size: i64,
    pub mime: Option<String>,
    pub created_at: DateTimeUtc,
    pub modified_at: DateTimeUtc,
    pub trashed_at: Option<DateTimeUtc>,
    /// The item whose deletion put this node in the trash (itself, or a folder above it).
    pub trash_root_id: Option<Uuid>,
    /// The current version's SHA-256 (files only): the ETag.
    pub sha256: Option<String>,
    /// The current version number (files only).
    pub version: Option<i32>,
}

pub const FOLDER: &str = "folder";
pub const FILE: &str = "file";

impl Model {
    pub fn is_folder(&self) -> bool {
        self.kind == FOLDER
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
