use sea_orm::entity::prelude::*;

/// One piece of derived work: `kind` on `subject` (a blob's SHA-256 for previews).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub subject: String,
    /// What the worker needs besides the subject, as JSON.
    pub payload: String,
    /// Higher runs first.
    pub priority: i32,
    /// `queued`, `running`, `done`, `failed` (cannot be done) or `dead` (gave up retrying).
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_after: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    pub worker: Option<String>,
    /// Why the last attempt failed, for people.
    pub error: Option<String>,
    /// What the job made, as JSON.
    pub result: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
