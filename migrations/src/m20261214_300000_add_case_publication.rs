//! Penalty cases after the decision: publication on the public site (安全生产法
//! art. 78) and its withdrawal when the decision is revoked, and the case an
//! art. 112 daily-penalty proposal grew from.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    PublishedAt,
    RevokedOn,
    WithdrawnAt,
    OriginCaseId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            timestamp_with_time_zone_null(Cases::PublishedAt),
            date_null(Cases::RevokedOn),
            timestamp_with_time_zone_null(Cases::WithdrawnAt),
            big_integer_null(Cases::OriginCaseId),
        ];
        // One column per statement: SQLite alters one column at a time.
        for mut c in columns {
            manager.alter_table(Table::alter().table(Cases::Table).add_column(&mut c).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in [Cases::PublishedAt, Cases::RevokedOn, Cases::WithdrawnAt, Cases::OriginCaseId] {
            manager.alter_table(Table::alter().table(Cases::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
