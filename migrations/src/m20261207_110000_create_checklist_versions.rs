//! Checklist versions (检查表版本), issue 11: every version of every checklist this
//! server has known, national (registered from the shipped files at startup,
//! `bureau_id` NULL) and the bureaus' own (uploaded or edited in a page). A version
//! is its content: `content_hash` (SHA-256 of the canonical JSON in `body`) is
//! unique, and no row is ever deleted — inspections and self-inspections pin it.
//! `status`: `current`, `superseded` (a later version of the same checklist) or
//! `retired` (the bureau withdrew the checklist).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChecklistVersions {
    Table,
    Id,
    ChecklistId,
    BureauId,
    Seq,
    Version,
    Title,
    ContentHash,
    Body,
    ItemCount,
    UnverifiedCount,
    Status,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Bureaus {
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
        use ChecklistVersions as V;
        manager
            .create_table(
                Table::create()
                    .table(V::Table)
                    .col(big_pk_auto(V::Id))
                    .col(string_len(V::ChecklistId, 100))
                    .col(big_integer_null(V::BureauId))
                    .col(integer(V::Seq))
                    .col(string_len(V::Version, 100))
                    .col(string_len(V::Title, 200))
                    .col(string_len_uniq(V::ContentHash, 64))
                    .col(text(V::Body))
                    .col(integer(V::ItemCount))
                    .col(integer(V::UnverifiedCount))
                    .col(string_len(V::Status, 20))
                    .col(big_integer_null(V::CreatedBy))
                    .col(timestamp_with_time_zone(V::CreatedAt))
                    .foreign_key(ForeignKey::create().from(V::Table, V::BureauId).to(Bureaus::Table, Bureaus::Id))
                    .foreign_key(ForeignKey::create().from(V::Table, V::CreatedBy).to(Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_checklist_versions_owner")
                    .table(V::Table)
                    .col(V::BureauId)
                    .col(V::ChecklistId)
                    .col(V::Seq)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ChecklistVersions::Table).to_owned()).await
    }
}
