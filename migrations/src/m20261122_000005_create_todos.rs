//! In-app to-do items (待办): one row per person or role and cause, never duplicated.

use crate::iden::{Todos, Users};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Todos::Table)
                    .col(big_pk_auto(Todos::Id))
                    .col(big_integer_null(Todos::UserId))
                    .col(big_integer_null(Todos::BureauId))
                    .col(big_integer_null(Todos::EnterpriseId))
                    .col(string_null(Todos::Role))
                    .col(string(Todos::Kind))
                    .col(string(Todos::Title))
                    .col(string(Todos::Link))
                    .col(string_uniq(Todos::DedupeKey))
                    .col(timestamp_with_time_zone(Todos::CreatedAt))
                    .col(timestamp_with_time_zone_null(Todos::DoneAt))
                    .foreign_key(ForeignKey::create().from(Todos::Table, Todos::UserId).to(Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_todos_user_open")
                    .table(Todos::Table)
                    .col(Todos::UserId)
                    .col(Todos::DoneAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Todos::Table).to_owned()).await
    }
}
