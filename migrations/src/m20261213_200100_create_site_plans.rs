//! The current site plan (平面图) of an enterprise: one row per enterprise,
//! replaced by a new upload. The bytes live in the content store by SHA-256
//! (like attachments); the row keeps the type and the pixel size read from the
//! image header, which the risk map scales its points by.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SitePlans {
    Table,
    Id,
    EnterpriseId,
    Sha256,
    ContentType,
    Width,
    Height,
    Size,
    FileName,
    UploadedBy,
    UploadedAt,
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
        use SitePlans as S;
        let table = Table::create()
            .table(S::Table)
            .col(big_pk_auto(S::Id))
            .col(big_integer(S::EnterpriseId).unique_key())
            .col(string_len(S::Sha256, 64))
            .col(string_len(S::ContentType, 50))
            .col(integer(S::Width))
            .col(integer(S::Height))
            .col(big_integer(S::Size))
            .col(string_len(S::FileName, 200))
            .col(big_integer(S::UploadedBy))
            .col(timestamp_with_time_zone(S::UploadedAt))
            .foreign_key(ForeignKey::create().from(S::Table, S::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
            .foreign_key(ForeignKey::create().from(S::Table, S::UploadedBy).to(Users::Table, Users::Id))
            .to_owned();
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SitePlans::Table).to_owned()).await
    }
}
