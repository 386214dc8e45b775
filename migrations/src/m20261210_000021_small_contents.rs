use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

/// Small contents (up to 64 KiB) are kept in the database, in `blob_bytes`, under the
/// storage key their blob names: no file (or S3 object) and no fsync of their own, one
/// write-ahead-log flush for a whole group commit. On PostgreSQL, a change to an account
/// is announced (`NOTIFY gosync_accounts`) so that every node forgets what it kept of it.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BlobBytes {
    Table,
    StorageKey,
    Data,
}

const NOTIFY_FUNCTION: &str =
    "CREATE OR REPLACE FUNCTION gosync_account_changed() RETURNS trigger \
     LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('gosync_accounts', OLD.id::text); \
     RETURN NULL; END $$";
const NOTIFY_TRIGGER: &str = "CREATE TRIGGER account_changed AFTER UPDATE OR DELETE ON users \
     FOR EACH ROW EXECUTE FUNCTION gosync_account_changed()";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BlobBytes::Table)
                    .col(
                        ColumnDef::new(BlobBytes::StorageKey)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(BlobBytes::Data).blob().not_null())
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            // A row of a few KiB stays in its table page as it is: no compression (contents
            // are often compressed already) and no TOAST table of its own to write as well.
            db.execute_unprepared(
                "ALTER TABLE blob_bytes ALTER COLUMN data SET STORAGE EXTERNAL, \
                 SET (toast_tuple_target = 8160)",
            )
            .await?;
            db.execute_unprepared(NOTIFY_FUNCTION).await?;
            db.execute_unprepared(NOTIFY_TRIGGER).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared("DROP TRIGGER IF EXISTS account_changed ON users")
                .await?;
            db.execute_unprepared("DROP FUNCTION IF EXISTS gosync_account_changed()")
                .await?;
        }
        manager
            .drop_table(Table::drop().table(BlobBytes::Table).to_owned())
            .await
    }
}
