use sea_orm::entity::prelude::*;

/// One change to a node, numbered in writing order: the search index applies it, live updates
/// and the change feed tell people of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub node_id: Uuid,
    pub created_at: DateTimeUtc,
    /// A move: the folder it left (whoever sees that folder hears that it went).
    pub left_parent_id: Option<Uuid>,
    /// A share made, changed or taken away: the person whose right changed.
    pub grantee_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
