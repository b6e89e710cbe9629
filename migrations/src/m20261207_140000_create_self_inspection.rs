//! Enterprise self-inspection (隐患排查), issue 11:
//! - `self_inspection_plans`: an enterprise's 排查计划 (type by the 78号 guide,
//!   organisational level, frequency, items, assignee, active flag);
//! - `self_inspection_tasks`: one 排查任务 (from a plan for one period, or ad hoc),
//!   unique per (plan, period) so that generating twice never duplicates;
//! - `self_inspection_results`: one row per pinned checklist item of a task, with
//!   its outcome (kept even when nothing is found: 无隐患也留痕);
//! - `hazard_statistics.self_inspections`: 排查次数 of the period.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SelfInspectionPlans {
    Table,
    Id,
    EnterpriseId,
    BureauId,
    Sector,
    Kind,
    Level,
    Frequency,
    Title,
    ItemCodes,
    AssigneeId,
    Active,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum SelfInspectionTasks {
    Table,
    Id,
    PlanId,
    EnterpriseId,
    BureauId,
    Sector,
    Kind,
    Title,
    Period,
    AssigneeId,
    DueOn,
    Status,
    Checklists,
    Findings,
    CreatedBy,
    CreatedAt,
    CompletedBy,
    CompletedAt,
    Version,
}

#[derive(DeriveIden)]
enum SelfInspectionResults {
    Table,
    Id,
    TaskId,
    Position,
    Code,
    ChecklistHash,
    Section,
    Text,
    Basis,
    Severity,
    Verified,
    Outcome,
    Note,
    AttachmentIds,
    HazardId,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum HazardStatistics {
    Table,
    SelfInspections,
}

#[derive(DeriveIden)]
enum Enterprises {
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

fn plans() -> TableCreateStatement {
    use SelfInspectionPlans as P;
    Table::create()
        .table(P::Table)
        .col(big_pk_auto(P::Id))
        .col(big_integer(P::EnterpriseId))
        .col(big_integer(P::BureauId))
        .col(string_len(P::Sector, 40))
        .col(string_len(P::Kind, 40))
        .col(string_len(P::Level, 40))
        .col(string_len(P::Frequency, 40))
        .col(string_len(P::Title, 200))
        .col(text_null(P::ItemCodes))
        .col(big_integer(P::AssigneeId))
        .col(boolean(P::Active))
        .col(big_integer(P::CreatedBy))
        .col(timestamp_with_time_zone(P::CreatedAt))
        .col(timestamp_with_time_zone(P::UpdatedAt))
        .col(integer(P::Version))
        .foreign_key(&mut fk((P::Table, P::EnterpriseId), (Enterprises::Table, Enterprises::Id)))
        .to_owned()
}

fn tasks() -> TableCreateStatement {
    use SelfInspectionTasks as T;
    Table::create()
        .table(T::Table)
        .col(big_pk_auto(T::Id))
        .col(big_integer_null(T::PlanId))
        .col(big_integer(T::EnterpriseId))
        .col(big_integer(T::BureauId))
        .col(string_len(T::Sector, 40))
        .col(string_len(T::Kind, 40))
        .col(string_len(T::Title, 200))
        .col(string_len_null(T::Period, 20))
        .col(big_integer(T::AssigneeId))
        .col(date(T::DueOn))
        .col(string_len(T::Status, 20))
        .col(text(T::Checklists))
        .col(big_integer(T::Findings))
        .col(big_integer_null(T::CreatedBy))
        .col(timestamp_with_time_zone(T::CreatedAt))
        .col(big_integer_null(T::CompletedBy))
        .col(timestamp_with_time_zone_null(T::CompletedAt))
        .col(integer(T::Version))
        .foreign_key(&mut fk((T::Table, T::PlanId), (SelfInspectionPlans::Table, SelfInspectionPlans::Id)))
        .foreign_key(&mut fk((T::Table, T::EnterpriseId), (Enterprises::Table, Enterprises::Id)))
        .to_owned()
}

fn results() -> TableCreateStatement {
    use SelfInspectionResults as R;
    Table::create()
        .table(R::Table)
        .col(big_pk_auto(R::Id))
        .col(big_integer(R::TaskId))
        .col(integer(R::Position))
        .col(string_len(R::Code, 100))
        .col(string_len(R::ChecklistHash, 64))
        .col(string_len(R::Section, 200))
        .col(text(R::Text))
        .col(text(R::Basis))
        .col(string_len(R::Severity, 20))
        .col(boolean(R::Verified))
        .col(string_len(R::Outcome, 20))
        .col(text_null(R::Note))
        .col(text_null(R::AttachmentIds))
        .col(big_integer_null(R::HazardId))
        .col(big_integer_null(R::UpdatedBy))
        .col(timestamp_with_time_zone_null(R::UpdatedAt))
        .foreign_key(&mut fk((R::Table, R::TaskId), (SelfInspectionTasks::Table, SelfInspectionTasks::Id)))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SelfInspectionTasks as T;
        manager.create_table(plans()).await?;
        let by = vec![SelfInspectionPlans::EnterpriseId.into_iden()];
        manager
            .create_index(index("idx_self_inspection_plans_enterprise", SelfInspectionPlans::Table, by, false))
            .await?;
        manager.create_table(tasks()).await?;
        // Ad hoc tasks have no plan: NULLs are distinct in a unique index on both backends.
        let per_period = vec![T::PlanId.into_iden(), T::Period.into_iden()];
        manager.create_index(index("idx_self_inspection_tasks_period", T::Table, per_period, true)).await?;
        let by = vec![T::EnterpriseId.into_iden(), T::DueOn.into_iden()];
        manager.create_index(index("idx_self_inspection_tasks_enterprise", T::Table, by, false)).await?;
        let by = vec![T::BureauId.into_iden(), T::DueOn.into_iden()];
        manager.create_index(index("idx_self_inspection_tasks_bureau", T::Table, by, false)).await?;
        manager.create_table(results()).await?;
        let by = vec![SelfInspectionResults::TaskId.into_iden(), SelfInspectionResults::Code.into_iden()];
        manager.create_index(index("idx_self_inspection_results_item", SelfInspectionResults::Table, by, true)).await?;
        let col = ColumnDef::new(HazardStatistics::SelfInspections).big_integer().not_null().default(0).to_owned();
        manager.alter_table(Table::alter().table(HazardStatistics::Table).add_column(col).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drop =
            Table::alter().table(HazardStatistics::Table).drop_column(HazardStatistics::SelfInspections).to_owned();
        manager.alter_table(drop).await?;
        for t in [
            SelfInspectionResults::Table.into_iden(),
            SelfInspectionTasks::Table.into_iden(),
            SelfInspectionPlans::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
