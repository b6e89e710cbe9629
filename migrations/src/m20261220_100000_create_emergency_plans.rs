//! Emergency-plan filing (应急预案备案, 应急管理部令第2号): the filings an enterprise
//! lodges with its supervising bureau (`emergency_plan_filings`, one row per filing,
//! numbered 备案登记表 once accepted), the plan documents of a filing
//! (`emergency_plan_documents`) and the drills the enterprise records
//! (`emergency_plan_drills`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EmergencyPlanFilings {
    Table,
    Id,
    EnterpriseId,
    BureauId,
    Sector,
    Status,
    Round,
    ReturnReason,
    Number,
    Year,
    Seq,
    AcceptedOn,
    FiledBy,
    FiledAt,
    DecidedBy,
    DecidedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EmergencyPlanDocuments {
    Table,
    Id,
    FilingId,
    Kind,
    Title,
    AttachmentId,
    PublishedOn,
    EvaluatedOn,
    EvaluationForm,
    EvaluationConclusion,
}

#[derive(DeriveIden)]
enum EmergencyPlanDrills {
    Table,
    Id,
    EnterpriseId,
    FilingId,
    DocumentId,
    PlanKind,
    Form,
    DrilledOn,
    Participants,
    Summary,
    RecordedBy,
    CreatedAt,
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

async fn filings(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use EmergencyPlanFilings as F;
    let table = Table::create()
        .table(F::Table)
        .col(big_pk_auto(F::Id))
        .col(big_integer(F::EnterpriseId))
        .col(big_integer(F::BureauId))
        .col(string_len(F::Sector, 40))
        .col(string_len(F::Status, 20))
        .col(integer(F::Round))
        .col(string_len_null(F::ReturnReason, 2000))
        .col(string_len_null(F::Number, 80))
        .col(integer_null(F::Year))
        .col(big_integer_null(F::Seq))
        .col(date_null(F::AcceptedOn))
        .col(big_integer(F::FiledBy))
        .col(timestamp_with_time_zone(F::FiledAt))
        .col(big_integer_null(F::DecidedBy))
        .col(timestamp_with_time_zone_null(F::DecidedAt))
        .col(timestamp_with_time_zone(F::CreatedAt))
        .col(timestamp_with_time_zone(F::UpdatedAt))
        .foreign_key(ForeignKey::create().from(F::Table, F::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
        .foreign_key(ForeignKey::create().from(F::Table, F::BureauId).to(Bureaus::Table, Bureaus::Id))
        .to_owned();
    manager.create_table(table).await?;
    let by_enterprise = Index::create()
        .name("idx_emergency_plan_filings_enterprise_status")
        .table(F::Table)
        .col(F::EnterpriseId)
        .col(F::Status)
        .to_owned();
    manager.create_index(by_enterprise).await?;
    let by_bureau = Index::create()
        .name("idx_emergency_plan_filings_bureau_status")
        .table(F::Table)
        .col(F::BureauId)
        .col(F::Status)
        .to_owned();
    manager.create_index(by_bureau).await?;
    let number = Index::create()
        .name("idx_emergency_plan_filings_number")
        .table(F::Table)
        .col(F::BureauId)
        .col(F::Year)
        .col(F::Seq)
        .unique()
        .to_owned();
    manager.create_index(number).await
}

async fn documents(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use EmergencyPlanDocuments as D;
    let table = Table::create()
        .table(D::Table)
        .col(big_pk_auto(D::Id))
        .col(big_integer(D::FilingId))
        .col(string_len(D::Kind, 20))
        .col(string_len(D::Title, 200))
        .col(big_integer(D::AttachmentId))
        .col(date(D::PublishedOn))
        .col(date(D::EvaluatedOn))
        .col(string_len(D::EvaluationForm, 20))
        .col(string_len(D::EvaluationConclusion, 2000))
        .foreign_key(
            ForeignKey::create().from(D::Table, D::FilingId).to(EmergencyPlanFilings::Table, EmergencyPlanFilings::Id),
        )
        .to_owned();
    manager.create_table(table).await?;
    let by_filing =
        Index::create().name("idx_emergency_plan_documents_filing").table(D::Table).col(D::FilingId).to_owned();
    manager.create_index(by_filing).await
}

async fn drills(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use EmergencyPlanDrills as R;
    let table = Table::create()
        .table(R::Table)
        .col(big_pk_auto(R::Id))
        .col(big_integer(R::EnterpriseId))
        .col(big_integer(R::FilingId))
        .col(big_integer(R::DocumentId))
        .col(string_len(R::PlanKind, 20))
        .col(string_len(R::Form, 20))
        .col(date(R::DrilledOn))
        .col(integer(R::Participants))
        .col(string_len(R::Summary, 2000))
        .col(big_integer(R::RecordedBy))
        .col(timestamp_with_time_zone(R::CreatedAt))
        .foreign_key(
            ForeignKey::create().from(R::Table, R::FilingId).to(EmergencyPlanFilings::Table, EmergencyPlanFilings::Id),
        )
        .to_owned();
    manager.create_table(table).await?;
    let by_enterprise = Index::create()
        .name("idx_emergency_plan_drills_enterprise_kind")
        .table(R::Table)
        .col(R::EnterpriseId)
        .col(R::PlanKind)
        .col(R::DrilledOn)
        .to_owned();
    manager.create_index(by_enterprise).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        filings(manager).await?;
        documents(manager).await?;
        drills(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(EmergencyPlanDrills::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(EmergencyPlanDocuments::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(EmergencyPlanFilings::Table).to_owned()).await
    }
}
