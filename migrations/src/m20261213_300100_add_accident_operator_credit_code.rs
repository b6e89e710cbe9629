//! An operator outside the register may be named with its 统一社会信用代码.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accidents {
    Table,
    OperatorCreditCode,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut column = string_len_null(Accidents::OperatorCreditCode, 18);
        manager.alter_table(Table::alter().table(Accidents::Table).add_column(&mut column).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drop = Table::alter().table(Accidents::Table).drop_column(Accidents::OperatorCreditCode).to_owned();
        manager.alter_table(drop).await
    }
}
