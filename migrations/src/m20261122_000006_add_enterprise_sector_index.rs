//! An index on (sector, id): a sector-filtered page of the register is read in id
//! order and stops after one page.

use crate::iden::Enterprises;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "idx_enterprises_sector_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Enterprises::Table)
                    .col(Enterprises::Sector)
                    .col(Enterprises::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(Enterprises::Table).to_owned()).await
    }
}
