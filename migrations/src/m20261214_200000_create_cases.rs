//! Penalty cases (行政处罚案件): the case, its parties (units and persons), the
//! violations with their fines, every step taken (who, when, with what), and the
//! numbered documents. Document numbers count in `inspection_document_numbers`
//! per (bureau, kind, year), like the inspections' 执法文书.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    BureauId,
    EnterpriseId,
    InspectionId,
    HazardIds,
    Procedure,
    Status,
    Facts,
    Complex,
    HandlerId,
    CoHandlerId,
    FiledBy,
    FiledOn,
    TimeLimitDays,
    HearingRight,
    HearingOfficerId,
    NotifiedOn,
    StatementUntil,
    ReviewerId,
    Discussed,
    Decision,
    DecidedBy,
    DecidedOn,
    FineTotalYuan,
    ServedOn,
    PaymentDue,
    PaidYuan,
    PaidOn,
    ClosedOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum CaseParties {
    Table,
    Id,
    CaseId,
    Position,
    Kind,
    EnterpriseId,
    Name,
    IdNumber,
    Role,
}

#[derive(DeriveIden)]
enum CaseViolations {
    Table,
    Id,
    CaseId,
    Position,
    PartyPosition,
    CatalogueCode,
    Stage,
    Act,
    StepCode,
    FineYuan,
    AnnualIncomeYuan,
    Reason,
    Mitigation,
    OutsideStep,
}

#[derive(DeriveIden)]
enum CaseSteps {
    Table,
    Id,
    CaseId,
    Step,
    ActorId,
    At,
    FromStatus,
    ToStatus,
    Body,
}

#[derive(DeriveIden)]
enum CaseDocuments {
    Table,
    Id,
    CaseId,
    StepId,
    Kind,
    BureauId,
    Year,
    Seq,
    Number,
    IssuedAt,
}

#[derive(DeriveIden)]
enum Bureaus {
    Table,
    Id,
}

fn case_fk(from: impl IntoTableRef, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from, col).to(Cases::Table, Cases::Id).to_owned()
}

async fn create_cases(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use Cases as C;
    let table = Table::create()
        .table(C::Table)
        .col(big_pk_auto(C::Id))
        .col(big_integer(C::BureauId))
        .col(big_integer_null(C::EnterpriseId))
        .col(big_integer_null(C::InspectionId))
        .col(string_len(C::HazardIds, 400))
        .col(string_len(C::Procedure, 10))
        .col(string_len(C::Status, 24))
        .col(text(C::Facts))
        .col(boolean(C::Complex))
        .col(big_integer(C::HandlerId))
        .col(big_integer_null(C::CoHandlerId))
        .col(big_integer_null(C::FiledBy))
        .col(date_null(C::FiledOn))
        .col(integer(C::TimeLimitDays))
        .col(boolean(C::HearingRight))
        .col(big_integer_null(C::HearingOfficerId))
        .col(date_null(C::NotifiedOn))
        .col(date_null(C::StatementUntil))
        .col(big_integer_null(C::ReviewerId))
        .col(boolean(C::Discussed))
        .col(string_len_null(C::Decision, 20))
        .col(big_integer_null(C::DecidedBy))
        .col(date_null(C::DecidedOn))
        .col(big_integer(C::FineTotalYuan))
        .col(date_null(C::ServedOn))
        .col(date_null(C::PaymentDue))
        .col(big_integer(C::PaidYuan))
        .col(date_null(C::PaidOn))
        .col(date_null(C::ClosedOn))
        .col(big_integer(C::CreatedBy))
        .col(timestamp_with_time_zone(C::CreatedAt))
        .col(timestamp_with_time_zone(C::UpdatedAt))
        .col(integer(C::Version))
        .foreign_key(ForeignKey::create().from(C::Table, C::BureauId).to(Bureaus::Table, Bureaus::Id))
        .to_owned();
    manager.create_table(table).await?;
    let by = Index::create().name("idx_cases_bureau_status").table(C::Table).col(C::BureauId).col(C::Status).to_owned();
    manager.create_index(by).await?;
    // The list: a bureau's cases, newest change first.
    let recent =
        Index::create().name("idx_cases_bureau_updated").table(C::Table).col(C::BureauId).col(C::UpdatedAt).to_owned();
    manager.create_index(recent).await?;
    let of = Index::create().name("idx_cases_enterprise").table(C::Table).col(C::EnterpriseId).to_owned();
    manager.create_index(of).await?;
    let handler = Index::create().name("idx_cases_handler").table(C::Table).col(C::HandlerId).to_owned();
    manager.create_index(handler).await
}

