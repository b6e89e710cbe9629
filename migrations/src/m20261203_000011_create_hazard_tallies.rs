//! Hazard tallies: how many hazards each bureau has per (sector, level, status),
//! kept by triggers on `hazards`, so that the counts of a scope read a few
//! hundred rows instead of scanning every hazard in it.
//!
//! The triggers fire on insert, delete and on updates that change one of the
//! four keys, whoever writes (the services, an import, a bulk load), so the
//! tallies always equal `GROUP BY` over `hazards`. A hazard without a sector
//! (an operator not in the register) is tallied under the sector `''`.
//!
//! The migration runs in one transaction (on SQLite too), triggers first, then
//! the back-fill, with the ledger locked against writers on PostgreSQL, so no
//! hazard is counted twice or missed.
//!
//! On PostgreSQL an update touches two tally rows; the function takes them in
//! key order, so two single-hazard steps never wait for each other in a cycle.
//! Writers of many hazards take them in a fixed order too (the ledger import
//! sorts its rows by tally key; a transfer goes by level and status). Writers
//! of the same bureau, sector, level and status queue briefly on the row, as
//! with any counter; should PostgreSQL still find a deadlock, it aborts one
//! transaction and nothing is half written.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HazardTallies {
    Table,
    BureauId,
    Sector,
    Level,
    Status,
    N,
}

const BACKFILL: &str = "INSERT INTO hazard_tallies (bureau_id, sector, level, status, n) \
    SELECT bureau_id, COALESCE(sector, ''), level, status, COUNT(*) FROM hazards \
    GROUP BY bureau_id, COALESCE(sector, ''), level, status";

const KEYS_CHANGED: &str = "OLD.bureau_id IS NOT NEW.bureau_id OR OLD.sector IS NOT NEW.sector \
    OR OLD.level IS NOT NEW.level OR OLD.status IS NOT NEW.status";

fn sqlite_up(which: &str) -> String {
    format!(
        "INSERT INTO hazard_tallies (bureau_id, sector, level, status, n) \
         VALUES ({which}.bureau_id, COALESCE({which}.sector, ''), {which}.level, {which}.status, 1) \
         ON CONFLICT (bureau_id, sector, level, status) DO UPDATE SET n = n + 1;"
    )
}

fn sqlite_down(which: &str) -> String {
    format!(
        "UPDATE hazard_tallies SET n = n - 1 WHERE bureau_id = {which}.bureau_id \
         AND sector = COALESCE({which}.sector, '') AND level = {which}.level AND status = {which}.status;"
    )
}

fn sqlite_triggers() -> Vec<String> {
    vec![
        format!("CREATE TRIGGER hazard_tally_insert AFTER INSERT ON hazards BEGIN {} END", sqlite_up("NEW")),
        format!("CREATE TRIGGER hazard_tally_delete AFTER DELETE ON hazards BEGIN {} END", sqlite_down("OLD")),
        format!(
            "CREATE TRIGGER hazard_tally_update AFTER UPDATE OF bureau_id, sector, level, status ON hazards \
             WHEN {KEYS_CHANGED} BEGIN {} {} END",
            sqlite_down("OLD"),
            sqlite_up("NEW")
        ),
    ]
}

const PG_FUNCTION: &str = r"
CREATE FUNCTION hazard_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_key text;
  new_key text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM hazard_tally_add(NEW.bureau_id, NEW.sector, NEW.level, NEW.status, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM hazard_tally_add(OLD.bureau_id, OLD.sector, OLD.level, OLD.status, -1);
  ELSE
    old_key := concat_ws('|', OLD.bureau_id, OLD.sector, OLD.level, OLD.status);
    new_key := concat_ws('|', NEW.bureau_id, NEW.sector, NEW.level, NEW.status);
    IF old_key < new_key THEN
      PERFORM hazard_tally_add(OLD.bureau_id, OLD.sector, OLD.level, OLD.status, -1);
      PERFORM hazard_tally_add(NEW.bureau_id, NEW.sector, NEW.level, NEW.status, 1);
    ELSE
      PERFORM hazard_tally_add(NEW.bureau_id, NEW.sector, NEW.level, NEW.status, 1);
      PERFORM hazard_tally_add(OLD.bureau_id, OLD.sector, OLD.level, OLD.status, -1);
    END IF;
  END IF;
  RETURN NULL;
END $$";

const PG_ADD: &str = r"
CREATE FUNCTION hazard_tally_add(b bigint, s text, l text, st text, d integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO hazard_tallies (bureau_id, sector, level, status, n) VALUES (b, COALESCE(s, ''), l, st, d)
  ON CONFLICT (bureau_id, sector, level, status) DO UPDATE SET n = hazard_tallies.n + EXCLUDED.n
$$";

fn pg_statements() -> Vec<String> {
    let changed = KEYS_CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ");
    vec![
        PG_ADD.to_owned(),
        PG_FUNCTION.to_owned(),
        "CREATE TRIGGER hazard_tally_insert_delete AFTER INSERT OR DELETE ON hazards \
         FOR EACH ROW EXECUTE FUNCTION hazard_tally()"
            .to_owned(),
        format!(
            "CREATE TRIGGER hazard_tally_update AFTER UPDATE OF bureau_id, sector, level, status ON hazards \
             FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION hazard_tally()"
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HazardTallies::Table)
                    .col(big_integer(HazardTallies::BureauId))
                    .col(string(HazardTallies::Sector))
                    .col(string(HazardTallies::Level))
                    .col(string(HazardTallies::Status))
                    .col(big_integer(HazardTallies::N))
                    .primary_key(
                        Index::create()
                            .col(HazardTallies::BureauId)
                            .col(HazardTallies::Sector)
                            .col(HazardTallies::Level)
                            .col(HazardTallies::Status),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let statements = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared("LOCK TABLE hazards IN SHARE ROW EXCLUSIVE MODE").await?;
                pg_statements()
            }
            _ => sqlite_triggers(),
        };
        for s in statements {
            db.execute_unprepared(&s).await?;
        }
        db.execute_unprepared(BACKFILL).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let drops: &[&str] = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => &[
                "DROP TRIGGER IF EXISTS hazard_tally_update ON hazards",
                "DROP TRIGGER IF EXISTS hazard_tally_insert_delete ON hazards",
                "DROP FUNCTION IF EXISTS hazard_tally()",
                "DROP FUNCTION IF EXISTS hazard_tally_add(bigint, text, text, text, integer)",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS hazard_tally_update",
                "DROP TRIGGER IF EXISTS hazard_tally_delete",
                "DROP TRIGGER IF EXISTS hazard_tally_insert",
            ],
        };
        for s in drops {
            db.execute_unprepared(s).await?;
        }
        manager.drop_table(Table::drop().table(HazardTallies::Table).to_owned()).await
    }
}
