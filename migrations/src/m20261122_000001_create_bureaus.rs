//! Bureaus (监管机构): a tree keyed by region code; parks carry their own codes.

use crate::iden::Bureaus;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Bureaus::Table)
                    .col(big_pk_auto(Bureaus::Id))
                    .col(string_uniq(Bureaus::Code))
                    .col(string(Bureaus::Name))
                    .col(string(Bureaus::Kind))
                    .col(string(Bureaus::RegionCode))
                    .col(big_integer_null(Bureaus::ParentId))
                    .col(string(Bureaus::Path))
                    .col(timestamp_with_time_zone(Bureaus::CreatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Bureaus::Table, Bureaus::ParentId).to(Bureaus::Table, Bureaus::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_bureaus_path").table(Bureaus::Table).col(Bureaus::Path).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Bureaus::Table).to_owned()).await
    }
}
