//! What follows an accident (生产安全事故) in the register: the history of its
//! figures (补报 and regrading), its reports up the chain (逐级上报) and the flags
//! on them (迟报/谎报/瞒报/漏报), the investigation (事故调查) with its findings of
//! responsibility, and the 整改措施 with their deadlines.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum Accidents {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AccidentFigureChanges {
    Table,
    Id,
    AccidentId,
    DeathsBefore,
    MissingBefore,
    SeriousInjuriesBefore,
    DirectLossYuanBefore,
    GradeBefore,
    Deaths,
    Missing,
    SeriousInjuries,
    DirectLossYuan,
    Grade,
    Reason,
    ChangedBy,
    ChangedAt,
}

#[derive(DeriveIden)]
enum AccidentReports {
    Table,
    Id,
    AccidentId,
    FromLevel,
    ToLevel,
    ReportedAt,
    Content,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccidentFlags {
    Table,
    Id,
    AccidentId,
    Kind,
    Reason,
    FlaggedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccidentInvestigations {
    Table,
    Id,
    AccidentId,
    OrganisedBy,
    Leader,
    Members,
    ExtendedDays,
    ExtensionReason,
    ReportSubmittedOn,
    ReportSummary,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccidentFindings {
    Table,
    Id,
    AccidentId,
    Party,
    Responsibility,
    Suggestion,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccidentMeasures {
    Table,
    Id,
    AccidentId,
    BureauId,
    Description,
    ResponsibleUnit,
    Deadline,
    Status,
    Evidence,
    Verifier,
    DoneOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

fn of_accident<T: IntoIden + 'static>(table: T, col: T) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Accidents::Table, Accidents::Id).to_owned()
}

fn by_accident<T: IntoIden + 'static>(name: &str, table: T, col: T) -> IndexCreateStatement {
    Index::create().name(name).table(table).col(col).to_owned()
}

fn figure_changes() -> TableCreateStatement {
    use AccidentFigureChanges as F;
    Table::create()
        .table(F::Table)
        .col(big_pk_auto(F::Id))
        .col(big_integer(F::AccidentId))
        .col(integer(F::DeathsBefore))
        .col(integer(F::MissingBefore))
        .col(integer(F::SeriousInjuriesBefore))
        .col(big_integer(F::DirectLossYuanBefore))
        .col(string_len(F::GradeBefore, 40))
        .col(integer(F::Deaths))
        .col(integer(F::Missing))
        .col(integer(F::SeriousInjuries))
        .col(big_integer(F::DirectLossYuan))
        .col(string_len(F::Grade, 40))
        .col(text(F::Reason))
        .col(big_integer(F::ChangedBy))
        .col(timestamp_with_time_zone(F::ChangedAt))
        .foreign_key(&mut of_accident(F::Table, F::AccidentId))
        .to_owned()
}

fn reports() -> TableCreateStatement {
    use AccidentReports as R;
    Table::create()
        .table(R::Table)
        .col(big_pk_auto(R::Id))
        .col(big_integer(R::AccidentId))
        .col(string_len(R::FromLevel, 40))
        .col(string_len(R::ToLevel, 40))
        .col(timestamp_with_time_zone(R::ReportedAt))
        .col(text(R::Content))
        .col(big_integer(R::RecordedBy))
        .col(timestamp_with_time_zone(R::CreatedAt))
        .foreign_key(&mut of_accident(R::Table, R::AccidentId))
        .to_owned()
}

fn flags() -> TableCreateStatement {
    use AccidentFlags as G;
    Table::create()
        .table(G::Table)
        .col(big_pk_auto(G::Id))
        .col(big_integer(G::AccidentId))
        .col(string_len(G::Kind, 40))
        .col(text(G::Reason))
        .col(big_integer(G::FlaggedBy))
        .col(timestamp_with_time_zone(G::CreatedAt))
        .foreign_key(&mut of_accident(G::Table, G::AccidentId))
        .to_owned()
}

fn investigations() -> TableCreateStatement {
    use AccidentInvestigations as I;
    Table::create()
        .table(I::Table)
        .col(big_pk_auto(I::Id))
        .col(big_integer_uniq(I::AccidentId))
        .col(string_len(I::OrganisedBy, 200))
        .col(string_len(I::Leader, 100))
        .col(text(I::Members))
        .col(integer(I::ExtendedDays))
        .col(text_null(I::ExtensionReason))
        .col(date_null(I::ReportSubmittedOn))
        .col(text_null(I::ReportSummary))
        .col(big_integer(I::UpdatedBy))
        .col(timestamp_with_time_zone(I::CreatedAt))
        .col(timestamp_with_time_zone(I::UpdatedAt))
        .foreign_key(&mut of_accident(I::Table, I::AccidentId))
        .to_owned()
}

fn findings() -> TableCreateStatement {
    use AccidentFindings as D;
    Table::create()
        .table(D::Table)
        .col(big_pk_auto(D::Id))
        .col(big_integer(D::AccidentId))
        .col(string_len(D::Party, 200))
        .col(string_len(D::Responsibility, 40))
        .col(text(D::Suggestion))
        .col(big_integer(D::CreatedBy))
        .col(timestamp_with_time_zone(D::CreatedAt))
        .foreign_key(&mut of_accident(D::Table, D::AccidentId))
        .to_owned()
}

fn measures() -> TableCreateStatement {
    use AccidentMeasures as M;
    Table::create()
        .table(M::Table)
        .col(big_pk_auto(M::Id))
        .col(big_integer(M::AccidentId))
        .col(big_integer(M::BureauId))
        .col(text(M::Description))
        .col(string_len(M::ResponsibleUnit, 200))
        .col(date(M::Deadline))
        .col(string_len(M::Status, 40))
        .col(text_null(M::Evidence))
        .col(string_len_null(M::Verifier, 100))
        .col(date_null(M::DoneOn))
        .col(big_integer(M::CreatedBy))
        .col(timestamp_with_time_zone(M::CreatedAt))
        .col(timestamp_with_time_zone(M::UpdatedAt))
        .foreign_key(&mut of_accident(M::Table, M::AccidentId))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(figure_changes()).await?;
        manager
            .create_index(by_accident(
                "idx_accident_figure_changes_accident",
                AccidentFigureChanges::Table,
                AccidentFigureChanges::AccidentId,
            ))
            .await?;
        manager.create_table(reports()).await?;
        manager
            .create_index(by_accident(
                "idx_accident_reports_accident",
                AccidentReports::Table,
                AccidentReports::AccidentId,
            ))
            .await?;
        manager.create_table(flags()).await?;
        manager
            .create_index(by_accident("idx_accident_flags_accident", AccidentFlags::Table, AccidentFlags::AccidentId))
            .await?;
        manager.create_table(investigations()).await?;
        manager.create_table(findings()).await?;
        manager
            .create_index(by_accident(
                "idx_accident_findings_accident",
                AccidentFindings::Table,
                AccidentFindings::AccidentId,
            ))
            .await?;
        manager.create_table(measures()).await?;
        manager
            .create_index(by_accident(
                "idx_accident_measures_accident",
                AccidentMeasures::Table,
                AccidentMeasures::AccidentId,
            ))
            .await?;
        let open = Index::create()
            .name("idx_accident_measures_status_deadline")
            .table(AccidentMeasures::Table)
            .col(AccidentMeasures::Status)
            .col(AccidentMeasures::Deadline)
            .to_owned();
        manager.create_index(open).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AccidentMeasures::Table.into_iden(),
            AccidentFindings::Table.into_iden(),
            AccidentInvestigations::Table.into_iden(),
            AccidentFlags::Table.into_iden(),
            AccidentReports::Table.into_iden(),
            AccidentFigureChanges::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveMigrationName)]
pub struct Migration;
