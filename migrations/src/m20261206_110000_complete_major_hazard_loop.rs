//! 一单四制 complete: the 交办 gains its date, supervising bureau and 配合单位;
//! 治理方案 versions are kept in `hazard_plans`; the 核销 review (date,
//! reviewers, opinion) is kept in `hazard_reviews`; a suspension records when
//! the enterprise applied to resume (`resumption_applied_at`); and the
//! enterprise's status history can hold a suspension order or its lifting
//! (`event`, `hazard_id`) beside the register's status changes.
//!
//! Existing rows: the 交办 date of an assigned hazard is the Beijing date of its
//! `assigned_at`, and its supervising bureau is its assigning bureau. Existing
//! plans are not copied into `hazard_plans` (a row there is an audited write
//! of its own); the ledger shows such a plan from the hazard's columns.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HazardPlans {
    Table,
    Id,
    HazardId,
    Version,
    Goals,
    Measures,
    FundsFen,
    Materials,
    ResponsibleOrg,
    ResponsiblePerson,
    Deadline,
    Requirements,
    SafetyMeasures,
    EmergencyPlan,
    SignedByPrincipal,
    AuthorId,
    EventId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HazardReviews {
    Table,
    Id,
    HazardId,
    EventId,
    ReviewedOn,
    Reviewers,
    Opinion,
    Passed,
    LiftSuspension,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Hazards {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

async fn exec(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared(sql).await.map(|_| ())
}

fn hazard_fk(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Hazards::Table, Hazards::Id).to_owned()
}

async fn create_plans(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use HazardPlans as P;
    manager
        .create_table(
            Table::create()
                .table(P::Table)
                .col(big_pk_auto(P::Id))
                .col(big_integer(P::HazardId))
                .col(integer(P::Version))
                .col(text(P::Goals))
                .col(text(P::Measures))
                .col(big_integer(P::FundsFen))
                .col(text_null(P::Materials))
                .col(text(P::ResponsibleOrg))
                .col(text(P::ResponsiblePerson))
                .col(date(P::Deadline))
                .col(text_null(P::Requirements))
                .col(text(P::SafetyMeasures))
                .col(text(P::EmergencyPlan))
                .col(boolean(P::SignedByPrincipal))
                .col(big_integer_null(P::AuthorId))
                .col(big_integer_null(P::EventId))
                .col(timestamp_with_time_zone(P::CreatedAt))
                .foreign_key(&mut hazard_fk(P::Table, P::HazardId))
                .foreign_key(ForeignKey::create().from(P::Table, P::AuthorId).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_hazard_plans_version")
                .table(P::Table)
                .col(P::HazardId)
                .col(P::Version)
                .unique()
                .to_owned(),
        )
        .await
}

async fn create_reviews(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use HazardReviews as R;
    manager
        .create_table(
            Table::create()
                .table(R::Table)
                .col(big_pk_auto(R::Id))
                .col(big_integer(R::HazardId))
                .col(big_integer_null(R::EventId))
                .col(date(R::ReviewedOn))
                .col(text(R::Reviewers))
                .col(text(R::Opinion))
                .col(boolean(R::Passed))
                .col(boolean(R::LiftSuspension))
                .col(big_integer_null(R::AuthorId))
                .col(timestamp_with_time_zone(R::CreatedAt))
                .foreign_key(&mut hazard_fk(R::Table, R::HazardId))
                .foreign_key(ForeignKey::create().from(R::Table, R::AuthorId).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(Index::create().name("idx_hazard_reviews_hazard").table(R::Table).col(R::HazardId).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let pg = manager.get_database_backend() == DbBackend::Postgres;
        let columns = [
            ColumnDef::new(Alias::new("assigned_on")).date().null().to_owned(),
            ColumnDef::new(Alias::new("cooperating_units")).text().null().to_owned(),
            ColumnDef::new(Alias::new("resumption_applied_at")).timestamp_with_time_zone().null().to_owned(),
        ];
        for mut c in columns {
            manager.alter_table(Table::alter().table(Hazards::Table).add_column(&mut c).to_owned()).await?;
        }
        // Declared by hand: SQLite takes a REFERENCES clause in ADD COLUMN, not a separate constraint.
        exec(manager, "ALTER TABLE hazards ADD COLUMN supervising_bureau_id BIGINT NULL REFERENCES bureaus (id)")
            .await?;
        let beijing_date =
            if pg { "(assigned_at AT TIME ZONE 'Asia/Shanghai')::date" } else { "date(assigned_at, '+8 hours')" };
        exec(
            manager,
            &format!(
                "UPDATE hazards SET assigned_on = {beijing_date}, supervising_bureau_id = assigning_bureau_id \
                 WHERE assigned_at IS NOT NULL"
            ),
        )
        .await?;
        exec(manager, "ALTER TABLE enterprise_status_history ADD COLUMN event TEXT NULL").await?;
        exec(manager, "ALTER TABLE enterprise_status_history ADD COLUMN hazard_id BIGINT NULL REFERENCES hazards (id)")
            .await?;
        create_plans(manager).await?;
        create_reviews(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(HazardReviews::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(HazardPlans::Table).to_owned()).await?;
        for col in ["assigned_on", "cooperating_units", "resumption_applied_at"] {
            exec(manager, &format!("ALTER TABLE hazards DROP COLUMN {col}")).await?;
        }
        exec(manager, "ALTER TABLE enterprise_status_history DROP COLUMN event").await?;
        // SQLite cannot drop a column that is a foreign key; the column, all null, then stays unused.
        if manager.get_database_backend() == DbBackend::Postgres {
            exec(manager, "ALTER TABLE hazards DROP COLUMN supervising_bureau_id").await?;
            exec(manager, "ALTER TABLE enterprise_status_history DROP COLUMN hazard_id").await
        } else {
            exec(manager, "UPDATE hazards SET supervising_bureau_id = NULL").await?;
            exec(manager, "UPDATE enterprise_status_history SET hazard_id = NULL").await
        }
    }
}
