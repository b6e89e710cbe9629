//! The frozen pools of the draws move out of the draw row into `draw_pools`: one row
//! per draw with the pool's `format` and `body` (see `src/draw/pool_codec.rs`). A
//! million-enterprise pool is tens of megabytes; inside `draws` every status change
//! rewrote it and every read of the draw carried it. Existing pools move as they are,
//! with `format = 'json'`; new ones are written as `anjian-pool-v1`.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DrawPools {
    Table,
    DrawId,
    Format,
    Body,
}

#[derive(DeriveIden)]
enum Draws {
    Table,
    Id,
    Pool,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use DrawPools as P;
        let table = Table::create()
            .table(P::Table)
            .col(big_integer(P::DrawId).primary_key())
            .col(string_len(P::Format, 40))
            .col(blob(P::Body))
            .foreign_key(ForeignKey::create().from(P::Table, P::DrawId).to(Draws::Table, Draws::Id))
            .to_owned();
        manager.create_table(table).await?;
        let bytes = match manager.get_database_backend() {
            DbBackend::Postgres => "convert_to(pool, 'UTF8')",
            _ => "CAST(pool AS BLOB)",
        };
        let copy = format!("INSERT INTO draw_pools (draw_id, format, body) SELECT id, 'json', {bytes} FROM draws");
        manager.get_connection().execute_unprepared(&copy).await?;
        manager.alter_table(Table::alter().table(Draws::Table).drop_column(Draws::Pool).to_owned()).await
    }

    /// Back to the JSON column: pools stored as JSON return; a draw committed since
    /// (binary pool) keeps an empty pool, and its proof can no longer be served.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let add = Table::alter().table(Draws::Table).add_column(text(Draws::Pool).default("")).to_owned();
        manager.alter_table(add).await?;
        let text = match manager.get_database_backend() {
            DbBackend::Postgres => "convert_from(p.body, 'UTF8')",
            _ => "CAST(p.body AS TEXT)",
        };
        let back = format!(
            "UPDATE draws SET pool = (SELECT {text} FROM draw_pools p WHERE p.draw_id = draws.id AND p.format = 'json') \
             WHERE id IN (SELECT draw_id FROM draw_pools WHERE format = 'json')"
        );
        manager.get_connection().execute_unprepared(&back).await?;
        manager.drop_table(Table::drop().table(DrawPools::Table).to_owned()).await
    }
}
