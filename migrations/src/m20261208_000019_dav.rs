use sea_orm_migration::prelude::*;

/// WebDAV: locks (kept here so that every node of a cluster honours them) and dead
/// properties (what clients store on an item with PROPPATCH). Both belong to a node and go
/// with it when it is purged.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DavLocks {
    Table,
    Token,
    NodeId,
    UserId,
    Shared,
    Deep,
    OwnerXml,
    TimeoutAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DavProps {
    Table,
    NodeId,
    Namespace,
    Name,
    Value,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let locks = Table::create()
            .table(DavLocks::Table)
            .col(
                ColumnDef::new(DavLocks::Token)
                    .string()
                    .not_null()
                    .primary_key(),
            )
            .col(ColumnDef::new(DavLocks::NodeId).uuid().not_null())
            .col(ColumnDef::new(DavLocks::UserId).uuid().not_null())
            .col(ColumnDef::new(DavLocks::Shared).boolean().not_null())
            .col(ColumnDef::new(DavLocks::Deep).boolean().not_null())
            .col(ColumnDef::new(DavLocks::OwnerXml).text().null())
            .col(
                ColumnDef::new(DavLocks::TimeoutAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .col(
                ColumnDef::new(DavLocks::CreatedAt)
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(DavLocks::Table, DavLocks::NodeId)
                    .to(Nodes::Table, Nodes::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(DavLocks::Table, DavLocks::UserId)
                    .to(Users::Table, Users::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .to_owned();
        manager.create_table(locks).await?;
        let props = Table::create()
            .table(DavProps::Table)
            .col(ColumnDef::new(DavProps::NodeId).uuid().not_null())
            .col(ColumnDef::new(DavProps::Namespace).string().not_null())
            .col(ColumnDef::new(DavProps::Name).string().not_null())
            .col(ColumnDef::new(DavProps::Value).text().not_null())
            .primary_key(
                Index::create()
                    .col(DavProps::NodeId)
                    .col(DavProps::Namespace)
                    .col(DavProps::Name),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(DavProps::Table, DavProps::NodeId)
                    .to(Nodes::Table, Nodes::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .to_owned();
        manager.create_table(props).await?;
        manager
            .get_connection()
            .execute_unprepared("CREATE INDEX idx_dav_locks_node ON dav_locks (node_id)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DavProps::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(DavLocks::Table).to_owned())
            .await
    }
}
