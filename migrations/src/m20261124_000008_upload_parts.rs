use sea_orm_migration::prelude::*;

/// Uploads staged in S3: the object key and multipart upload id chosen at creation, the
/// parts stored so far (each with the SHA-256 state after it, so any node can continue the
/// upload after a restart), and the content's SHA-256 once complete.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Id,
    StorageKey,
    MultipartId,
    Sha256,
}

#[derive(DeriveIden)]
enum UploadParts {
    Table,
    UploadId,
    Number,
    Size,
    ETag,
    HashState,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Uploads::StorageKey, Uploads::MultipartId, Uploads::Sha256] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Uploads::Table)
                        .add_column(ColumnDef::new(column).string().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(UploadParts::Table)
                    .col(ColumnDef::new(UploadParts::UploadId).uuid().not_null())
                    .col(ColumnDef::new(UploadParts::Number).integer().not_null())
                    .col(ColumnDef::new(UploadParts::Size).big_integer().not_null())
                    .col(ColumnDef::new(UploadParts::ETag).string().not_null())
                    .col(ColumnDef::new(UploadParts::HashState).string().not_null())
                    .primary_key(
                        Index::create()
                            .col(UploadParts::UploadId)
                            .col(UploadParts::Number),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UploadParts::Table, UploadParts::UploadId)
                            .to(Uploads::Table, Uploads::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UploadParts::Table).to_owned())
            .await?;
        for column in [Uploads::Sha256, Uploads::MultipartId, Uploads::StorageKey] {
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
