//! Bulletins (通报): an internal bulletin per bureau and period, reviewed by a
//! regulator who may publish selected items on the public page.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Bulletins {
    Table,
    Id,
    BureauId,
    PeriodStart,
    PeriodEnd,
    Status,
    Content,
    CreatedAt,
    PublishedAt,
    PublishedBy,
    Version,
}

#[derive(DeriveIden)]
enum BulletinPublications {
    Table,
    Id,
    BulletinId,
    HazardId,
    Summary,
}

#[derive(DeriveIden)]
enum Bureaus {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Bulletins::Table)
                    .col(big_pk_auto(Bulletins::Id))
                    .col(big_integer(Bulletins::BureauId))
                    .col(date(Bulletins::PeriodStart))
                    .col(date(Bulletins::PeriodEnd))
                    .col(string(Bulletins::Status))
                    .col(text(Bulletins::Content))
                    .col(timestamp_with_time_zone(Bulletins::CreatedAt))
                    .col(timestamp_with_time_zone_null(Bulletins::PublishedAt))
                    .col(big_integer_null(Bulletins::PublishedBy))
                    .col(integer(Bulletins::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bulletins::Table, Bulletins::BureauId)
                            .to(Bureaus::Table, Bureaus::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bulletins_bureau_period")
                    .table(Bulletins::Table)
                    .col(Bulletins::BureauId)
                    .col(Bulletins::PeriodStart)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BulletinPublications::Table)
                    .col(big_pk_auto(BulletinPublications::Id))
                    .col(big_integer(BulletinPublications::BulletinId))
                    .col(big_integer(BulletinPublications::HazardId))
                    .col(text(BulletinPublications::Summary))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BulletinPublications::Table, BulletinPublications::BulletinId)
                            .to(Bulletins::Table, Bulletins::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bulletin_publications_item")
                    .table(BulletinPublications::Table)
                    .col(BulletinPublications::HazardId)
                    .col(BulletinPublications::BulletinId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(BulletinPublications::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Bulletins::Table).to_owned()).await
    }
}
