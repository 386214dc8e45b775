use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

/// Stars (a person's marked files and folders), Recent (what a person opened in the browser
/// lately: once an hour at most per file; what they changed comes from the activity log), and
/// natural order of names: on PostgreSQL an ICU collation `gosync_natural` (numbers by value,
/// case and accents aside; plain byte order where ICU is missing), on SQLite a collation of the
/// same name that the server registers on each connection.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Stars {
    Table,
    UserId,
    NodeId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Opens {
    Table,
    UserId,
    NodeId,
    OpenedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Nodes {
    Table,
    Id,
}

fn by_user_and_node(
    table: impl IntoIden + Copy + 'static,
    user: impl IntoIden + Copy + 'static,
    node: impl IntoIden + Copy + 'static,
    at: impl IntoIden + 'static,
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(ColumnDef::new(user).uuid().not_null())
        .col(ColumnDef::new(node).uuid().not_null())
        .col(ColumnDef::new(at).timestamp_with_time_zone().not_null())
        .primary_key(Index::create().col(user).col(node))
        .foreign_key(
            ForeignKey::create()
                .from(table, user)
                .to(Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(table, node)
                .to(Nodes::Table, Nodes::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let stars = by_user_and_node(Stars::Table, Stars::UserId, Stars::NodeId, Stars::CreatedAt);
        manager.create_table(stars).await?;
        let opens = by_user_and_node(Opens::Table, Opens::UserId, Opens::NodeId, Opens::OpenedAt);
        manager.create_table(opens).await?;
        let db = manager.get_connection();
        db.execute_unprepared("CREATE INDEX idx_stars_node ON stars (node_id)")
            .await?;
        db.execute_unprepared("CREATE INDEX idx_opens_recent ON opens (user_id, opened_at)")
            .await?;
        db.execute_unprepared("CREATE INDEX idx_opens_node ON opens (node_id)")
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(
                "DO $$ BEGIN \
                   CREATE COLLATION IF NOT EXISTS gosync_natural \
                     (provider = icu, locale = 'und-u-kn-true-ks-level1', deterministic = false); \
                 EXCEPTION WHEN OTHERS THEN \
                   CREATE COLLATION IF NOT EXISTS gosync_natural FROM \"C\"; \
                 END $$",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP COLLATION IF EXISTS gosync_natural")
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Opens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Stars::Table).to_owned())
            .await
    }
}
