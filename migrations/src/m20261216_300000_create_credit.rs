//! Internal credit (监管风险信号): the event log an enterprise's score is computed
//! from, the stored scores for lists and filters, the runs of the recomputation,
//! and the adoptions of a rule version.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CreditEvents {
    Table,
    Id,
    EnterpriseId,
    Signal,
    OccurredOn,
    SourceType,
    SourceId,
    Detail,
    CreatedAt,
    ContestedAt,
    ContestedBy,
    ContestReason,
    ResolvedAt,
    ResolvedBy,
    Resolution,
    VoidedAt,
    VoidReason,
}

#[derive(DeriveIden)]
enum CreditScores {
    Table,
    EnterpriseId,
    ScoreCenti,
    ClassCode,
    RuleVersion,
    AsOf,
    Events,
    ComputedAt,
}

#[derive(DeriveIden)]
enum CreditRuns {
    Table,
    Id,
    Trigger,
    AsOf,
    RuleVersion,
    StartedAt,
    EventsAdded,
    EventsVoided,
    Enterprises,
    Changed,
    TookMs,
}

#[derive(DeriveIden)]
enum CreditAdoptions {
    Table,
    Id,
    Version,
    AdoptedBy,
    AdoptedAt,
    Note,
}

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
}

async fn create_events(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use CreditEvents as E;
    let table = Table::create()
        .table(E::Table)
        .col(big_pk_auto(E::Id))
        .col(big_integer(E::EnterpriseId))
        .col(string_len(E::Signal, 40))
        .col(date(E::OccurredOn))
        .col(string_len(E::SourceType, 40))
        .col(big_integer(E::SourceId))
        .col(string_len(E::Detail, 400))
        .col(timestamp_with_time_zone(E::CreatedAt))
        .col(timestamp_with_time_zone_null(E::ContestedAt))
        .col(big_integer_null(E::ContestedBy))
        .col(string_len_null(E::ContestReason, 1000))
        .col(timestamp_with_time_zone_null(E::ResolvedAt))
        .col(big_integer_null(E::ResolvedBy))
        .col(string_len_null(E::Resolution, 1000))
        .col(timestamp_with_time_zone_null(E::VoidedAt))
        .col(string_len_null(E::VoidReason, 1000))
        .foreign_key(ForeignKey::create().from(E::Table, E::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
        .to_owned();
    manager.create_table(table).await?;
    // One event per fact: a re-run of the collection adds nothing twice.
    let once = Index::create()
        .name("idx_credit_events_source")
        .table(E::Table)
        .col(E::Signal)
        .col(E::SourceType)
        .col(E::SourceId)
        .col(E::OccurredOn)
        .unique()
        .to_owned();
    manager.create_index(once).await?;
    let of = Index::create().name("idx_credit_events_enterprise").table(E::Table).col(E::EnterpriseId).to_owned();
    manager.create_index(of).await
}

async fn create_scores(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use CreditScores as S;
    let table = Table::create()
        .table(S::Table)
        .col(big_integer(S::EnterpriseId).primary_key())
        .col(big_integer(S::ScoreCenti))
        .col(string_len(S::ClassCode, 20))
        .col(string_len(S::RuleVersion, 40))
        .col(date(S::AsOf))
        .col(integer(S::Events))
        .col(timestamp_with_time_zone(S::ComputedAt))
        .foreign_key(ForeignKey::create().from(S::Table, S::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
        .to_owned();
    manager.create_table(table).await?;
    let by = Index::create().name("idx_credit_scores_score").table(S::Table).col(S::ScoreCenti).to_owned();
    manager.create_index(by).await
}

async fn create_runs(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use CreditRuns as R;
    let table = Table::create()
        .table(R::Table)
        .col(big_pk_auto(R::Id))
        .col(string_len(R::Trigger, 20))
        .col(date(R::AsOf))
        .col(string_len(R::RuleVersion, 40))
        .col(timestamp_with_time_zone(R::StartedAt))
        .col(big_integer(R::EventsAdded))
        .col(big_integer(R::EventsVoided))
        .col(big_integer(R::Enterprises))
        .col(big_integer(R::Changed))
        .col(big_integer(R::TookMs))
        .to_owned();
    manager.create_table(table).await?;
    let a = CreditAdoptions::Table;
    let table = Table::create()
        .table(a)
        .col(big_pk_auto(CreditAdoptions::Id))
        .col(string_len(CreditAdoptions::Version, 40))
        .col(big_integer(CreditAdoptions::AdoptedBy))
        .col(timestamp_with_time_zone(CreditAdoptions::AdoptedAt))
        .col(string_len(CreditAdoptions::Note, 1000))
        .to_owned();
    manager.create_table(table).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_events(manager).await?;
        create_scores(manager).await?;
        create_runs(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CreditAdoptions::Table.into_iden(),
            CreditRuns::Table.into_iden(),
            CreditScores::Table.into_iden(),
            CreditEvents::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
