//! Inspections (执法检查) and their governance, issue 11:
//! - `inspections`: one visit to one enterprise by a team, approved before it starts,
//!   pinning the checklist versions (content hashes) it uses;
//! - `inspection_members`: the team (inspectors with their certificate numbers at the
//!   time, and accompanying experts);
//! - `inspection_documents`: the 执法文书 numbers reserved for an inspection at approval,
//!   one per (inspection, type), issued, served or voided (a voided number is kept);
//! - `hazards.inspection_id` and `hazards.self_inspection_task_id`: a finding's link
//!   back to the inspection or self-inspection task that found it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Inspections {
    Table,
    Id,
    BureauId,
    EnterpriseId,
    Kind,
    Status,
    PlannedDate,
    PlanText,
    Checklists,
    ParentId,
    DrawId,
    CountsAgainstCap,
    OverCap,
    CreatedBy,
    CreatedAt,
    ApprovedBy,
    ApprovedAt,
    CapApprovedBy,
    CapApprovedAt,
    CapReason,
    RejectedReason,
    StartedAt,
    CompletedAt,
    Latitude,
    Longitude,
    PositionNote,
    PeoplePresent,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InspectionMembers {
    Table,
    Id,
    InspectionId,
    UserId,
    Role,
    CertificateNo,
}

#[derive(DeriveIden)]
enum InspectionDocuments {
    Table,
    Id,
    InspectionId,
    Kind,
    BureauId,
    Year,
    Seq,
    Number,
    Status,
    VoidReason,
    ReservedAt,
    IssuedAt,
    ServedOn,
    ServiceMethod,
    ServedTo,
}

#[derive(DeriveIden)]
enum Hazards {
    Table,
    InspectionId,
    SelfInspectionTaskId,
}

