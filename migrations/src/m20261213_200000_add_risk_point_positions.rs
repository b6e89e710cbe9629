//! Where a risk point sits on its enterprise's site plan (`plan_x`, `plan_y`,
//! fractions 0–1 of the plan's width and height; empty until placed), and the
//! unguessable token of its public notice board (`board_token`, 64 hex
//! characters, unique). Existing points get a token from the database's own
//! random source (SQLite `randomblob`, PostgreSQL `gen_random_uuid`); new
//! points get one from the application.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RiskPoints {
    Table,
    PlanX,
    PlanY,
    BoardToken,
}

const INDEX: &str = "idx_risk_points_board_token";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use RiskPoints as R;
        for col in [double_null(R::PlanX), double_null(R::PlanY), string_len_null(R::BoardToken, 64)] {
            let mut col = col;
            manager.alter_table(Table::alter().table(R::Table).add_column(&mut col).to_owned()).await?;
        }
        let fill = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "UPDATE risk_points SET board_token = replace(gen_random_uuid()::text, '-', '') \
                 || replace(gen_random_uuid()::text, '-', '') WHERE board_token IS NULL"
            }
            _ => "UPDATE risk_points SET board_token = lower(hex(randomblob(32))) WHERE board_token IS NULL",
        };
        manager.get_connection().execute_unprepared(fill).await?;
        let index = Index::create().name(INDEX).table(R::Table).col(R::BoardToken).unique().to_owned();
        manager.create_index(index).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use RiskPoints as R;
        manager.drop_index(Index::drop().name(INDEX).table(R::Table).to_owned()).await?;
        for col in [R::PlanX, R::PlanY, R::BoardToken] {
            manager.alter_table(Table::alter().table(R::Table).drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}
