//! Attachments for any record: `hazard_id` becomes an owner (`owner_type`,
//! `owner_id`) plus the timeline step it belongs to (`step_id`), and each file
//! gains its capture metadata (time, position or "unavailable", device).
//! Existing rows move over as `owner_type = 'hazard'`; `hazard_id` is dropped.
//! Columns are added one statement at a time (SQLite alters one thing per
//! statement); the index on `hazard_id` goes before the column (SQLite refuses
//! to drop an indexed column).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Attachments {
    Table,
    HazardId,
    OwnerType,
    OwnerId,
    StepId,
    CapturedAt,
    Latitude,
    Longitude,
    AccuracyM,
    PositionUnavailable,
    Device,
}

fn new_columns() -> Vec<ColumnDef> {
    vec![
        ColumnDef::new(Attachments::OwnerType).string().null().to_owned(),
        ColumnDef::new(Attachments::OwnerId).big_integer().null().to_owned(),
        ColumnDef::new(Attachments::StepId).big_integer().null().to_owned(),
        ColumnDef::new(Attachments::CapturedAt).timestamp_with_time_zone().null().to_owned(),
        ColumnDef::new(Attachments::Latitude).double().null().to_owned(),
        ColumnDef::new(Attachments::Longitude).double().null().to_owned(),
        ColumnDef::new(Attachments::AccuracyM).double().null().to_owned(),
        ColumnDef::new(Attachments::PositionUnavailable).boolean().not_null().default(false).to_owned(),
        ColumnDef::new(Attachments::Device).string().null().to_owned(),
    ]
}

async fn add(manager: &SchemaManager<'_>, mut col: ColumnDef) -> Result<(), DbErr> {
    manager.alter_table(Table::alter().table(Attachments::Table).add_column(&mut col).to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in new_columns() {
            add(manager, col).await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE attachments SET owner_type = 'hazard', owner_id = hazard_id WHERE hazard_id IS NOT NULL",
        )
        .await?;
        db.execute_unprepared("DROP INDEX idx_attachments_hazard").await?;
        db.execute_unprepared("ALTER TABLE attachments DROP COLUMN hazard_id").await?;
        db.execute_unprepared("CREATE INDEX idx_attachments_owner ON attachments (owner_type, owner_id)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(manager, ColumnDef::new(Attachments::HazardId).big_integer().null().to_owned()).await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE attachments SET hazard_id = owner_id WHERE owner_type = 'hazard'").await?;
        db.execute_unprepared("DROP INDEX idx_attachments_owner").await?;
        for col in new_columns() {
            let name = col.get_column_name();
            db.execute_unprepared(&format!("ALTER TABLE attachments DROP COLUMN {name}")).await?;
        }
        db.execute_unprepared("CREATE INDEX idx_attachments_hazard ON attachments (hazard_id)").await?;
        Ok(())
    }
}
