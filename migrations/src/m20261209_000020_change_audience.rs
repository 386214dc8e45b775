use sea_orm_migration::prelude::*;

/// The change feed (`/api/v1/changes`) tells people of items they no longer see: the change
/// log keeps, beside the item, the folder a move took it out of and the person whose grant a
/// share changed (both empty for other changes).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Changes {
    Table,
    LeftParentId,
    GranteeId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column at a time: SQLite alters a table one change per statement.
        for column in [Changes::LeftParentId, Changes::GranteeId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Changes::Table)
                        .add_column(ColumnDef::new(column).uuid().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Changes::LeftParentId, Changes::GranteeId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Changes::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
