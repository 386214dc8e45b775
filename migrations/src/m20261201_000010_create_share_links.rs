use sea_orm_migration::prelude::*;

/// Public links to a file or folder: a random token, a role (viewer, uploader, editor), an
/// optional password (argon2), expiry and download limit. A revoked link keeps its row, so that
/// its page can say it is no longer available.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ShareLinks {
    Table,
    Id,
    NodeId,
    Token,
    Role,
    PasswordHash,
    ExpiresAt,
    MaxDownloads,
    Downloads,
    CreatedBy,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Nodes {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ShareLinks::Table)
                    .col(
                        ColumnDef::new(ShareLinks::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ShareLinks::NodeId).uuid().not_null())
                    .col(
                        ColumnDef::new(ShareLinks::Token)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(ShareLinks::Role).string().not_null())
                    .col(ColumnDef::new(ShareLinks::PasswordHash).string().null())
                    .col(
                        ColumnDef::new(ShareLinks::ExpiresAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ShareLinks::MaxDownloads)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ShareLinks::Downloads)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ColumnDef::new(ShareLinks::CreatedBy).uuid().not_null())
                    .col(
                        ColumnDef::new(ShareLinks::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ShareLinks::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ShareLinks::Table, ShareLinks::NodeId)
                            .to(Nodes::Table, Nodes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("share_links_node")
                    .table(ShareLinks::Table)
                    .col(ShareLinks::NodeId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ShareLinks::Table).to_owned())
            .await
    }
}
