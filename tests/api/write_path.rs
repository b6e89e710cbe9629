//! The write path (`AppState::write`): use cases compose in one transaction,
//! a job's failure rolls back only that job, and the overdue rule is the same
//! in the list, the detail, the 一单, the deadline job, bulletins and statistics.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use anjian::entities::{bulletin, hazard, todo};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

async fn step(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await;
    assert_eq!(status, StatusCode::OK, "{action}: {v}");
    v
}

/// A major hazard of a new enterprise, confirmed and assigned with this deadline.
async fn assigned_major(app: &TestApp, reg: &TestUser, serial: u32, deadline: &str) -> (i64, i64) {
    let body = enterprise_body(&code("420103", serial), &format!("企业{serial}"), "fireworks", "fw_retail", "420103");
    let e = app.enterprise(&reg.token, body).await;
    let tip = json!({"enterprise_id": e, "source": "tip_off", "level": "major", "category": "unsafe_condition",
        "title": "仓库超量储存", "description": "d", "found_at": "2026-11-21T08:00:00Z"});
    let (status, h) = app.post(&reg.token, "/api/v1/hazards", &tip).await;
    assert_eq!(status, StatusCode::CREATED, "{h}");
    let id = h["id"].as_i64().unwrap();
    step(app, reg, id, "confirm", json!({})).await;
    step(
        app,
        reg,
        id,
        "assign",
        json!({"assignment": {"assigning_body": "区安委办", "responsible_unit": "甲",
        "responsible_person": "赵", "supervision_level": "county", "deadline": deadline}}),
    )
    .await;
    (e, id)
}

/// Makes every insert into `bulletins` fail, as a broken bulletin build would.
async fn break_bulletins(app: &TestApp) {
    let db = app.state.db.conn();
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(
            "CREATE FUNCTION refuse_bulletin() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'bulletins broken'; END $$ LANGUAGE plpgsql",
        )
        .await
        .unwrap();
        db.execute_unprepared(
            "CREATE TRIGGER refuse_bulletin BEFORE INSERT ON bulletins FOR EACH ROW EXECUTE FUNCTION refuse_bulletin()",
        )
        .await
        .unwrap();
    } else {
        db.execute_unprepared(
            "CREATE TRIGGER refuse_bulletin BEFORE INSERT ON bulletins BEGIN SELECT RAISE(ABORT, 'bulletins broken'); END",
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn a_failing_bulletin_build_does_not_roll_back_the_deadline_notices() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        assigned_major(&app, &reg, 1, "2026-11-30").await;
        break_bulletins(&app).await;
        app.clock.set(at("2026-12-16T01:00:00Z"));
        let r = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(r.failed, ["bulletins"], "{r:?}");
        assert_eq!(r.deadlines.overdue, 1, "{r:?}");
        let db = app.state.db.conn();
        assert_eq!(bulletin::Entity::find().count(db).await.unwrap(), 0);
        let overdue_todos = todo::Entity::find().all(db).await.unwrap();
        assert!(
            overdue_todos.iter().any(|t| t.kind == "hazard_overdue"),
            "the notices were committed: {overdue_todos:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_use_case_that_fails_leaves_nothing_of_the_transaction() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let e = app
            .enterprise(&reg.token, enterprise_body(&code("420103", 1), "甲", "fireworks", "fw_retail", "420103"))
            .await;
        let user = anjian::auth::service::open_session(&app.state, reg.id).await.unwrap().1;
        let good: anjian::hazard::json::CreateHazardRequest = serde_json::from_value(json!({"enterprise_id": e,
            "source": "grid_patrol", "level": "general", "category": "unsafe_condition", "title": "通道堵塞",
            "description": "d", "found_at": "2026-11-21T08:00:00Z"}))
        .unwrap();
        let mut bad = good.clone();
        bad.category = "no_such_category".to_owned();
        // Two hazards in one transaction: the second is refused, so neither is kept.
        let out = app
            .state
            .write(user.actor(), async |tx| {
                anjian::hazard::service::create(tx, &user, &good).await?;
                anjian::hazard::service::create(tx, &user, &bad).await
            })
            .await;
        assert!(out.is_err());
        assert_eq!(hazard::Entity::find().count(app.state.db.conn()).await.unwrap(), 0);
        // Both succeed together: two hazards, and the cached ledger totals follow at once.
        let (_, before) = app.get(&reg.token, "/api/v1/hazards").await;
        assert_eq!(before["total"], 0);
        app.state
            .write(user.actor(), async |tx| {
                anjian::hazard::service::create(tx, &user, &good).await?;
                anjian::hazard::service::create(tx, &user, &good).await
            })
            .await
            .unwrap();
        let (_, after) = app.get(&reg.token, "/api/v1/hazards").await;
        assert_eq!(after["total"], 2, "the commit dropped the cached total: {after}");
    })
    .await;
}

#[tokio::test]
async fn pending_verification_past_the_deadline_is_not_overdue_anywhere() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (e, handed_in) = assigned_major(&app, &reg, 1, "2026-11-30").await;
        let (_, owed) = assigned_major(&app, &reg, 2, "2026-11-30").await;
        let officer = app.user("aqy").role(Role::SafetyOfficer).enterprise(e).create().await;
        let principal = app.user("fzr").role(Role::Principal).enterprise(e).create().await;
        step(
            &app,
            &principal,
            handed_in,
            "plan",
            json!({"plan": {"goals": "消除", "measures": "清理", "responsible_org": "设备部", "responsible_person": "张",
            "funds": 1000.0, "deadline": "2026-11-30", "safety_measures": "停用", "emergency_plan": "预案"}}),
        )
        .await;
        let (_, photo) =
            app.upload(&officer.token, "/api/v1/attachments", "after.jpg", b"\xFF\xD8\xFF\xE0jpeg".to_vec()).await;
        let (_, report) = app.upload(&officer.token, "/api/v1/attachments", "评估.pdf", b"%PDF-1.4\n".to_vec()).await;
        let submission = json!({"attachment_ids": [photo["id"]], "assessment_report_ids": [report["id"]]});
        step(&app, &officer, handed_in, "submit", submission).await;

        app.clock.set(at("2026-12-16T01:00:00Z"));
        let reg = app.user("reg2").role(Role::Regulator).region("420103").create().await;
        let (_, detail) = app.get(&reg.token, &format!("/api/v1/hazards/{handed_in}")).await;
        assert_eq!(
            (detail["status"].as_str(), detail["overdue"].as_bool()),
            (Some("pending_verification"), Some(false))
        );
        let (_, detail) = app.get(&reg.token, &format!("/api/v1/hazards/{owed}")).await;
        assert_eq!(detail["overdue"], true, "{detail}");
        let (_, list) = app.get(&reg.token, "/api/v1/hazards?overdue=true").await;
        let ids: Vec<i64> = list["items"].as_array().unwrap().iter().map(|h| h["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [owed], "{list}");
        let (_, majors) = app.get(&reg.token, "/api/v1/major-hazards").await;
        for m in majors["items"].as_array().unwrap() {
            assert_eq!(m["overdue"], m["id"] == owed, "{m}");
        }
        let r = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(r.deadlines.overdue, 1, "{r:?}");
        let (_, bulletins) = app.get(&reg.token, "/api/v1/bulletins").await;
        let named: Vec<&Value> = bulletins["items"][0]["content"]["overdue_majors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["hazard_id"])
            .collect();
        assert_eq!(named, [&json!(owed)], "{bulletins}");
    })
    .await;
}
