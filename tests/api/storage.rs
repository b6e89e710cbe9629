//! The typed storage boundary: 交办, 治理方案 and 双报告 rows written in the old
//! JSON form are carried into columns by the migration (SQLite and PostgreSQL),
//! the change log's old payload is rebuilt exactly from them, the columns are
//! what the API reads and filters, and a stored code that names nothing is an
//! internal error rather than a default.

use crate::helpers::{
    TestApp, code, drop_pg_database, empty_pg_database, enterprise_body, on_each_backend, pg_admin_url,
    postgres_or_skip, start_time, with_database,
};
use anjian::auth::Role;
use anjian::entities::{bureau, hazard};
use anjian::hazard::domain::SupervisionLevel;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use migration::{Migrator, MigratorTrait};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Value as Db};
use serde_json::json;

/// Migrations before the one that made the columns.
const BEFORE_COLUMNS: u32 = 13;

async fn exec(db: &DatabaseConnection, sql: &str, values: Vec<Db>) {
    db.execute_raw(anjian::db::raw(db.get_database_backend(), sql, values)).await.unwrap();
}

/// The old form of the three documents, written as the ledger wrote them
/// (`serde_json` text, keys sorted).
struct OldDocs {
    assignment: String,
    plan: String,
    report: String,
}

fn old_docs(assigning_body: &str, reported_at: DateTime<Utc>) -> OldDocs {
    OldDocs {
        assignment: json!({"assigning_body": assigning_body, "responsible_unit": "甲化工有限公司",
            "responsible_person": "王五", "supervision_level": "city", "notice_no": "武应急督〔2026〕3号",
            "deadline": "2026-12-31"})
        .to_string(),
        plan: json!({"measures": "更换报警器", "responsible_person": "王五", "funds": 12345.67,
            "deadline": "2026-12-20", "emergency_plan": "罐区专项预案"})
        .to_string(),
        report: json!({"current_state_and_causes": "报警器失效", "harm_and_difficulty": "可致中毒",
            "remediation_plan": "更换", "congress_reported_on": null,
            "reported_at": anjian::audit::canonical::time_text(reported_at)})
        .to_string(),
    }
}

/// A bureau, and two major hazards in the old form: one assigned by that
/// bureau (by name), one by a body that is not a bureau. Returns the hazard ids.
async fn old_rows(db: &DatabaseConnection, at: DateTime<Utc>) -> (i64, i64) {
    exec(
        db,
        "INSERT INTO bureaus (id, code, name, kind, region_code, parent_id, path, created_at) \
         VALUES (7, '420100', '武汉市应急管理局', 'bureau', '420100', NULL, '/420100/', $1)",
        vec![at.into()],
    )
    .await;
    for (id, body) in [(1_i64, "武汉市应急管理局"), (2, "武汉市安委办")] {
        let docs = old_docs(body, at + Duration::hours(2));
        exec(
            db,
            "INSERT INTO hazards (id, bureau_id, region_code, source, level, closure, category, title, \
             description, found_at, status, is_open, suspended, assignment, plan, report, created_at, \
             updated_at, status_changed_at, version) VALUES ($1, 7, '420103', 'self_check', 'major', 'major', \
             'unsafe_condition', '报警器失效', '罐区', $2, 'rectifying', TRUE, FALSE, $3, $4, $5, $6, $7, $8, 4)",
            vec![
                id.into(),
                at.into(),
                docs.assignment.into(),
                docs.plan.into(),
                docs.report.into(),
                at.into(),
                at.into(),
                at.into(),
            ],
        )
        .await;
        for (n, action, when) in [(1, "assign", at + Duration::hours(1)), (2, "major_report", at + Duration::hours(2))]
        {
            exec(
                db,
                "INSERT INTO hazard_events (id, hazard_id, action, from_status, to_status, at) \
                 VALUES ($1, $2, $3, 'assigned', 'assigned', $4)",
                vec![(id * 10 + n).into(), id.into(), action.into(), when.into()],
            )
            .await;
        }
    }
    (1, 2)
}

