use sea_orm_migration::prelude::*;

/// The change log the search index follows: one row per change to a node (created, new
/// content, renamed, moved, trashed, restored, purged, its text extracted), numbered in the
/// order the rows were written. Each server's index remembers the last number it applied, so it
/// catches up after a restart and every node of a cluster keeps its own copy in step.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Changes {
    Table,
    Id,
    NodeId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Changes::Table)
                    .col(
                        ColumnDef::new(Changes::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Changes::NodeId).uuid().not_null())
                    .col(
                        ColumnDef::new(Changes::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Changes::Table).to_owned())
            .await
    }
}
