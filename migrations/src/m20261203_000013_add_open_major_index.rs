//! A small partial index over the open major hazards, for the jobs that look
//! only at them (escalation, the review reminder, the bulletins' overdue
//! majors): a few per cent of the ledger, instead of every open hazard.
//! Queries must spell the condition with literals (`is_open = TRUE AND level =
//! 'major'`) for SQLite to use it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_hazards_open_major ON hazards (status, deadline) \
                 WHERE is_open = TRUE AND level = 'major'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX idx_hazards_open_major").await?;
        Ok(())
    }
}
