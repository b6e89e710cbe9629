//! Item outcomes carry a `version`, and a write made from an older version than the
//! stored one is kept apart instead of overwriting it (`inspection_result_conflicts`):
//! two tablets, or a tablet and the server, that changed the same item. The stored
//! outcome stays until an inspector of the team chooses; both are kept afterwards,
//! with who chose what.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InspectionResults {
    Table,
    Version,
}

#[derive(DeriveIden)]
enum InspectionResultConflicts {
    Table,
    Id,
    InspectionId,
    ItemCode,
    Outcome,
    Note,
    BaseVersion,
    ServerVersion,
    CreatedBy,
    CreatedAt,
    Resolution,
    ResolvedBy,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum Inspections {
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
        use InspectionResultConflicts as C;
        let add = Table::alter()
            .table(InspectionResults::Table)
            .add_column(integer(InspectionResults::Version).default(1))
            .to_owned();
        manager.alter_table(add).await?;
        let table = Table::create()
            .table(C::Table)
            .col(big_pk_auto(C::Id))
            .col(big_integer(C::InspectionId))
            .col(string_len(C::ItemCode, 100))
            .col(string_len(C::Outcome, 20))
            .col(text_null(C::Note))
            .col(integer(C::BaseVersion))
            .col(integer(C::ServerVersion))
            .col(big_integer(C::CreatedBy))
            .col(timestamp_with_time_zone(C::CreatedAt))
            .col(string_len_null(C::Resolution, 20))
            .col(big_integer_null(C::ResolvedBy))
            .col(timestamp_with_time_zone_null(C::ResolvedAt))
            .foreign_key(ForeignKey::create().from(C::Table, C::InspectionId).to(Inspections::Table, Inspections::Id))
            .foreign_key(ForeignKey::create().from(C::Table, C::CreatedBy).to(Users::Table, Users::Id))
            .to_owned();
        manager.create_table(table).await?;
        let by = Index::create()
            .name("idx_inspection_result_conflicts_inspection")
            .table(C::Table)
            .col(C::InspectionId)
            .col(C::ItemCode)
            .to_owned();
        manager.create_index(by).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(InspectionResultConflicts::Table).to_owned()).await?;
        let drop = Table::alter().table(InspectionResults::Table).drop_column(InspectionResults::Version).to_owned();
        manager.alter_table(drop).await
    }
}
