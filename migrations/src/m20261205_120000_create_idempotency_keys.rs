//! Stored answers to keyed writes (`Idempotency-Key`): one row per (user, key),
//! inserted before the handler runs (the claim) and completed with the first
//! response, so a retry gets that response back instead of a second record.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Id,
    UserId,
    IdemKey,
    RequestHash,
    Completed,
    Status,
    ContentType,
    Body,
    CreatedAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use IdempotencyKeys as K;
        manager
            .create_table(
                Table::create()
                    .table(K::Table)
                    .col(big_pk_auto(K::Id))
                    .col(big_integer(K::UserId))
                    .col(string_len(K::IdemKey, 255))
                    .col(string_len(K::RequestHash, 64))
                    .col(boolean(K::Completed))
                    .col(integer_null(K::Status))
                    .col(string_len_null(K::ContentType, 255))
                    .col(blob_null(K::Body))
                    .col(timestamp_with_time_zone(K::CreatedAt))
                    .col(timestamp_with_time_zone_null(K::CompletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(K::Table, K::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_keys_user_key")
                    .table(K::Table)
                    .col(K::UserId)
                    .col(K::IdemKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_idempotency_keys_created_at").table(K::Table).col(K::CreatedAt).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned()).await
    }
}
