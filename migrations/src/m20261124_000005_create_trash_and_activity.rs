use sea_orm_migration::prelude::*;

/// Trash: every node trashed together shares `trash_root_id` (the item the person deleted),
/// so a folder comes back whole. Activity: who changed what, when.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Nodes {
    Table,
    TrashRootId,
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    Id,
    ActorId,
    NodeId,
    Action,
    Detail,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Nodes::Table)
                    .add_column(ColumnDef::new(Nodes::TrashRootId).uuid().null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("CREATE INDEX idx_nodes_trash_root ON nodes (trash_root_id)")
            .await?;
        db.execute_unprepared(
            "CREATE INDEX idx_nodes_owner_trashed ON nodes (owner_id, trashed_at)",
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Activity::Table)
                    .col(ColumnDef::new(Activity::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Activity::ActorId).uuid().null())
                    .col(ColumnDef::new(Activity::NodeId).uuid().null())
                    .col(ColumnDef::new(Activity::Action).string_len(32).not_null())
                    .col(ColumnDef::new(Activity::Detail).text().null())
                    .col(
                        ColumnDef::new(Activity::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("CREATE INDEX idx_activity_created ON activity (created_at)")
            .await?;
        db.execute_unprepared("CREATE INDEX idx_activity_actor ON activity (actor_id, created_at)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Activity::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Nodes::Table)
                    .drop_column(Nodes::TrashRootId)
                    .to_owned(),
            )
            .await
    }
}
