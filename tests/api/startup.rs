//! Several servers starting at once on one empty PostgreSQL database (a
//! deployment rolling out replicas): all of them come up, the schema is
//! migrated once and the demo data is seeded once.

use crate::helpers::{
    Backend, TestApp, drop_pg_database, empty_pg_database, pg_admin_url, postgres_or_skip, with_database,
};
use crate::process::{anjian, serve};
use sea_orm::{ConnectionTrait, Statement};

async fn count(db: &sea_orm::DatabaseConnection, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn servers_starting_together_on_an_empty_postgres_database_all_come_up_and_seed_once() {
    if !postgres_or_skip("servers_starting_together") {
        return;
    }
    // What one server alone seeds.
    let alone = TestApp::spawn(Backend::Sqlite).await;
    anjian::demo::seed_if_empty(&alone.state, 60).await.unwrap();
    let (users, enterprises) =
        (count(alone.state.db.conn(), "users").await, count(alone.state.db.conn(), "enterprises").await);

    for _trial in 0..2 {
        let name = empty_pg_database().await;
        let url = with_database(&pg_admin_url(), &name);
        let dir = tempfile::tempdir().unwrap();
        let servers = futures::future::join_all((0..3).map(|_| serve(&url, dir.path(), &[]))).await;
        for s in &servers {
            let res = reqwest::get(format!("{}/healthz", s.base)).await.unwrap();
            assert!(res.status().is_success(), "{}", s.log());
        }
        let db = sea_orm::Database::connect(&url).await.unwrap();
        assert_eq!(count(&db, "users").await, users);
        assert_eq!(count(&db, "enterprises").await, enterprises);
        db.close().await.unwrap();
        let out = anjian(&url, &["audit", "verify"], "");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        drop(servers);
        drop_pg_database(&name).await;
    }
}
