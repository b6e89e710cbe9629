//! The deadline jobs as of chosen instants: each notice once per hazard and
//! step, to the right people, with to-dos and mails in the outbox.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use anjian::entities::{outbox, todo};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

async fn step(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) {
    let (status, v) = app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await;
    assert_eq!(status, StatusCode::OK, "{action}: {v}");
}

async fn todos_of_kind(app: &TestApp, kind: &str) -> Vec<todo::Model> {
    todo::Entity::find().filter(todo::Column::Kind.eq(kind)).all(app.state.db.conn()).await.unwrap()
}

async fn mails_of_kind(app: &TestApp, kind: &str) -> Vec<String> {
    let rows = outbox::Entity::find().filter(outbox::Column::Kind.eq(kind)).all(app.state.db.conn()).await.unwrap();
    let mut to: Vec<String> = rows.into_iter().map(|m| m.recipient).collect();
    to.sort();
    to
}

async fn run(app: &TestApp, instant: &str) -> anjian::jobs::deadlines::DeadlineReport {
    app.clock.set(at(instant));
    anjian::jobs::run_due(&app.state).await.unwrap().deadlines
}

#[tokio::test]
async fn deadline_notices_go_out_once_to_the_right_people() {
    on_each_backend(|app| async move {
        let city = app.user("city").role(Role::Regulator).region("420100").create().await;
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let mut body = enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
        body["email"] = json!("safety@jia.example");
        let e = app.enterprise(&reg.token, body).await;
        let principal = app.user("fzr").role(Role::Principal).enterprise(e).create().await;
        set_email(&app, &[("reg", "reg@bureau.example"), ("city", "city@bureau.example")]).await;
        let _ = city;

        let report = json!({"enterprise_id": e, "source": "self_check", "level": "major", "category": "unsafe_condition",
            "title": "罐区报警器失效", "description": "d", "found_at": "2026-11-21T08:00:00Z"});
        let (_, h) = app.post(&principal.token, "/api/v1/hazards", &report).await;
        let major = h["id"].as_i64().unwrap();
        step(&app, &reg, major, "confirm", json!({})).await;
        step(&app, &reg, major, "assign", json!({"assignment": {"assigning_body": "区安委办", "responsible_unit": "甲",
            "responsible_person": "张三", "supervision_level": "county", "deadline": "2026-12-01"}})).await;
        let mut general = report.clone();
        general["level"] = json!("general");
        general["deadline"] = json!("2026-12-01");
        let (_, g) = app.post(&principal.token, "/api/v1/hazards", &general).await;
        assert_eq!(g["closure"], "enterprise");

        // 3 days before: both due soon, to the enterprise only.
        let r = run(&app, "2026-11-28T01:00:00Z").await;
        assert_eq!((r.due_soon, r.overdue), (2, 0), "{r:?}");
        assert_eq!(mails_of_kind(&app, "hazard_due_soon").await, ["safety@jia.example", "safety@jia.example"]);
        let again = run(&app, "2026-11-28T05:00:00Z").await;
        assert_eq!((again.due_soon, again.overdue), (0, 0), "a second run sends nothing");

        // Overdue: the enterprise for both; regulators only for the major one.
        let r = run(&app, "2026-12-02T01:00:00Z").await;
        assert_eq!(r.overdue, 2);
        assert_eq!(mails_of_kind(&app, "hazard_overdue_regulator").await, ["reg@bureau.example"]);
        assert_eq!(mails_of_kind(&app, "hazard_escalated").await, Vec::<String>::new());

        // Seven days overdue: the major one climbs to the city bureau.
        let r = run(&app, "2026-12-08T01:00:00Z").await;
        assert_eq!(r.escalated, 1);
        assert_eq!(mails_of_kind(&app, "hazard_escalated").await, ["city@bureau.example"]);
        assert_eq!(todos_of_kind(&app, "hazard_escalated").await.len(), 1);
        let again = run(&app, "2026-12-09T01:00:00Z").await;
        assert_eq!((again.due_soon, again.overdue, again.escalated), (0, 0, 0));
    })
    .await;
}