async fn check_carried_over(db: &DatabaseConnection, at: DateTime<Utc>) {
    let (by_bureau, by_body) = old_rows(db, at).await;
    Migrator::up(db, None).await.unwrap();
    let h = hazard::Entity::find_by_id(by_bureau).one(db).await.unwrap().unwrap();
    assert_eq!(h.assignment_level, Some(SupervisionLevel::City));
    assert_eq!(h.assigning_bureau_id, Some(7), "the assigning body is that bureau");
    assert_eq!(h.assigning_body.as_deref(), Some("武汉市应急管理局"));
    assert_eq!((h.assigned_unit.as_deref(), h.assigned_person.as_deref()), (Some("甲化工有限公司"), Some("王五")));
    assert_eq!(h.assignment_notice_no.as_deref(), Some("武应急督〔2026〕3号"));
    assert_eq!(h.assignment_deadline, NaiveDate::from_ymd_opt(2026, 12, 31));
    assert_eq!(h.assigned_at, Some(at + Duration::hours(1)), "the time of the assign step");
    // The later migration's backfill: the 交办 date is the step's Beijing date, the supervising bureau the assigning one.
    assert_eq!(h.assigned_on, Some(anjian::clock::china_date(at + Duration::hours(1))));
    assert_eq!(h.supervising_bureau_id, Some(7));
    assert_eq!(h.plan_funds_fen, Some(1_234_567), "yuan become fen");
    assert_eq!(h.plan_deadline, NaiveDate::from_ymd_opt(2026, 12, 20));
    assert_eq!((h.plan_measures.as_deref(), h.plan_emergency.as_deref()), (Some("更换报警器"), Some("罐区专项预案")));
    assert_eq!(h.report_current_state.as_deref(), Some("报警器失效"));
    assert_eq!((h.report_congress_on, h.reported_at), (None, Some(at + Duration::hours(2))));
    // The change log's version-1 payload is rebuilt byte for byte from the columns.
    let old = old_docs("武汉市应急管理局", at + Duration::hours(2));
    let [a, p, r] = anjian::hazard::columns::v1_texts(&h);
    assert_eq!((a, p, r), (Some(old.assignment), Some(old.plan), Some(old.report)));

    let other = hazard::Entity::find_by_id(by_body).one(db).await.unwrap().unwrap();
    assert_eq!(other.assigning_bureau_id, None, "安委办 is not a bureau");
    assert_eq!(other.supervising_bureau_id, None);
    assert_eq!(other.assigning_body.as_deref(), Some("武汉市安委办"));
}

#[tokio::test]
async fn the_migration_carries_json_steps_into_columns_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let db = sea_orm::Database::connect(&url).await.unwrap();
    Migrator::up(&db, Some(BEFORE_COLUMNS)).await.unwrap();
    check_carried_over(&db, start_time()).await;
}

#[tokio::test]
async fn the_migration_carries_json_steps_into_columns_on_postgres() {
    if !postgres_or_skip("the_migration_carries_json_steps_into_columns_on_postgres") {
        return;
    }
    let name = empty_pg_database().await;
    let db = sea_orm::Database::connect(with_database(&pg_admin_url(), &name)).await.unwrap();
    Migrator::up(&db, Some(BEFORE_COLUMNS)).await.unwrap();
    check_carried_over(&db, start_time()).await;
    db.close().await.unwrap();
    drop_pg_database(&name).await;
}

