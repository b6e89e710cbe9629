//! The annual supervision and inspection plan (年度监督检查计划), issue 12 item 1:
//! one row per revision of a bureau's plan for a year. The first revision is the
//! plan; a revision of an approved plan is a new row naming it (`revises_id`) with
//! its reason; when approved it supersedes the one it revises. Nothing is deleted.
//! `approved_slot` (`"<bureau>:<year>"`, set only while approved) is unique, so a
//! bureau has at most one approved plan per year on both backends.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AnnualPlans {
    Table,
    Id,
    BureauId,
    Year,
    Revision,
    RevisesId,
    Status,
    ApprovedSlot,
    Inspectors,
    AvailableDays,
    ReservePercent,
    DaysPerInspection,
    KeyEnterpriseIds,
    RandomTargets,
    Monthly,
    Notes,
    Reason,
    ReturnedReason,
    CreatedBy,
    CreatedAt,
    SubmittedBy,
    SubmittedAt,
    ApprovedBy,
    ApprovedAt,
    GovernmentApprovedOn,
    GovernmentDocument,
    FiledOn,
    SupersededAt,
    Version,
    UpdatedAt,
}

fn plans() -> TableCreateStatement {
    use AnnualPlans as P;
    Table::create()
        .table(P::Table)
        .col(big_pk_auto(P::Id))
        .col(big_integer(P::BureauId))
        .col(integer(P::Year))
        .col(integer(P::Revision))
        .col(big_integer_null(P::RevisesId))
        .col(string_len(P::Status, 20))
        .col(string_len_null(P::ApprovedSlot, 40))
        .col(integer(P::Inspectors))
        .col(integer(P::AvailableDays))
        .col(integer(P::ReservePercent))
        .col(double(P::DaysPerInspection))
        .col(text(P::KeyEnterpriseIds))
        .col(text(P::RandomTargets))
        .col(text(P::Monthly))
        .col(text_null(P::Notes))
        .col(text_null(P::Reason))
        .col(text_null(P::ReturnedReason))
        .col(big_integer(P::CreatedBy))
        .col(timestamp_with_time_zone(P::CreatedAt))
        .col(big_integer_null(P::SubmittedBy))
        .col(timestamp_with_time_zone_null(P::SubmittedAt))
        .col(big_integer_null(P::ApprovedBy))
        .col(timestamp_with_time_zone_null(P::ApprovedAt))
        .col(date_null(P::GovernmentApprovedOn))
        .col(string_len_null(P::GovernmentDocument, 200))
        .col(date_null(P::FiledOn))
        .col(timestamp_with_time_zone_null(P::SupersededAt))
        .col(integer(P::Version))
        .col(timestamp_with_time_zone(P::UpdatedAt))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use AnnualPlans as P;
        manager.create_table(plans()).await?;
        let by = Index::create()
            .name("idx_annual_plans_bureau_year")
            .table(P::Table)
            .col(P::BureauId)
            .col(P::Year)
            .col(P::Revision)
            .unique()
            .to_owned();
        manager.create_index(by).await?;
        let slot =
            Index::create().name("idx_annual_plans_approved").table(P::Table).col(P::ApprovedSlot).unique().to_owned();
        manager.create_index(slot).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AnnualPlans::Table).to_owned()).await
    }
}
