//! The hazard category dictionary becomes per province: `province_code` (the
//! province's 6-digit region code, e.g. `420000`) names the province that
//! keeps a category; the shipped categories have none and are offered
//! everywhere. `sector` optionally limits a category to one sector. Codes stay
//! unique across the table (a hazard stores the code).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn exec(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared(sql).await.map(|_| ())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "ALTER TABLE hazard_categories ADD COLUMN province_code VARCHAR NULL").await?;
        exec(manager, "ALTER TABLE hazard_categories ADD COLUMN sector VARCHAR NULL").await?;
        exec(manager, "CREATE INDEX idx_hazard_categories_province ON hazard_categories (province_code, sort)").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DROP INDEX idx_hazard_categories_province").await?;
        exec(manager, "ALTER TABLE hazard_categories DROP COLUMN sector").await?;
        exec(manager, "ALTER TABLE hazard_categories DROP COLUMN province_code").await
    }
}
