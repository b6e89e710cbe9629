//! A to-do's due date (`todos.due_on`, a Beijing date): the deadline of the
//! step it asks for, so that the list shows 逾期 / 今天到期 / N 天后 and sorts
//! by it. Items written before have none and sort last.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn exec(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared(sql).await.map(|_| ())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "ALTER TABLE todos ADD COLUMN due_on DATE NULL").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "ALTER TABLE todos DROP COLUMN due_on").await
    }
}
