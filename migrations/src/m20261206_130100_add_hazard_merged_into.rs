//! `hazards.merged_into`: a record voided as a duplicate points at the record
//! of the same hazard that was kept (合并重复记录).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn exec(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared(sql).await.map(|_| ())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Declared by hand: SQLite takes a REFERENCES clause in ADD COLUMN, not a separate constraint.
        exec(manager, "ALTER TABLE hazards ADD COLUMN merged_into BIGINT NULL REFERENCES hazards (id)").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "ALTER TABLE hazards DROP COLUMN merged_into").await
    }
}
