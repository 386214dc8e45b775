use sea_orm_migration::prelude::*;

/// The namespace: folders and files in a tree, one root folder per user. A name is unique
/// among its live (not trashed) siblings, enforced by a partial unique index.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Nodes {
    Table,
    Id,
    OwnerId,
    ParentId,
    Name,
    Kind,
    Size,
    Mime,
    CreatedAt,
    ModifiedAt,
    TrashedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Nodes::Table)
                    .col(ColumnDef::new(Nodes::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Nodes::OwnerId).uuid().not_null())
                    .col(ColumnDef::new(Nodes::ParentId).uuid().null())
                    .col(ColumnDef::new(Nodes::Name).string_len(1024).not_null())
                    .col(ColumnDef::new(Nodes::Kind).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Nodes::Size)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ColumnDef::new(Nodes::Mime).string_len(255).null())
                    .col(
                        ColumnDef::new(Nodes::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Nodes::ModifiedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Nodes::TrashedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Nodes::Table, Nodes::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Nodes::Table, Nodes::ParentId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // Partial indexes: the same SQL on PostgreSQL and SQLite.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX idx_nodes_live_sibling_name ON nodes (parent_id, name) \
             WHERE trashed_at IS NULL AND parent_id IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX idx_nodes_one_root_per_owner ON nodes (owner_id) WHERE parent_id IS NULL",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_nodes_parent ON nodes (parent_id, kind)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Nodes::Table).to_owned())
            .await
    }
}
