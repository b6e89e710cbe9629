//! Sessions name the device they were opened on, and a session can be revoked
//! (a lost tablet): the row stays, marked, so the device learns at its next
//! contact that it was revoked and wipes what it holds.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Device,
    RevokedAt,
    RevokedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns = [
            string_len_null(Sessions::Device, 100),
            timestamp_with_time_zone_null(Sessions::RevokedAt),
            big_integer_null(Sessions::RevokedBy),
        ];
        for mut column in columns {
            manager.alter_table(Table::alter().table(Sessions::Table).add_column(&mut column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Sessions::Device, Sessions::RevokedAt, Sessions::RevokedBy] {
            manager.alter_table(Table::alter().table(Sessions::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