async fn assigned_major(app: &TestApp, body: &str, level: &str) -> (crate::helpers::TestUser, i64) {
    // The supervising bureau is the assigning regulator's own: a city-level 挂牌 is a city regulator's.
    let region = if level == "city" { "420100" } else { "420103" };
    let reg = app.user(&format!("reg{level}")).role(Role::Regulator).region(region).create().await;
    let serial = if level == "city" { 1 } else { 2 };
    let e =
        enterprise_body(&code("420103", serial), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    let enterprise = app.enterprise(&reg.token, e).await;
    let report = json!({"enterprise_id": enterprise, "source": "grid_patrol", "level": "major",
        "category": "unsafe_condition", "title": "报警器失效", "description": "罐区",
        "found_at": "2026-11-21T08:00:00Z"});
    let (status, h) = app.post(&reg.token, "/api/v1/hazards", &report).await;
    assert_eq!(status, StatusCode::CREATED, "{h}");
    let id = h["id"].as_i64().unwrap();
    let (status, v) = app.post(&reg.token, &format!("/api/v1/hazards/{id}/confirm"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let assignment = json!({"assigning_body": body, "responsible_unit": "甲化工有限公司", "responsible_person": "张三",
        "supervision_level": level, "deadline": "2026-12-20"});
    let (status, v) =
        app.post(&reg.token, &format!("/api/v1/hazards/{id}/assign"), &json!({"assignment": assignment})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    (reg, id)
}

#[tokio::test]
async fn an_assignment_is_stored_in_columns_and_names_its_bureau() {
    on_each_backend(|app| async move {
        let (reg, id) = assigned_major(&app, "江汉区应急管理局", "county").await;
        let h = hazard::Entity::find_by_id(id).one(app.state.db.conn()).await.unwrap().unwrap();
        assert_eq!(h.assignment_level, Some(SupervisionLevel::County));
        let jianghan = bureau::Entity::find()
            .filter(bureau::Column::Name.eq("江汉区应急管理局"))
            .one(app.state.db.conn())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(h.assigning_bureau_id, Some(jianghan.id), "the supervising bureau, the regulator's own by default");
        assert_eq!(h.supervising_bureau_id, Some(jianghan.id));
        assert_eq!(h.assigned_at, Some(start_time()));
        let (status, v) = app.get(&reg.token, &format!("/api/v1/hazards/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(v["assignment"]["responsible_unit"], "甲化工有限公司");
        assert_eq!(v["assignment"]["supervision_level"], "county");
        assert_eq!(v["assignment"]["deadline"], "2026-12-20");

        let (status, bad) = app
            .post(
                &reg.token,
                &format!("/api/v1/hazards/{id}/plan"),
                &json!({"plan": {"measures": "x",
                "responsible_person": "张三", "funds": 1.0, "deadline": "2026-12-01", "emergency_plan": "y"}}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the enterprise plans: {bad}");
    })
    .await;
}

#[tokio::test]
async fn an_unknown_stored_status_is_an_internal_error_not_a_default() {
    on_each_backend(|app| async move {
        let (reg, id) = assigned_major(&app, "武汉市安委办", "city").await;
        let db = app.state.db.conn();
        exec(db, "UPDATE hazards SET status = 'lost' WHERE id = $1", vec![id.into()]).await;
        let (status, v) = app.get(&reg.token, &format!("/api/v1/hazards/{id}")).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{v}");
        assert_eq!(v["error"]["code"], "internal", "{v}");
        assert!(!v.to_string().contains("lost"), "the detail goes to the log, not the client: {v}");
        let err = hazard::Entity::find_by_id(id).one(db).await.unwrap_err();
        assert!(err.to_string().contains("lost"), "the error names the value: {err}");
    })
    .await;
}

#[tokio::test]
async fn the_major_hazard_list_filters_by_the_assignment_columns() {
    on_each_backend(|app| async move {
        let (reg, county) = assigned_major(&app, "江汉区应急管理局", "county").await;
        let (_, city) = assigned_major(&app, "武汉市安委办", "city").await;
        let ids = |v: &serde_json::Value| -> Vec<i64> {
            let mut ids: Vec<i64> = v["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
            ids.sort_unstable();
            ids
        };
        let (status, all) = app.get(&reg.token, "/api/v1/major-hazards?responsible_unit=甲化工有限公司").await;
        assert_eq!(status, StatusCode::OK, "{all}");
        assert_eq!(ids(&all), [county, city]);
        let (_, v) = app.get(&reg.token, "/api/v1/major-hazards?supervision_level=city").await;
        assert_eq!(ids(&v), [city]);
        assert_eq!(v["items"][0]["supervision_level"], "city");
        let h = hazard::Entity::find_by_id(county).one(app.state.db.conn()).await.unwrap().unwrap();
        let bureau = h.assigning_bureau_id.unwrap();
        let (_, v) = app.get(&reg.token, &format!("/api/v1/major-hazards?assigning_bureau_id={bureau}")).await;
        assert_eq!(ids(&v), [county]);
        let (_, v) = app.get(&reg.token, "/api/v1/major-hazards?responsible_unit=乙公司").await;
        assert_eq!(ids(&v), Vec::<i64>::new());
        let (status, _) = app.get(&reg.token, "/api/v1/major-hazards?supervision_level=town").await;
        assert!(status.is_client_error(), "an unknown level is refused, not ignored: {status}");
    })
    .await;
}
