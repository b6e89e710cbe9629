//! Imported holiday overrides (节假日与调休): one row per exceptional date,
//! merged over the shipped `data/holidays.tsv`; a row here wins for its date.

use crate::iden::{Holidays, Users};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Holidays::Table)
                    .col(date(Holidays::Day).primary_key())
                    // `off` (休) or `work` (班).
                    .col(string(Holidays::Kind).check(Expr::col(Holidays::Kind).is_in(["off", "work"])))
                    .col(string_null(Holidays::Name))
                    .col(timestamp_with_time_zone(Holidays::ImportedAt))
                    .col(big_integer_null(Holidays::ImportedBy))
                    .foreign_key(
                        ForeignKey::create().from(Holidays::Table, Holidays::ImportedBy).to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Holidays::Table).to_owned()).await
    }
}
