//! The indicator cockpit's computed figures (`indicator_values`): per indicator,
//! year, month (1–12, the year to the month's end or to the day of computation),
//! county region and sector, the numerator and denominator; and each computation's
//! run (`indicator_runs`: the year, the region computed — empty for all — and when),
//! which gives the page its as-of time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum IndicatorValues {
    Table,
    Id,
    Year,
    Month,
    Code,
    RegionCode,
    Sector,
    Numerator,
    Denominator,
}

#[derive(DeriveIden)]
enum IndicatorRuns {
    Table,
    Id,
    Year,
    Region,
    Rows,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use IndicatorRuns as R;
        use IndicatorValues as V;
        manager
            .create_table(
                Table::create()
                    .table(V::Table)
                    .col(big_pk_auto(V::Id))
                    .col(integer(V::Year))
                    .col(integer(V::Month))
                    .col(string_len(V::Code, 60))
                    .col(string_len(V::RegionCode, 6))
                    .col(string_len(V::Sector, 40))
                    .col(big_integer(V::Numerator))
                    .col(big_integer(V::Denominator))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_indicator_values_key")
                    .table(V::Table)
                    .col(V::Year)
                    .col(V::Code)
                    .col(V::Month)
                    .col(V::RegionCode)
                    .col(V::Sector)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_indicator_values_region")
                    .table(V::Table)
                    .col(V::Year)
                    .col(V::RegionCode)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(big_pk_auto(R::Id))
                    .col(integer(R::Year))
                    .col(string_len(R::Region, 6))
                    .col(big_integer(R::Rows))
                    .col(timestamp_with_time_zone(R::StartedAt))
                    .col(timestamp_with_time_zone(R::FinishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_indicator_runs_year").table(R::Table).col(R::Year).col(R::Region).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(IndicatorRuns::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(IndicatorValues::Table).to_owned()).await
    }
}
