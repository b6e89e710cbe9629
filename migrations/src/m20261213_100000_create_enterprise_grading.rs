//! Enterprise risk grades and supervision classes (企业风险等级、监管类别):
//! - `enterprises.risk_grade` (`red`/`orange`/`yellow`/`blue`, NULL: not graded),
//!   `grading_source` (`computed`, `guide`, `override`) and `graded_at`;
//! - `enterprise_gradings`: every change of grade or class, with the inputs and
//!   rule set that produced it (append-only);
//! - `risk_assessments`: scorings under the hazchem guide (评估诊断分级指南);
//! - `grading_runs`: each recomputation over the register;
//! - `risk_points.checklist_items`: the standard items a point is linked to;
//! - supervision class codes become A/B/C/D (`key` → D, `general` → B, `low` → A)
//!   on enterprises. Annual plans keep the codes they were approved with (their rows
//!   are in the audit chain); the caps file lists the old codes as aliases.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
    RiskGrade,
    GradingSource,
    GradedAt,
}

#[derive(DeriveIden)]
enum EnterpriseGradings {
    Table,
    Id,
    EnterpriseId,
    RiskGrade,
    SupervisionClass,
    Source,
    RulesVersion,
    Inputs,
    Reason,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum RiskAssessments {
    Table,
    Id,
    EnterpriseId,
    GuideVersion,
    Deductions,
    DirectRed,
    Score,
    Grade,
    AssessedOn,
    ValidUntil,
    Assessor,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GradingRuns {
    Table,
    Id,
    Trigger,
    RulesVersion,
    StartedAt,
    FinishedAt,
    Enterprises,
    Changed,
}

#[derive(DeriveIden)]
enum RiskPoints {
    Table,
    ChecklistItems,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const CLASS_CODES: [(&str, &str); 3] = [("key", "D"), ("general", "B"), ("low", "A")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use EnterpriseGradings as G;
        use GradingRuns as R;
        use RiskAssessments as A;
        for col in [
            string_len_null(Enterprises::RiskGrade, 10),
            string_len_null(Enterprises::GradingSource, 20),
            timestamp_with_time_zone_null(Enterprises::GradedAt),
        ] {
            let mut col = col;
            manager.alter_table(Table::alter().table(Enterprises::Table).add_column(&mut col).to_owned()).await?;
        }
        let by_grade = Index::create()
            .name("idx_enterprises_risk_grade")
            .table(Enterprises::Table)
            .col(Enterprises::RiskGrade)
            .to_owned();
        manager.create_index(by_grade).await?;

        let history = Table::create()
            .table(G::Table)
            .col(big_pk_auto(G::Id))
            .col(big_integer(G::EnterpriseId))
            .col(string_len_null(G::RiskGrade, 10))
            .col(string_len(G::SupervisionClass, 40))
            .col(string_len(G::Source, 20))
            .col(string_len(G::RulesVersion, 100))
            .col(text(G::Inputs))
            .col(text_null(G::Reason))
            .col(big_integer_null(G::DecidedBy))
            .col(timestamp_with_time_zone(G::DecidedAt))
            .foreign_key(ForeignKey::create().from(G::Table, G::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
            .foreign_key(ForeignKey::create().from(G::Table, G::DecidedBy).to(Users::Table, Users::Id))
            .to_owned();
        manager.create_table(history).await?;
        let of = Index::create()
            .name("idx_enterprise_gradings_enterprise")
            .table(G::Table)
            .col(G::EnterpriseId)
            .col(G::Id)
            .to_owned();
        manager.create_index(of).await?;

        let assessments = Table::create()
            .table(A::Table)
            .col(big_pk_auto(A::Id))
            .col(big_integer(A::EnterpriseId))
            .col(string_len(A::GuideVersion, 100))
            .col(text(A::Deductions))
            .col(string_len(A::DirectRed, 400))
            .col(double(A::Score))
            .col(string_len(A::Grade, 10))
            .col(date(A::AssessedOn))
            .col(date(A::ValidUntil))
            .col(string_len(A::Assessor, 200))
            .col(big_integer(A::RecordedBy))
            .col(timestamp_with_time_zone(A::CreatedAt))
            .foreign_key(ForeignKey::create().from(A::Table, A::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
            .foreign_key(ForeignKey::create().from(A::Table, A::RecordedBy).to(Users::Table, Users::Id))
            .to_owned();
        manager.create_table(assessments).await?;
        let of = Index::create()
            .name("idx_risk_assessments_enterprise")
            .table(A::Table)
            .col(A::EnterpriseId)
            .col(A::AssessedOn)
            .to_owned();
        manager.create_index(of).await?;

        let runs = Table::create()
            .table(R::Table)
            .col(big_pk_auto(R::Id))
            .col(string_len(R::Trigger, 40))
            .col(string_len(R::RulesVersion, 100))
            .col(timestamp_with_time_zone(R::StartedAt))
            .col(timestamp_with_time_zone(R::FinishedAt))
            .col(big_integer(R::Enterprises))
            .col(big_integer(R::Changed))
            .to_owned();
        manager.create_table(runs).await?;

        let items = Table::alter()
            .table(RiskPoints::Table)
            .add_column(string_len(RiskPoints::ChecklistItems, 2000).default(""))
            .to_owned();
        manager.alter_table(items).await?;

        let db = manager.get_connection();
        for (old, new) in CLASS_CODES {
            db.execute_unprepared(&format!(
                "UPDATE enterprises SET supervision_class = '{new}' WHERE supervision_class = '{old}'"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (old, new) in CLASS_CODES {
            db.execute_unprepared(&format!(
                "UPDATE enterprises SET supervision_class = '{old}' WHERE supervision_class = '{new}'"
            ))
            .await?;
        }
        let items = Table::alter().table(RiskPoints::Table).drop_column(RiskPoints::ChecklistItems).to_owned();
        manager.alter_table(items).await?;
        manager.drop_table(Table::drop().table(GradingRuns::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RiskAssessments::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(EnterpriseGradings::Table).to_owned()).await?;
        manager
            .drop_index(Index::drop().name("idx_enterprises_risk_grade").table(Enterprises::Table).to_owned())
            .await?;
        for col in [Enterprises::GradedAt, Enterprises::GradingSource, Enterprises::RiskGrade] {
            manager.alter_table(Table::alter().table(Enterprises::Table).drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}
