//! The ledger's rules, corrected (issue 10): columns of `hazards` for
//! - `origin_closure`: who closes the hazard while it is general (the
//!   enterprise, the inspector's 复查, the regulators), stored at intake so that
//!   a major hazard re-graded as general goes back to it;
//! - the people of a rectification: `rectifier_name` (整改责任人, named at the
//!   submission), `acceptor_name` and `accepted_by` (验收人 and the account that
//!   recorded the acceptance);
//! - who asked: `extension_requested_by` (decided by someone else) and a void
//!   waiting for an approver (`void_requested_by`, `void_reason`).
//!
//! Backfill of `origin_closure` for existing rows, the intake rule applied to
//! what the row says: an inspection finding → `inspector`; a hazard recorded by
//! an enterprise user (its `created_by` has no bureau) → `enterprise`; any other
//! (a bureau channel, an import by a regulator, no recorded author) →
//! `regulator`. The column is declared with the default `regulator` so that
//! SQLite can add it as NOT NULL; every insert sets it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The nullable columns and their SQL types.
const COLUMNS: &[(&str, &str)] = &[
    ("rectifier_name", "TEXT"),
    ("acceptor_name", "TEXT"),
    ("accepted_by", "BIGINT"),
    ("extension_requested_by", "BIGINT"),
    ("void_requested_by", "BIGINT"),
    ("void_reason", "TEXT"),
];

const BACKFILL: &str = "UPDATE hazards SET origin_closure = CASE \
    WHEN source = 'inspection' THEN 'inspector' \
    WHEN created_by IN (SELECT u.id FROM users u WHERE u.bureau_id IS NULL) THEN 'enterprise' \
    ELSE 'regulator' END";

async fn exec(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared(sql).await.map(|_| ())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "ALTER TABLE hazards ADD COLUMN origin_closure TEXT NOT NULL DEFAULT 'regulator'").await?;
        exec(manager, BACKFILL).await?;
        for (name, kind) in COLUMNS {
            exec(manager, &format!("ALTER TABLE hazards ADD COLUMN {name} {kind} NULL")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in COLUMNS.iter().rev() {
            exec(manager, &format!("ALTER TABLE hazards DROP COLUMN {name}")).await?;
        }
        exec(manager, "ALTER TABLE hazards DROP COLUMN origin_closure").await
    }
}
