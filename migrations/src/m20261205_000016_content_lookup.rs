use sea_orm_migration::prelude::*;

/// Files found by their content: when a file's text has been extracted, the indexer is told
/// about every live file with that content, and with no index that read every node (100,000
/// waiting extractions each scanned the whole table).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("CREATE INDEX idx_nodes_sha256 ON nodes (sha256)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX idx_nodes_sha256")
            .await?;
        Ok(())
    }
}
