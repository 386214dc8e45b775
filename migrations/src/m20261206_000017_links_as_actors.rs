use sea_orm_migration::prelude::*;

/// Links act as themselves: a link has a label (the owner's words), what it uploads is
/// recorded against the link (uploads, versions, activity) and never as the owner, and its
/// download limit counts the bytes served (`served_units`: millionths of a download). An
/// upload knows who pays for its staged bytes (`payer_id`), so open uploads count against the
/// quota. PDF pages rendered on demand are remembered with their last use, so that pages no
/// one looked at for a while are dropped.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ShareLinks {
    Table,
    Label,
    ServedUnits,
}

#[derive(DeriveIden)]
enum Uploads {
    Table,
    LinkId,
    PayerId,
}

#[derive(DeriveIden)]
enum Versions {
    Table,
    LinkId,
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    LinkId,
}

#[derive(DeriveIden)]
enum PageRenders {
    Table,
    Sha256,
    Page,
    UsedAt,
}

fn add(table: impl IntoIden + 'static, column: &mut ColumnDef) -> TableAlterStatement {
    Table::alter().table(table).add_column(column).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        let changes = [
            add(
                ShareLinks::Table,
                ColumnDef::new(ShareLinks::Label).string().null(),
            ),
            add(
                ShareLinks::Table,
                ColumnDef::new(ShareLinks::ServedUnits)
                    .big_integer()
                    .not_null()
                    .default(0),
            ),
            add(
                Uploads::Table,
                ColumnDef::new(Uploads::LinkId).uuid().null(),
            ),
            add(
                Uploads::Table,
                ColumnDef::new(Uploads::PayerId).uuid().null(),
            ),
            add(
                Versions::Table,
                ColumnDef::new(Versions::LinkId).uuid().null(),
            ),
            add(
                Activity::Table,
                ColumnDef::new(Activity::LinkId).uuid().null(),
            ),
        ];
        for change in changes {
            manager.alter_table(change).await?;
        }
        let db = manager.get_connection();
        // Downloads counted before bytes were: each was a whole one.
        db.execute_unprepared("UPDATE share_links SET served_units = downloads * 1000000")
            .await?;
        db.execute_unprepared(
            "UPDATE uploads SET payer_id = (SELECT n.owner_id FROM nodes n WHERE n.id = uploads.parent_id)",
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_uploads_payer")
                    .table(Uploads::Table)
                    .col(Uploads::PayerId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_uploads_link")
                    .table(Uploads::Table)
                    .col(Uploads::LinkId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PageRenders::Table)
                    .col(ColumnDef::new(PageRenders::Sha256).string().not_null())
                    .col(ColumnDef::new(PageRenders::Page).integer().not_null())
                    .col(
                        ColumnDef::new(PageRenders::UsedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(PageRenders::Sha256)
                            .col(PageRenders::Page),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_page_renders_used")
                    .table(PageRenders::Table)
                    .col(PageRenders::UsedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PageRenders::Table).to_owned())
            .await?;
        for index in ["idx_uploads_payer", "idx_uploads_link"] {
            manager
                .drop_index(Index::drop().name(index).table(Uploads::Table).to_owned())
                .await?;
        }
        let drops: [(DynIden, DynIden); 6] = [
            (Activity::Table.into_iden(), Activity::LinkId.into_iden()),
            (Versions::Table.into_iden(), Versions::LinkId.into_iden()),
            (Uploads::Table.into_iden(), Uploads::PayerId.into_iden()),
            (Uploads::Table.into_iden(), Uploads::LinkId.into_iden()),
            (
                ShareLinks::Table.into_iden(),
                ShareLinks::ServedUnits.into_iden(),
            ),
            (ShareLinks::Table.into_iden(), ShareLinks::Label.into_iden()),
        ];
        for (table, column) in drops {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
