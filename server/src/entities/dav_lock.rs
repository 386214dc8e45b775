use sea_orm::entity::prelude::*;

/// A WebDAV lock on a node (and, when deep, on everything below it), until `timeout_at`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dav_locks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token: String,
    pub node_id: Uuid,
    /// Who took it: only they can use its token.
    pub user_id: Uuid,
    pub shared: bool,
    pub deep: bool,
    /// The client's `<D:owner>` element, as sent.
    pub owner_xml: Option<String>,
    pub timeout_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
