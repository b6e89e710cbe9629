//! The case list by bureau, status and last change: every list query names the
//! statuses it wants (`status IN (…)`, all of them for the plain list), so SQLite
//! walks `(bureau_id, status, updated_at)` newest first for each pair and stops once
//! it holds a page, instead of reading the bureau's 10,000 cases and sorting them
//! (p99 45 ms → see the README's penalty-case benchmark). Replaces the index on
//! `(bureau_id, status)`, which this one covers.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    BureauId,
    Status,
    UpdatedAt,
}

const OLD: &str = "idx_cases_bureau_status";
const NEW: &str = "idx_cases_bureau_status_updated";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let index = Index::create()
            .name(NEW)
            .table(Cases::Table)
            .col(Cases::BureauId)
            .col(Cases::Status)
            .col(Cases::UpdatedAt)
            .to_owned();
        manager.create_index(index).await?;
        manager.drop_index(Index::drop().name(OLD).table(Cases::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let old = Index::create().name(OLD).table(Cases::Table).col(Cases::BureauId).col(Cases::Status).to_owned();
        manager.create_index(old).await?;
        manager.drop_index(Index::drop().name(NEW).table(Cases::Table).to_owned()).await
    }
}