pub async fn set_email(app: &TestApp, pairs: &[(&str, &str)]) {
    use anjian::entities::user;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    for (name, email) in pairs {
        let u = user::Entity::find()
            .filter(user::Column::Username.eq(*name))
            .one(app.state.db.conn())
            .await
            .unwrap()
            .unwrap();
        let mut a: user::ActiveModel = u.into();
        a.email = Set(Some((*email).to_owned()));
        a.update(app.state.db.conn()).await.unwrap();
    }
}

#[tokio::test]
async fn a_major_hazard_waiting_ten_days_for_review_reminds_the_regulators() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let e = app.enterprise(&reg.token, enterprise_body(&code("420103", 1), "乙", "fireworks", "fw_retail", "420103")).await;
        let officer = app.user("aqy").role(Role::SafetyOfficer).enterprise(e).create().await;
        let report = json!({"enterprise_id": e, "source": "self_check", "level": "major", "category": "unsafe_condition",
            "title": "仓库超量储存", "description": "d", "found_at": "2026-11-21T08:00:00Z"});
        let (_, h) = app.post(&officer.token, "/api/v1/hazards", &report).await;
        let id = h["id"].as_i64().unwrap();
        step(&app, &reg, id, "confirm", json!({})).await;
        step(&app, &reg, id, "assign", json!({"assignment": {"assigning_body": "区安委办", "responsible_unit": "乙",
            "responsible_person": "李四", "supervision_level": "county", "deadline": "2027-01-31"}})).await;
        let principal = app.user("fzr").role(Role::Principal).enterprise(e).create().await;
        step(&app, &principal, id, "plan", json!({"plan": {"goals": "消除超量", "measures": "清理超量",
            "responsible_org": "仓储部", "responsible_person": "李四", "funds": 1000, "deadline": "2027-01-15",
            "safety_measures": "停止入库", "emergency_plan": "预案"}})).await;
        let (_, pic) = app.upload(&officer.token, "/api/v1/attachments", "a.png", b"\x89PNG\r\n\x1a\nxx".to_vec()).await;
        let (_, report) = app.upload(&officer.token, "/api/v1/attachments", "评估.pdf", b"%PDF-1.4\n".to_vec()).await;
        let submission = json!({"attachment_ids": [pic["id"]], "assessment_report_ids": [report["id"]]});
        step(&app, &officer, id, "submit", submission).await;
        assert_eq!(run(&app, "2026-12-01T02:00:00Z").await.review_pending, 0, "nine days");
        assert_eq!(run(&app, "2026-12-02T02:00:01Z").await.review_pending, 1, "ten days");
        assert_eq!(run(&app, "2026-12-03T02:00:00Z").await.review_pending, 0, "once");
        let t = todos_of_kind(&app, "hazard_review_pending").await;
        assert_eq!((t.len(), t[0].role.map(anjian::auth::Role::as_str)), (1, Some("regulator")));
    })
    .await;
}

