use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

/// Browser sessions in a table of the server's own (they were in tables the session
/// library made for itself at start, in a second SQL library). Sessions from before are not
/// carried over: people sign in again once.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(Sessions::Table)
            .col(
                ColumnDef::new(Sessions::Id)
                    .string()
                    .not_null()
                    .primary_key(),
            )
            .col(ColumnDef::new(Sessions::Data).text().not_null())
            .col(
                ColumnDef::new(Sessions::ExpiresAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .to_owned();
        manager.create_table(table).await?;
        let db = manager.get_connection();
        db.execute_unprepared("CREATE INDEX idx_sessions_expires ON sessions (expires_at)")
            .await?;
        let old = match manager.get_database_backend() {
            DatabaseBackend::Postgres => "DROP SCHEMA IF EXISTS tower_sessions CASCADE",
            _ => "DROP TABLE IF EXISTS tower_sessions",
        };
        db.execute_unprepared(old).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Sessions::Table).to_owned())
            .await
    }
}
