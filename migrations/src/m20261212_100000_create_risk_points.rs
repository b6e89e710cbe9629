//! Risk points (风险点) of an enterprise, each graded by LEC or LS with the rule set
//! it was graded under; the direct-red conditions that held are kept with it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RiskPoints {
    Table,
    Id,
    EnterpriseId,
    Name,
    Location,
    HazardFactors,
    Method,
    L,
    E,
    C,
    S,
    Score,
    ScoredLevel,
    Level,
    DirectRed,
    RulesVersion,
    ControlMeasures,
    EmergencyMeasures,
    OwningLevel,
    ResponsiblePerson,
    InstallationGrade,
    PeopleExposed,
    FatalAccidentUnchanged,
    ReviewDue,
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
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use RiskPoints as R;
        let table = Table::create()
            .table(R::Table)
            .col(big_pk_auto(R::Id))
            .col(big_integer(R::EnterpriseId))
            .col(string_len(R::Name, 200))
            .col(string_len(R::Location, 500))
            .col(text(R::HazardFactors))
            .col(string_len(R::Method, 10))
            .col(double(R::L))
            .col(double_null(R::E))
            .col(double_null(R::C))
            .col(double_null(R::S))
            .col(double(R::Score))
            .col(string_len(R::ScoredLevel, 10))
            .col(string_len(R::Level, 10))
            .col(string_len(R::DirectRed, 200))
            .col(string_len(R::RulesVersion, 100))
            .col(text(R::ControlMeasures))
            .col(text(R::EmergencyMeasures))
            .col(string_len(R::OwningLevel, 20))
            .col(string_len(R::ResponsiblePerson, 100))
            .col(small_integer_null(R::InstallationGrade))
            .col(integer_null(R::PeopleExposed))
            .col(boolean(R::FatalAccidentUnchanged))
            .col(date(R::ReviewDue))
            .col(big_integer(R::CreatedBy))
            .col(timestamp_with_time_zone(R::CreatedAt))
            .col(timestamp_with_time_zone(R::UpdatedAt))
            .foreign_key(ForeignKey::create().from(R::Table, R::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
            .foreign_key(ForeignKey::create().from(R::Table, R::CreatedBy).to(Users::Table, Users::Id))
            .to_owned();
        manager.create_table(table).await?;
        let by = Index::create()
            .name("idx_risk_points_enterprise_level")
            .table(R::Table)
            .col(R::EnterpriseId)
            .col(R::Level)
            .to_owned();
        manager.create_index(by).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RiskPoints::Table).to_owned()).await
    }
}
