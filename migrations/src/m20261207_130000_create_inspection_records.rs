//! The on-site record of an inspection (issue 11):
//! - `inspection_results`: one outcome per checklist item (pinned by code and hash);
//! - `inspection_findings`: findings (an item or free text) with severity, legal basis,
//!   deadline or rectified on the spot, and the hazard each became at completion;
//! - `inspection_measures`: on-site measures (WSL art. 65) as decisions;
//! - `inspection_signatures`: the inspectors' and the unit's 负责人's signatures, or a
//!   refusal with its witness;
//! - `inspection_verdicts`: a re-inspection's (复查) verdict on each hazard it reviewed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InspectionResults {
    Table,
    Id,
    InspectionId,
    ItemCode,
    ChecklistHash,
    Outcome,
    Note,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InspectionFindings {
    Table,
    Id,
    InspectionId,
    ItemCode,
    ChecklistHash,
    Title,
    Category,
    Severity,
    Description,
    Location,
    Basis,
    BasisConfirmed,
    Deadline,
    DeadlineWorkingDays,
    RectifiedOnSpot,
    HazardId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InspectionMeasures {
    Table,
    Id,
    InspectionId,
    Kind,
    ScopeText,
    Basis,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum InspectionSignatures {
    Table,
    Id,
    InspectionId,
    SignerKind,
    UserId,
    Name,
    CertificateNo,
    AttachmentId,
    Refused,
    Witness,
    Reason,
    SignedAt,
}

#[derive(DeriveIden)]
enum InspectionVerdicts {
    Table,
    Id,
    InspectionId,
    HazardId,
    Passed,
    Note,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Inspections {
    Table,
    Id,
}

fn fk_inspection(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Inspections::Table, Inspections::Id).to_owned()
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
        use InspectionResults as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(big_pk_auto(R::Id))
                    .col(big_integer(R::InspectionId))
                    .col(string_len(R::ItemCode, 100))
                    .col(string_len(R::ChecklistHash, 64))
                    .col(string_len(R::Outcome, 20))
                    .col(text_null(R::Note))
                    .col(big_integer(R::UpdatedBy))
                    .col(timestamp_with_time_zone(R::UpdatedAt))
                    .foreign_key(&mut fk_inspection(R::Table, R::InspectionId))
                    .to_owned(),
            )
            .await?;
        let once = vec![R::InspectionId.into_iden(), R::ItemCode.into_iden()];
        manager.create_index(index("idx_inspection_results_once", R::Table, once, true)).await?;
        self.findings(manager).await?;
        self.measures(manager).await?;
        self.signatures(manager).await?;
        self.verdicts(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            InspectionVerdicts::Table.into_iden(),
            InspectionSignatures::Table.into_iden(),
            InspectionMeasures::Table.into_iden(),
            InspectionFindings::Table.into_iden(),
            InspectionResults::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

impl Migration {
    async fn findings(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        use InspectionFindings as F;
        manager
            .create_table(
                Table::create()
                    .table(F::Table)
                    .col(big_pk_auto(F::Id))
                    .col(big_integer(F::InspectionId))
                    .col(string_len_null(F::ItemCode, 100))
                    .col(string_len_null(F::ChecklistHash, 64))
                    .col(string_len_null(F::Title, 200))
                    .col(string_len(F::Category, 100))
                    .col(string_len(F::Severity, 20))
                    .col(text(F::Description))
                    .col(string_len_null(F::Location, 500))
                    .col(text_null(F::Basis))
                    .col(boolean(F::BasisConfirmed))
                    .col(date_null(F::Deadline))
                    .col(integer_null(F::DeadlineWorkingDays))
                    .col(boolean(F::RectifiedOnSpot))
                    .col(big_integer_null(F::HazardId))
                    .col(big_integer(F::CreatedBy))
                    .col(timestamp_with_time_zone(F::CreatedAt))
                    .col(timestamp_with_time_zone(F::UpdatedAt))
                    .foreign_key(&mut fk_inspection(F::Table, F::InspectionId))
                    .to_owned(),
            )
            .await?;
        let by = vec![F::InspectionId.into_iden(), F::Id.into_iden()];
        manager.create_index(index("idx_inspection_findings_inspection", F::Table, by, false)).await
    }

    async fn measures(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        use InspectionMeasures as M;
        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    .col(big_pk_auto(M::Id))
                    .col(big_integer(M::InspectionId))
                    .col(string_len(M::Kind, 40))
                    .col(text(M::ScopeText))
                    .col(text(M::Basis))
                    .col(big_integer(M::DecidedBy))
                    .col(timestamp_with_time_zone(M::DecidedAt))
                    .foreign_key(&mut fk_inspection(M::Table, M::InspectionId))
                    .to_owned(),
            )
            .await?;
        let by = vec![M::InspectionId.into_iden()];
        manager.create_index(index("idx_inspection_measures_inspection", M::Table, by, false)).await
    }

    async fn signatures(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        use InspectionSignatures as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(big_pk_auto(S::Id))
                    .col(big_integer(S::InspectionId))
                    .col(string_len(S::SignerKind, 20))
                    .col(big_integer_null(S::UserId))
                    .col(string_len(S::Name, 100))
                    .col(string_len_null(S::CertificateNo, 64))
                    .col(big_integer_null(S::AttachmentId))
                    .col(boolean(S::Refused))
                    .col(string_len_null(S::Witness, 100))
                    .col(text_null(S::Reason))
                    .col(timestamp_with_time_zone(S::SignedAt))
                    .foreign_key(&mut fk_inspection(S::Table, S::InspectionId))
                    .to_owned(),
            )
            .await?;
        let by = vec![S::InspectionId.into_iden()];
        manager.create_index(index("idx_inspection_signatures_inspection", S::Table, by, false)).await
    }

    async fn verdicts(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        use InspectionVerdicts as V;
        manager
            .create_table(
                Table::create()
                    .table(V::Table)
                    .col(big_pk_auto(V::Id))
                    .col(big_integer(V::InspectionId))
                    .col(big_integer(V::HazardId))
                    .col(boolean(V::Passed))
                    .col(text_null(V::Note))
                    .col(big_integer(V::DecidedBy))
                    .col(timestamp_with_time_zone(V::DecidedAt))
                    .foreign_key(&mut fk_inspection(V::Table, V::InspectionId))
                    .to_owned(),
            )
            .await?;
        let once = vec![V::InspectionId.into_iden(), V::HazardId.into_iden()];
        manager.create_index(index("idx_inspection_verdicts_once", V::Table, once, true)).await
    }
}
