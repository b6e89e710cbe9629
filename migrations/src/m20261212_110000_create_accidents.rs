//! The accident register (生产安全事故): the figures, the legal grade computed from
//! them, and when the enterprise reported it to the bureau.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accidents {
    Table,
    Id,
    BureauId,
    EnterpriseId,
    OperatorName,
    OccurredAt,
    AccidentType,
    Place,
    Summary,
    Deaths,
    Missing,
    SeriousInjuries,
    DirectLossYuan,
    Grade,
    ReportedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
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
        use Accidents as A;
        let table = Table::create()
            .table(A::Table)
            .col(big_pk_auto(A::Id))
            .col(big_integer(A::BureauId))
            .col(big_integer_null(A::EnterpriseId))
            .col(string_len_null(A::OperatorName, 200))
            .col(timestamp_with_time_zone(A::OccurredAt))
            .col(string_len(A::AccidentType, 40))
            .col(string_len(A::Place, 500))
            .col(text(A::Summary))
            .col(integer(A::Deaths))
            .col(integer(A::Missing))
            .col(integer(A::SeriousInjuries))
            .col(big_integer(A::DirectLossYuan))
            .col(string_len(A::Grade, 40))
            .col(timestamp_with_time_zone_null(A::ReportedAt))
            .col(big_integer(A::CreatedBy))
            .col(timestamp_with_time_zone(A::CreatedAt))
            .col(timestamp_with_time_zone(A::UpdatedAt))
            .foreign_key(ForeignKey::create().from(A::Table, A::BureauId).to(Bureaus::Table, Bureaus::Id))
            .foreign_key(ForeignKey::create().from(A::Table, A::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
            .to_owned();
        manager.create_table(table).await?;
        let by = Index::create()
            .name("idx_accidents_bureau_occurred")
            .table(A::Table)
            .col(A::BureauId)
            .col(A::OccurredAt)
            .to_owned();
        manager.create_index(by).await?;
        let of = Index::create().name("idx_accidents_enterprise").table(A::Table).col(A::EnterpriseId).to_owned();
        manager.create_index(of).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Accidents::Table).to_owned()).await
    }
}
