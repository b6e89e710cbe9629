//! The migration that stores the origin closer fills it for existing hazards
//! by the intake rule (an inspection → the inspector; a report by an
//! enterprise user → the enterprise; any other → the regulators), on SQLite
//! and PostgreSQL.

use crate::helpers::{drop_pg_database, empty_pg_database, pg_admin_url, postgres_or_skip, with_database};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

const MIGRATION: &str = "m20261206_100000_add_hazard_origin_and_people";

async fn fills_the_origin_closer(db: &DatabaseConnection) {
    let before = Migrator::migrations().iter().position(|m| m.name() == MIGRATION).unwrap();
    Migrator::up(db, Some(u32::try_from(before).unwrap())).await.unwrap();
    let at = "'2026-11-21 08:00:00+00'";
    db.execute_unprepared(&format!(
        "INSERT INTO bureaus (id, code, name, kind, region_code, parent_id, path, created_at) \
         VALUES (1, '420103', '江汉区应急管理局', 'county', '420103', NULL, '/420103/', {at})"
    ))
    .await
    .unwrap();
    db.execute_unprepared(&format!(
        "INSERT INTO users (id, username, password_hash, display_name, bureau_id, must_change_password, disabled, \
         created_at, updated_at) VALUES (1, 'reg', 'x', '监管员', 1, FALSE, FALSE, {at}, {at}), \
         (2, 'fzr', 'x', '负责人', NULL, FALSE, FALSE, {at}, {at})"
    ))
    .await
    .unwrap();
    // (source, level, closure, created_by): the last was downgraded under the old rule.
    let rows = [
        ("self_check", "major", "major", "2"),
        ("inspection", "major", "major", "1"),
        ("tip_off", "major", "major", "1"),
        ("grid_patrol", "general", "regulator", "NULL"),
        ("self_check", "general", "regulator", "2"),
    ];
    for (source, level, closure, by) in rows {
        db.execute_unprepared(&format!(
            "INSERT INTO hazards (bureau_id, region_code, source, level, closure, category, title, description, \
             found_at, status, is_open, suspended, created_by, created_at, updated_at, status_changed_at, version) \
             VALUES (1, '420103', '{source}', '{level}', '{closure}', 'unsafe_condition', 't', 'd', {at}, \
             'rectifying', TRUE, FALSE, {by}, {at}, {at}, {at}, 1)"
        ))
        .await
        .unwrap();
    }
    Migrator::up(db, None).await.unwrap();
    let got: Vec<String> = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT origin_closure FROM hazards ORDER BY id",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("", "origin_closure").unwrap())
        .collect();
    assert_eq!(got, ["enterprise", "inspector", "regulator", "regulator", "enterprise"]);
}

#[tokio::test]
async fn the_origin_migration_fills_existing_hazards_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let db = Database::connect(&url).await.unwrap();
    assert_eq!(db.get_database_backend(), DbBackend::Sqlite);
    fills_the_origin_closer(&db).await;
}

#[tokio::test]
async fn the_origin_migration_fills_existing_hazards_on_postgres() {
    if !postgres_or_skip("the_origin_migration_fills_existing_hazards_on_postgres") {
        return;
    }
    let name = empty_pg_database().await;
    let db = Database::connect(with_database(&pg_admin_url(), &name)).await.unwrap();
    fills_the_origin_closer(&db).await;
    db.close().await.unwrap();
    drop_pg_database(&name).await;
}
