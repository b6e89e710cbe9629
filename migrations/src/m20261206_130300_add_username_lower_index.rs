//! Usernames are case-insensitive (credit codes are printed in capitals, the
//! generated accounts are lower case): a unique index on `LOWER(username)`,
//! which both SQLite and PostgreSQL accept, refuses a second account that
//! differs only in case, and serves the login lookup. A database already
//! holding two such accounts fails this migration with the index's name; rename
//! one of them first.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn exec(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared(sql).await.map(|_| ())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "CREATE UNIQUE INDEX idx_users_username_lower ON users (LOWER(username))").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DROP INDEX idx_users_username_lower").await
    }
}
