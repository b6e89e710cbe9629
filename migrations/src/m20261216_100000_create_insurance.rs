//! Safety-production liability insurance (安全生产责任保险, 安责险): insurers as
//! organisations with their own users, the policies of the register's
//! enterprises, and the reminders and lapse notices already sent (so a re-run of
//! the nightly job never sends twice).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum Insurers {
    Table,
    Id,
    Name,
    CreditCode,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InsurerUsers {
    Table,
    UserId,
    InsurerId,
}

#[derive(DeriveIden)]
enum InsurancePolicies {
    Table,
    Id,
    EnterpriseId,
    InsurerId,
    PolicyNo,
    StartsOn,
    EndsOn,
    PremiumYuan,
    InsuredHeadcount,
    DeathDisabilityLimitYuan,
    CancelledOn,
    CancelReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InsuranceNotices {
    Table,
    Id,
    PolicyId,
    Kind,
    SentAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

fn insurers() -> TableCreateStatement {
    Table::create()
        .table(Insurers::Table)
        .col(big_pk_auto(Insurers::Id))
        .col(string_len_uniq(Insurers::Name, 200))
        .col(string_len_null(Insurers::CreditCode, 18).unique_key())
        .col(timestamp_with_time_zone(Insurers::CreatedAt))
        .to_owned()
}

fn insurer_users() -> TableCreateStatement {
    Table::create()
        .table(InsurerUsers::Table)
        .col(big_integer(InsurerUsers::UserId).primary_key())
        .col(big_integer(InsurerUsers::InsurerId))
        .foreign_key(ForeignKey::create().from(InsurerUsers::Table, InsurerUsers::UserId).to(Users::Table, Users::Id))
        .foreign_key(
            ForeignKey::create().from(InsurerUsers::Table, InsurerUsers::InsurerId).to(Insurers::Table, Insurers::Id),
        )
        .to_owned()
}

fn policies() -> TableCreateStatement {
    use InsurancePolicies as P;
    Table::create()
        .table(P::Table)
        .col(big_pk_auto(P::Id))
        .col(big_integer(P::EnterpriseId))
        .col(big_integer(P::InsurerId))
        .col(string_len(P::PolicyNo, 100))
        .col(date(P::StartsOn))
        .col(date(P::EndsOn))
        .col(big_integer(P::PremiumYuan))
        .col(integer(P::InsuredHeadcount))
        .col(big_integer(P::DeathDisabilityLimitYuan))
        .col(date_null(P::CancelledOn))
        .col(text_null(P::CancelReason))
        .col(big_integer(P::CreatedBy))
        .col(timestamp_with_time_zone(P::CreatedAt))
        .col(timestamp_with_time_zone(P::UpdatedAt))
        .foreign_key(ForeignKey::create().from(P::Table, P::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
        .foreign_key(ForeignKey::create().from(P::Table, P::InsurerId).to(Insurers::Table, Insurers::Id))
        .to_owned()
}

fn notices() -> TableCreateStatement {
    use InsuranceNotices as N;
    Table::create()
        .table(N::Table)
        .col(big_pk_auto(N::Id))
        .col(big_integer(N::PolicyId))
        .col(string_len(N::Kind, 40))
        .col(timestamp_with_time_zone(N::SentAt))
        .foreign_key(
            ForeignKey::create().from(N::Table, N::PolicyId).to(InsurancePolicies::Table, InsurancePolicies::Id),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(insurers()).await?;
        manager.create_table(insurer_users()).await?;
        manager.create_table(policies()).await?;
        for (name, cols) in [
            ("ux_insurance_policies_insurer_no", vec![InsurancePolicies::InsurerId, InsurancePolicies::PolicyNo]),
            ("ix_insurance_policies_enterprise", vec![InsurancePolicies::EnterpriseId, InsurancePolicies::EndsOn]),
            ("ix_insurance_policies_ends_on", vec![InsurancePolicies::EndsOn]),
        ] {
            let mut idx = Index::create().name(name).table(InsurancePolicies::Table).to_owned();
            for c in cols {
                idx.col(c);
            }
            if name.starts_with("ux_") {
                idx.unique();
            }
            manager.create_index(idx).await?;
        }
        manager.create_table(notices()).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_insurance_notices_policy_kind")
                    .table(InsuranceNotices::Table)
                    .col(InsuranceNotices::PolicyId)
                    .col(InsuranceNotices::Kind)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(InsuranceNotices::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(InsurancePolicies::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(InsurerUsers::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Insurers::Table).to_owned()).await
    }
}
