use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

use crate::m20261203_000014_running_totals::postgres_functions;

/// Three things that slowed down under load.
/// - A user's storage usage was one column of their account row, updated by every upload:
///   uploads of one person side by side waited for each other to commit. It is now the sum
///   of their rows in `user_usage`, where each PostgreSQL connection adds to a row of its own.
/// - The job queue picks the most urgent due job by priority (highest first), then by when it
///   became due (oldest first): an index in that order, so a claim reads one entry instead of
///   sorting every queued job (100,000 queued text extractions made each claim a sort).
/// - On PostgreSQL the running totals are spread over 64 rows instead of 8: each connection
///   holds its row until it commits, and 16 uploads at once on 8 rows waited for each other.
///   Existing rows keep counting (a total is the sum of its rows).
#[derive(DeriveMigrationName)]
pub struct Migration;

const SHARDS: u32 = 64;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let steps = [
            "CREATE TABLE user_usage (user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE, \
               shard integer NOT NULL, bytes bigint NOT NULL, PRIMARY KEY (user_id, shard))",
            "INSERT INTO user_usage (user_id, shard, bytes) SELECT id, 0, used_bytes FROM users",
            "DROP INDEX idx_users_used",
            "ALTER TABLE users DROP COLUMN used_bytes",
            "CREATE INDEX jobs_due ON jobs (state, priority DESC, run_after)",
            "DROP INDEX jobs_ready",
        ];
        run(manager, &steps, SHARDS).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let steps = [
            "ALTER TABLE users ADD COLUMN used_bytes bigint NOT NULL DEFAULT 0",
            "UPDATE users SET used_bytes = COALESCE((SELECT SUM(bytes) FROM user_usage \
               WHERE user_usage.user_id = users.id), 0)",
            "CREATE INDEX idx_users_used ON users (used_bytes)",
            "DROP TABLE user_usage",
            "CREATE INDEX jobs_ready ON jobs (state, priority, run_after)",
            "DROP INDEX jobs_due",
        ];
        run(manager, &steps, 8).await
    }
}

/// The statements in order, then (PostgreSQL) the totals' functions over `shards` rows.
async fn run(manager: &SchemaManager<'_>, steps: &[&str], shards: u32) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for statement in steps {
        db.execute_unprepared(statement).await?;
    }
    if manager.get_database_backend() == DatabaseBackend::Postgres {
        for function in postgres_functions(shards) {
            let replace = function.replacen("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1);
            db.execute_unprepared(&replace).await?;
        }
    }
    Ok(())
}
