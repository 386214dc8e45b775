use sea_orm_migration::prelude::*;

/// Grants: a file or folder shared with another user as viewer, editor or manager (the grant
/// holds for everything below a shared folder). One grant per person and item.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Shares {
    Table,
    Id,
    NodeId,
    GranteeId,
    Role,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Nodes {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Shares::Table)
                    .col(ColumnDef::new(Shares::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Shares::NodeId).uuid().not_null())
                    .col(ColumnDef::new(Shares::GranteeId).uuid().not_null())
                    .col(ColumnDef::new(Shares::Role).string().not_null())
                    .col(ColumnDef::new(Shares::CreatedBy).uuid().not_null())
                    .col(
                        ColumnDef::new(Shares::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Shares::Table, Shares::NodeId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Shares::Table, Shares::GranteeId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("shares_node_grantee")
                    .table(Shares::Table)
                    .col(Shares::NodeId)
                    .col(Shares::GranteeId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("shares_grantee")
                    .table(Shares::Table)
                    .col(Shares::GranteeId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Shares::Table).to_owned())
            .await
    }
}