#[tokio::test]
async fn a_working_day_deadline_skips_the_national_day_holiday_and_counts_its_make_up_saturday() {
    on_each_backend(|app| async move {
        app.clock.set(at("2026-09-29T02:00:00Z"));
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let inspector = app.user("zfry").role(Role::Inspector).region("420103").create().await;
        let e = app.enterprise(&reg.token, enterprise_body(&code("420103", 1), "丙", "industry_trade", "it_machinery", "420103")).await;
        let body = json!({"enterprise_id": e, "source": "inspection", "level": "general", "category": "unsafe_condition",
            "title": "砂轮机防护罩缺失", "description": "d", "found_at": "2026-09-29T01:00:00Z", "deadline_working_days": 4});
        let (status, h) = app.post(&inspector.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        // 09-30 is the 1st working day, 10-01..10-07 are off, 10-08 and 10-09 follow, and
        // Saturday 10-10 is a make-up working day (调休上班): the 4th.
        assert_eq!(h["deadline"], "2026-10-10");
        assert_eq!(h["warnings"], json!([]));

        assert_eq!(run(&app, "2026-10-06T01:00:00Z").await.due_soon, 0, "four days ahead");
        assert_eq!(run(&app, "2026-10-07T01:00:00Z").await.due_soon, 1, "three days ahead, mid-holiday");
        let r = run(&app, "2026-10-11T01:00:00Z").await;
        assert_eq!(r.overdue, 1);
        let t = todos_of_kind(&app, "hazard_overdue").await;
        let roles: Vec<Option<&str>> = t.iter().map(|t| t.role.map(anjian::auth::Role::as_str)).collect();
        assert!(roles.contains(&Some("regulator")), "an inspection order's overdue notice reaches the regulators: {roles:?}");
    })
    .await;
}

#[tokio::test]
async fn a_working_day_deadline_past_the_published_calendar_warns() {
    on_each_backend(|app| async move {
        app.clock.set(at("2026-12-28T02:00:00Z"));
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let inspector = app.user("zfry").role(Role::Inspector).region("420103").create().await;
        let e = app.enterprise(&reg.token, enterprise_body(&code("420103", 1), "丁", "industry_trade", "it_machinery", "420103")).await;
        let body = json!({"enterprise_id": e, "source": "inspection", "level": "general", "category": "unsafe_condition",
            "title": "配电箱未接地", "description": "d", "found_at": "2026-12-28T01:00:00Z", "deadline_working_days": 10});
        let (status, h) = app.post(&inspector.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        assert_eq!(h["deadline"], "2027-01-11", "weekends only past 2026");
        assert_eq!(h["warnings"][0], anjian::calendar::BEYOND_CALENDAR_WARNING);
    })
    .await;
}

#[tokio::test]
async fn jobs_run_once_sends_the_outbox_through_a_real_smtp_server_before_exiting() {
    if !crate::mail::smtp_server::smtp_available() {
        return;
    }
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let mut body = enterprise_body(&code("420103", 1), "戊化工有限公司", "hazardous_chemicals", "hc_storage", "420103");
    body["email"] = json!("anquan@wu.example");
    let e = app.enterprise(&reg.token, body).await;
    let officer = app.user("aqy").role(Role::SafetyOfficer).enterprise(e).create().await;
    let report = json!({"enterprise_id": e, "source": "self_check", "level": "general", "category": "unsafe_condition",
        "title": "消防水泵故障", "description": "d", "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-11-24"});
    let (status, h) = app.post(&officer.token, "/api/v1/hazards", &report).await;
    assert_eq!(status, StatusCode::CREATED, "{h}");
    let port = crate::mail::smtp_server::free_port();
    let server = crate::mail::smtp_server::SmtpServer::start(port).await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args([
            "--database-url",
            &app.sqlite_path().unwrap(),
            "jobs",
            "run",
            "--once",
            "--at",
            "2026-11-22T09:00:00+08:00",
        ])
        .env("ANJIAN_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
        .env("ANJIAN_PUBLIC_URL", "https://anjian.example.gov.cn")
        .env_remove("ANJIAN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["jobs"]["deadlines"]["due_soon"].as_u64(), report["mail"]["sent"].as_u64()),
        (Some(1), Some(1)),
        "{report}"
    );
    let messages = server.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert!(m.to_string().contains("anquan@wu.example"), "{m}");
    assert!(m.to_string().contains("戊化工有限公司"), "subject names the enterprise: {m}");
    let id = h["id"].as_i64().unwrap();
    assert!(m.to_string().contains(&format!("https://anjian.example.gov.cn/hazards/{id}")), "{m}");
}
