use sea_orm::entity::prelude::*;

/// One change: who (`actor_id`), to what (`node_id`), which `action`, when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    /// The public link that acted (then `actor_id` is None).
    pub link_id: Option<Uuid>,
    pub node_id: Option<Uuid>,
    pub action: String,
    /// A short JSON object: names, from/to folders.
    pub detail: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
