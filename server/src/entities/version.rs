use sea_orm::entity::prelude::*;

/// One version of a file: version `number` of `node_id` is blob `blob_id`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub node_id: Uuid,
    pub number: i32,
    pub blob_id: Uuid,
    pub size: i64,
    pub author_id: Option<Uuid>,
    /// The public link that wrote it (then `author_id` is None).
    pub link_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
