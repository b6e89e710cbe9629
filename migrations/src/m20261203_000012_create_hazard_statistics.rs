//! The enterprises' quarterly and annual hazard statistics (隐患排查治理情况
//! 统计分析, 16号令 art. 14): one report per enterprise and period, generated
//! from the ledger, confirmed by the principal, submitted to the bureau.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HazardStatistics {
    Table,
    Id,
    EnterpriseId,
    BureauId,
    Period,
    Kind,
    PeriodStart,
    PeriodEnd,
    DueOn,
    FoundGeneral,
    FoundMajor,
    RectifiedGeneral,
    RectifiedMajor,
    RectifyingGeneral,
    RectifyingMajor,
    OverdueGeneral,
    OverdueMajor,
    FoundRectified,
    FundsFen,
    ByCategory,
    Analysis,
    Status,
    GeneratedAt,
    ConfirmedBy,
    ConfirmedAt,
    SubmittedBy,
    SubmittedAt,
    FirstSubmittedAt,
    Late,
    ReturnReason,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Bureaus {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use HazardStatistics as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(big_pk_auto(S::Id))
                    .col(big_integer(S::EnterpriseId))
                    .col(big_integer(S::BureauId))
                    .col(string(S::Period))
                    .col(string(S::Kind))
                    .col(date(S::PeriodStart))
                    .col(date(S::PeriodEnd))
                    .col(date(S::DueOn))
                    .col(big_integer(S::FoundGeneral))
                    .col(big_integer(S::FoundMajor))
                    .col(big_integer(S::RectifiedGeneral))
                    .col(big_integer(S::RectifiedMajor))
                    .col(big_integer(S::RectifyingGeneral))
                    .col(big_integer(S::RectifyingMajor))
                    .col(big_integer(S::OverdueGeneral))
                    .col(big_integer(S::OverdueMajor))
                    .col(big_integer(S::FoundRectified))
                    .col(big_integer(S::FundsFen))
                    .col(text(S::ByCategory))
                    .col(text_null(S::Analysis))
                    .col(string(S::Status))
                    .col(timestamp_with_time_zone(S::GeneratedAt))
                    .col(big_integer_null(S::ConfirmedBy))
                    .col(timestamp_with_time_zone_null(S::ConfirmedAt))
                    .col(big_integer_null(S::SubmittedBy))
                    .col(timestamp_with_time_zone_null(S::SubmittedAt))
                    .col(timestamp_with_time_zone_null(S::FirstSubmittedAt))
                    .col(boolean_null(S::Late))
                    .col(text_null(S::ReturnReason))
                    .col(timestamp_with_time_zone(S::CreatedAt))
                    .col(timestamp_with_time_zone(S::UpdatedAt))
                    .col(integer(S::Version))
                    .foreign_key(
                        ForeignKey::create().from(S::Table, S::EnterpriseId).to(Enterprises::Table, Enterprises::Id),
                    )
                    .foreign_key(ForeignKey::create().from(S::Table, S::BureauId).to(Bureaus::Table, Bureaus::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_hazard_statistics_enterprise_period")
                    .table(S::Table)
                    .col(S::EnterpriseId)
                    .col(S::Period)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_hazard_statistics_period_bureau")
                    .table(S::Table)
                    .col(S::Period)
                    .col(S::BureauId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(HazardStatistics::Table).to_owned()).await
    }
}