#[derive(DeriveIden)]
enum Bureaus {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>, unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    if unique {
        i.unique();
    }
    for c in cols {
        i.col(c);
    }
    i
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Inspections as I;
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(big_pk_auto(I::Id))
                    .col(big_integer(I::BureauId))
                    .col(big_integer(I::EnterpriseId))
                    .col(string_len(I::Kind, 40))
                    .col(string_len(I::Status, 40))
                    .col(date(I::PlannedDate))
                    .col(text(I::PlanText))
                    .col(text(I::Checklists))
                    .col(big_integer_null(I::ParentId))
                    .col(big_integer_null(I::DrawId))
                    .col(boolean(I::CountsAgainstCap))
                    .col(boolean(I::OverCap))
                    .col(big_integer(I::CreatedBy))
                    .col(timestamp_with_time_zone(I::CreatedAt))
                    .col(big_integer_null(I::ApprovedBy))
                    .col(timestamp_with_time_zone_null(I::ApprovedAt))
                    .col(big_integer_null(I::CapApprovedBy))
                    .col(timestamp_with_time_zone_null(I::CapApprovedAt))
                    .col(text_null(I::CapReason))
                    .col(text_null(I::RejectedReason))
                    .col(timestamp_with_time_zone_null(I::StartedAt))
                    .col(timestamp_with_time_zone_null(I::CompletedAt))
                    .col(double_null(I::Latitude))
                    .col(double_null(I::Longitude))
                    .col(text_null(I::PositionNote))
                    .col(text_null(I::PeoplePresent))
                    .col(integer(I::Version))
                    .col(timestamp_with_time_zone(I::UpdatedAt))
                    .foreign_key(&mut fk((I::Table, I::BureauId), (Bureaus::Table, Bureaus::Id)))
                    .foreign_key(&mut fk((I::Table, I::EnterpriseId), (Enterprises::Table, Enterprises::Id)))
                    .foreign_key(&mut fk((I::Table, I::CreatedBy), (Users::Table, Users::Id)))
                    .to_owned(),
            )
            .await?;
        let by_enterprise = vec![I::EnterpriseId.into_iden(), I::PlannedDate.into_iden()];
        manager.create_index(index("idx_inspections_enterprise", I::Table, by_enterprise, false)).await?;
        let by_bureau = vec![I::BureauId.into_iden(), I::Status.into_iden()];
        manager.create_index(index("idx_inspections_bureau_status", I::Table, by_bureau, false)).await?;
        manager.create_index(index("idx_inspections_parent", I::Table, vec![I::ParentId.into_iden()], false)).await?;
        self.members(manager).await?;
        self.documents(manager).await?;
        self.hazard_links(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [Hazards::InspectionId, Hazards::SelfInspectionTaskId] {
            manager.alter_table(Table::alter().table(Hazards::Table).drop_column(col).to_owned()).await?;
        }
        for t in [
            InspectionDocuments::Table.into_iden(),
            InspectionMembers::Table.into_iden(),
            Inspections::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

impl Migration {
    async fn members(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        use InspectionMembers as M;
        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    .col(big_pk_auto(M::Id))
                    .col(big_integer(M::InspectionId))
                    .col(big_integer(M::UserId))
                    .col(string_len(M::Role, 20))
                    .col(string_len_null(M::CertificateNo, 64))
                    .foreign_key(&mut fk((M::Table, M::InspectionId), (Inspections::Table, Inspections::Id)))
                    .foreign_key(&mut fk((M::Table, M::UserId), (Users::Table, Users::Id)))
                    .to_owned(),
            )
            .await?;
        let once = vec![M::InspectionId.into_iden(), M::UserId.into_iden()];
        manager.create_index(index("idx_inspection_members_once", M::Table, once, true)).await?;
        let by_user = vec![M::UserId.into_iden(), M::InspectionId.into_iden()];
        manager.create_index(index("idx_inspection_members_user", M::Table, by_user, false)).await
    }

    async fn documents(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        use InspectionDocuments as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(big_pk_auto(D::Id))
                    .col(big_integer(D::InspectionId))
                    .col(string_len(D::Kind, 40))
                    .col(big_integer(D::BureauId))
                    .col(integer(D::Year))
                    .col(big_integer(D::Seq))
                    .col(string_len(D::Number, 200))
                    .col(string_len(D::Status, 20))
                    .col(text_null(D::VoidReason))
                    .col(timestamp_with_time_zone(D::ReservedAt))
                    .col(timestamp_with_time_zone_null(D::IssuedAt))
                    .col(date_null(D::ServedOn))
                    .col(string_len_null(D::ServiceMethod, 40))
                    .col(string_len_null(D::ServedTo, 200))
                    .foreign_key(&mut fk((D::Table, D::InspectionId), (Inspections::Table, Inspections::Id)))
                    .foreign_key(&mut fk((D::Table, D::BureauId), (Bureaus::Table, Bureaus::Id)))
                    .to_owned(),
            )
            .await?;
        let seq = vec![D::BureauId.into_iden(), D::Kind.into_iden(), D::Year.into_iden(), D::Seq.into_iden()];
        manager.create_index(index("idx_inspection_documents_seq", D::Table, seq, true)).await?;
        let by_inspection = vec![D::InspectionId.into_iden(), D::Kind.into_iden()];
        manager.create_index(index("idx_inspection_documents_inspection", D::Table, by_inspection, false)).await
    }

    async fn hazard_links(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        let add = |col: Hazards| Table::alter().table(Hazards::Table).add_column(big_integer_null(col)).to_owned();
        manager.alter_table(add(Hazards::InspectionId)).await?;
        manager.alter_table(add(Hazards::SelfInspectionTaskId)).await?;
        let by_inspection = vec![Hazards::InspectionId.into_iden()];
        manager.create_index(index("idx_hazards_inspection", Hazards::Table, by_inspection, false)).await?;
        let by_task = vec![Hazards::SelfInspectionTaskId.into_iden()];
        manager.create_index(index("idx_hazards_self_inspection_task", Hazards::Table, by_task, false)).await
    }
}
