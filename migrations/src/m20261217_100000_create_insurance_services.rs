//! 安责险 accident-prevention services (事故预防服务): what an insurer did for an
//! insured enterprise under a policy (kind, day, cost, who, a summary), and the
//! hazards a hazard-inspection service found (`insurance_service_hazards`, each a
//! row of the ledger with source `insurer_service`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum InsuranceServices {
    Table,
    Id,
    PolicyId,
    EnterpriseId,
    InsurerId,
    Kind,
    ServedOn,
    CostYuan,
    Provider,
    Experts,
    Summary,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InsuranceServiceHazards {
    Table,
    ServiceId,
    HazardId,
}

#[derive(DeriveIden)]
enum InsurancePolicies {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Insurers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Hazards {
    Table,
    Id,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

fn services() -> TableCreateStatement {
    use InsuranceServices as S;
    Table::create()
        .table(S::Table)
        .col(big_pk_auto(S::Id))
        .col(big_integer(S::PolicyId))
        .col(big_integer(S::EnterpriseId))
        .col(big_integer(S::InsurerId))
        .col(string_len(S::Kind, 40))
        .col(date(S::ServedOn))
        .col(big_integer(S::CostYuan))
        .col(string_len(S::Provider, 200))
        .col(string_len_null(S::Experts, 200))
        .col(text(S::Summary))
        .col(big_integer(S::CreatedBy))
        .col(timestamp_with_time_zone(S::CreatedAt))
        .foreign_key(
            ForeignKey::create().from(S::Table, S::PolicyId).to(InsurancePolicies::Table, InsurancePolicies::Id),
        )
        .foreign_key(ForeignKey::create().from(S::Table, S::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
        .foreign_key(ForeignKey::create().from(S::Table, S::InsurerId).to(Insurers::Table, Insurers::Id))
        .to_owned()
}

fn service_hazards() -> TableCreateStatement {
    use InsuranceServiceHazards as L;
    Table::create()
        .table(L::Table)
        .col(big_integer(L::ServiceId))
        .col(big_integer(L::HazardId).primary_key())
        .foreign_key(
            ForeignKey::create().from(L::Table, L::ServiceId).to(InsuranceServices::Table, InsuranceServices::Id),
        )
        .foreign_key(ForeignKey::create().from(L::Table, L::HazardId).to(Hazards::Table, Hazards::Id))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use InsuranceServices as S;
        manager.create_table(services()).await?;
        for (name, cols) in [
            ("ix_insurance_services_policy", [S::PolicyId, S::ServedOn]),
            ("ix_insurance_services_enterprise", [S::EnterpriseId, S::ServedOn]),
            ("ix_insurance_services_insurer", [S::InsurerId, S::ServedOn]),
        ] {
            let mut idx = Index::create().name(name).table(S::Table).to_owned();
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx).await?;
        }
        manager.create_table(service_hazards()).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_insurance_service_hazards_service")
                    .table(InsuranceServiceHazards::Table)
                    .col(InsuranceServiceHazards::ServiceId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(InsuranceServiceHazards::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(InsuranceServices::Table).to_owned()).await
    }
}