async fn create_parts(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use CaseParties as P;
    use CaseViolations as V;
    let parties = Table::create()
        .table(P::Table)
        .col(big_pk_auto(P::Id))
        .col(big_integer(P::CaseId))
        .col(integer(P::Position))
        .col(string_len(P::Kind, 10))
        .col(big_integer_null(P::EnterpriseId))
        .col(string_len(P::Name, 200))
        .col(string_len_null(P::IdNumber, 40))
        .col(string_len(P::Role, 20))
        .foreign_key(&mut case_fk(P::Table, P::CaseId))
        .to_owned();
    manager.create_table(parties).await?;
    let violations = Table::create()
        .table(V::Table)
        .col(big_pk_auto(V::Id))
        .col(big_integer(V::CaseId))
        .col(integer(V::Position))
        .col(integer(V::PartyPosition))
        .col(string_len(V::CatalogueCode, 40))
        .col(string_len(V::Stage, 40))
        .col(integer(V::Act))
        .col(string_len_null(V::StepCode, 20))
        .col(big_integer_null(V::FineYuan))
        .col(big_integer_null(V::AnnualIncomeYuan))
        .col(string_len(V::Reason, 2000))
        .col(boolean(V::Mitigation))
        .col(boolean(V::OutsideStep))
        .foreign_key(&mut case_fk(V::Table, V::CaseId))
        .to_owned();
    manager.create_table(violations).await?;
    for (name, table, col) in [
        ("idx_case_parties_case", P::Table.into_iden(), P::CaseId.into_iden()),
        ("idx_case_violations_case", V::Table.into_iden(), V::CaseId.into_iden()),
    ] {
        manager.create_index(Index::create().name(name).table(table).col(col).to_owned()).await?;
    }
    Ok(())
}

async fn create_records(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use CaseDocuments as D;
    use CaseSteps as S;
    let steps = Table::create()
        .table(S::Table)
        .col(big_pk_auto(S::Id))
        .col(big_integer(S::CaseId))
        .col(string_len(S::Step, 24))
        .col(big_integer(S::ActorId))
        .col(timestamp_with_time_zone(S::At))
        .col(string_len(S::FromStatus, 24))
        .col(string_len(S::ToStatus, 24))
        .col(text(S::Body))
        .foreign_key(&mut case_fk(S::Table, S::CaseId))
        .to_owned();
    manager.create_table(steps).await?;
    let documents = Table::create()
        .table(D::Table)
        .col(big_pk_auto(D::Id))
        .col(big_integer(D::CaseId))
        .col(big_integer_null(D::StepId))
        .col(string_len(D::Kind, 40))
        .col(big_integer(D::BureauId))
        .col(integer(D::Year))
        .col(big_integer(D::Seq))
        .col(string_len(D::Number, 80))
        .col(timestamp_with_time_zone(D::IssuedAt))
        .foreign_key(&mut case_fk(D::Table, D::CaseId))
        .to_owned();
    manager.create_table(documents).await?;
    let unique = Index::create()
        .name("idx_case_documents_number")
        .table(D::Table)
        .col(D::BureauId)
        .col(D::Kind)
        .col(D::Year)
        .col(D::Seq)
        .unique()
        .to_owned();
    manager.create_index(unique).await?;
    for (name, table, col) in [
        ("idx_case_steps_case", S::Table.into_iden(), S::CaseId.into_iden()),
        ("idx_case_documents_case", D::Table.into_iden(), D::CaseId.into_iden()),
    ] {
        manager.create_index(Index::create().name(name).table(table).col(col).to_owned()).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_cases(manager).await?;
        create_parts(manager).await?;
        create_records(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CaseDocuments::Table.into_iden(),
            CaseSteps::Table.into_iden(),
            CaseViolations::Table.into_iden(),
            CaseParties::Table.into_iden(),
            Cases::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
