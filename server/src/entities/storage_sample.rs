use sea_orm::entity::prelude::*;

/// The deployment's storage on one day (UTC), for the admin dashboard's charts.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "storage_samples")]
pub struct Model {
    /// `YYYY-MM-DD`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    pub logical_bytes: i64,
    pub stored_bytes: i64,
    pub files: i64,
    /// Versions written that day, and their bytes.
    pub uploads: i64,
    pub uploaded_bytes: i64,
    pub taken_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
