use sea_orm_migration::prelude::*;

/// Uploads learn the file's modification time (from the client) and whether they are a
/// partial upload, to be joined with others by a final one (tus concatenation).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Mtime,
    Partial,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Uploads::Table)
                    .add_column(
                        ColumnDef::new(Uploads::Mtime)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Uploads::Table)
                    .add_column(
                        ColumnDef::new(Uploads::Partial)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Uploads::Partial, Uploads::Mtime] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Uploads::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
