use sea_orm_migration::prelude::*;

/// What administrators need: invitations (an account made by an admin, whose person picks
/// a password through a one-time link), a session generation per user (raised when an admin
/// disables the account or resets its password: every browser session signed in before it
/// ends), and a daily sample of the deployment's storage for the dashboard's charts.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    SessionGeneration,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum StorageSamples {
    Table,
    Day,
    LogicalBytes,
    StoredBytes,
    Files,
    Uploads,
    UploadedBytes,
    TakenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::SessionGeneration)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(
                        ColumnDef::new(Invitations::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Invitations::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(Invitations::TokenHash)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Invitations::CreatedBy).uuid().null())
                    .col(
                        ColumnDef::new(Invitations::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Invitations::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("invitations_user")
                    .table(Invitations::Table)
                    .col(Invitations::UserId)
                    .to_owned(),
            )
            .await?;
        let bytes = |c: StorageSamples| ColumnDef::new(c).big_integer().not_null().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(StorageSamples::Table)
                    // The day as YYYY-MM-DD (UTC): sorts as text on every database.
                    .col(
                        ColumnDef::new(StorageSamples::Day)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(bytes(StorageSamples::LogicalBytes))
                    .col(bytes(StorageSamples::StoredBytes))
                    .col(bytes(StorageSamples::Files))
                    .col(bytes(StorageSamples::Uploads))
                    .col(bytes(StorageSamples::UploadedBytes))
                    .col(
                        ColumnDef::new(StorageSamples::TakenAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StorageSamples::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Invitations::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::SessionGeneration)
                    .to_owned(),
            )
            .await
    }
}
