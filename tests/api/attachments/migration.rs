//! The migration that gives attachments an owner carries a hazard's
//! attachment over, on SQLite and PostgreSQL.

use crate::helpers::{drop_pg_database, empty_pg_database, pg_admin_url, postgres_or_skip, with_database};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

const MIGRATION: &str = "m20261205_110000_move_attachments_to_owners";

/// sha256, owner type, owner id, step id, purpose, position unavailable.
type Row = (String, Option<String>, Option<i64>, Option<i64>, Option<String>, bool);

async fn carries_a_hazard_attachment_over(db: &DatabaseConnection) {
    let before = Migrator::migrations().iter().position(|m| m.name() == MIGRATION).unwrap();
    Migrator::up(db, Some(u32::try_from(before).unwrap())).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO attachments (sha256, content_type, size, file_name, uploaded_by, uploaded_at, hazard_id, purpose) \
         VALUES ('ab12', 'image/jpeg', 10, '现场.jpg', 3, '2026-11-21 08:00:00+00', 42, 'before'), \
                ('cd34', 'image/png', 20, '未使用.png', 3, '2026-11-21 08:00:00+00', NULL, NULL)",
    )
    .await
    .unwrap();
    Migrator::up(db, None).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT sha256, owner_type, owner_id, step_id, purpose, position_unavailable FROM attachments ORDER BY id",
        ))
        .await
        .unwrap();
    let got: Vec<Row> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "sha256").unwrap(),
                r.try_get("", "owner_type").unwrap(),
                r.try_get("", "owner_id").unwrap(),
                r.try_get("", "step_id").unwrap(),
                r.try_get("", "purpose").unwrap(),
                r.try_get("", "position_unavailable").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ab12".into(), Some("hazard".into()), Some(42), None, Some("before".into()), false),
            ("cd34".into(), None, None, None, None, false),
        ]
    );
    let old =
        db.execute_raw(Statement::from_string(db.get_database_backend(), "SELECT hazard_id FROM attachments")).await;
    assert!(old.is_err(), "hazard_id is gone");
}

#[tokio::test]
async fn the_owner_migration_moves_hazard_attachments_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let db = Database::connect(&url).await.unwrap();
    assert_eq!(db.get_database_backend(), DbBackend::Sqlite);
    carries_a_hazard_attachment_over(&db).await;
}

#[tokio::test]
async fn the_owner_migration_moves_hazard_attachments_on_postgres() {
    if !postgres_or_skip("the_owner_migration_moves_hazard_attachments_on_postgres") {
        return;
    }
    let name = empty_pg_database().await;
    let db = Database::connect(with_database(&pg_admin_url(), &name)).await.unwrap();
    carries_a_hazard_attachment_over(&db).await;
    db.close().await.unwrap();
    drop_pg_database(&name).await;
}
