//! The latest change of the register and of the 安责险 policies, read by an index:
//! the coverage figures are reused while neither changed (`insurance::coverage`),
//! and that check must cost a few index pages, not a scan of 100,000 enterprises.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InsurancePolicies {
    Table,
    UpdatedAt,
}

const ENTERPRISES: &str = "idx_enterprises_updated_at";
const POLICIES: &str = "idx_insurance_policies_updated_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let e = Index::create().name(ENTERPRISES).table(Enterprises::Table).col(Enterprises::UpdatedAt).to_owned();
        manager.create_index(e).await?;
        let p =
            Index::create().name(POLICIES).table(InsurancePolicies::Table).col(InsurancePolicies::UpdatedAt).to_owned();
        manager.create_index(p).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(POLICIES).table(InsurancePolicies::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name(ENTERPRISES).table(Enterprises::Table).to_owned()).await
    }
}
