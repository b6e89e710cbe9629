//! Emergency-plan filing (应急预案备案): the enterprise files, the bureau returns with a
//! reason, the enterprise corrects and files again, the bureau accepts with a numbered
//! 备案登记表; another bureau sees nothing; every problem of a body at once; the
//! nightly to-dos with a moving clock; who must file from the data; the cockpit's figures.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use anjian::entities::todo;
use chrono::{DateTime, NaiveDate, Utc};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

async fn upload(app: &TestApp, u: &TestUser, name: &str) -> i64 {
    let (status, v) = app.upload(&u.token, "/api/v1/attachments", name, b"%PDF-1.4\n".to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

fn plan(kind: &str, file: i64, evaluated_on: &str) -> Value {
    json!({"kind": kind, "title": format!("{kind} 预案"), "attachment_id": file, "published_on": "2026-10-01",
        "evaluated_on": evaluated_on, "evaluation_form": "review", "evaluation_conclusion": "评审通过，修改后发布"})
}

struct Plant {
    reg: TestUser,
    principal: TestUser,
    id: i64,
}

async fn plant(app: &TestApp) -> Plant {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let body = enterprise_body(&code("420103", 1), "化工一号", "hazardous_chemicals", "hc_production", "420103");
    let id = app.enterprise(&reg.token, body).await;
    let principal = app.user("fzr").role(Role::Principal).enterprise(id).create().await;
    Plant { reg, principal, id }
}

/// Files the plant's plans (a comprehensive plan and an on-site plan) and returns the filing.
async fn file(app: &TestApp, p: &Plant, evaluated_on: &str) -> Value {
    let a = upload(app, &p.principal, "综合预案.pdf").await;
    let b = upload(app, &p.principal, "现场处置方案.pdf").await;
    let body = json!({"documents": [plan("comprehensive", a, evaluated_on), plan("on_site", b, evaluated_on)]});
    let (status, v) = app.post(&p.principal.token, "/api/v1/emergency-plans", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v
}

#[tokio::test]
async fn a_returned_filing_is_corrected_and_accepted_with_a_numbered_registration_form() {
    on_each_backend(|app| async move {
        let p = plant(&app).await;
        let file_id = upload(&app, &p.principal, "综合预案.pdf").await;
        let mut bad = plan("comprehensive", file_id, "2026-10-02");
        bad["title"] = json!(" ");
        bad["evaluation_conclusion"] = json!("");
        let body = json!({"documents": [bad, plan("special", 999_999, "2026-09-01")]});
        let (status, v) = app.post(&p.principal.token, "/api/v1/emergency-plans", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let fields = &v["error"]["fields"];
        for f in ["documents[0].title", "documents[0].evaluation_conclusion", "documents[0].evaluated_on",
            "documents[1].attachment_id"] {
            assert!(fields[f].is_array(), "{f} missing: {v}");
        }
        let (status, v) = app.post(&p.reg.token, "/api/v1/emergency-plans", &body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a regulator does not file: {v}");

        let body = json!({"documents": [plan("comprehensive", file_id, "2026-09-20")]});
        let (status, filed) = app.post(&p.principal.token, "/api/v1/emergency-plans", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{filed}");
        assert_eq!(filed["status"], "submitted");
        assert_eq!(filed["allowed_actions"], json!([]));
        let id = filed["id"].as_i64().unwrap();
        let path = format!("/api/v1/emergency-plans/{id}");
        let (status, again) = app.post(&p.principal.token, "/api/v1/emergency-plans", &body).await;
        assert_eq!(status, StatusCode::CONFLICT, "one open filing: {again}");

        let other = app.user("other").role(Role::Regulator).region("420102").create().await;
        assert_eq!(app.get(&other.token, &path).await.0, StatusCode::NOT_FOUND);
        let (status, _) = app.post(&other.token, &format!("{path}/accept"), &json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another bureau's regulator");

        let (_, seen) = app.get(&p.reg.token, &path).await;
        assert_eq!(seen["allowed_actions"], json!(["accept", "return"]));
        let (status, v) = app.post(&p.reg.token, &format!("{path}/return"), &json!({"reason": "  "})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["reason"].is_array(), "{v}");
        let reason = json!({"reason": "缺少专项应急预案"});
        let (status, v) = app.post(&p.reg.token, &format!("{path}/return"), &reason).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["status"].as_str(), v["return_reason"].as_str()), (Some("returned"), Some("缺少专项应急预案")));
        let (status, _) = app.post(&p.reg.token, &format!("{path}/accept"), &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "a returned filing is not accepted");

        let special = upload(&app, &p.principal, "专项预案.pdf").await;
        let body = json!({"documents": [plan("comprehensive", file_id, "2026-09-20"), plan("special", special, "2026-09-20")]});
        let (status, v) = app.post(&p.principal.token, &format!("{path}/resubmit"), &body).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["status"].as_str(), v["round"].as_i64()), (Some("submitted"), Some(2)));
        assert_eq!(v["documents"].as_array().unwrap().len(), 2);

        let (status, v) = app.post(&p.reg.token, &format!("{path}/accept"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "accepted");
        let number = v["number"].as_str().unwrap();
        assert!(number.ends_with("预案备案〔2026〕1号") && number.starts_with("江汉区"), "{number}");
        assert_eq!(v["accepted_on"], "2026-11-22");

        let plan_id = v["documents"][0]["id"].as_i64().unwrap();
        let drill = json!({"document_id": plan_id, "drilled_on": "2026-11-20", "form": "live", "participants": 0,
            "summary": ""});
        let (status, v) = app.post(&p.principal.token, &format!("{path}/drills"), &drill).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["participants"].is_array() && v["error"]["fields"]["summary"].is_array(), "{v}");
        let drill = json!({"document_id": plan_id, "drilled_on": "2026-11-20", "form": "live", "participants": 30,
            "summary": "泄漏处置实战演练"});
        let (status, v) = app.post(&p.principal.token, &format!("{path}/drills"), &drill).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!(v["drills"][0]["form_zh"], "实战演练");

        let (_, list) = app.get(&p.reg.token, "/api/v1/emergency-plans?status=accepted").await;
        assert_eq!(list["total"], 1, "{list}");
        let (_, list) = app.get(&other.token, "/api/v1/emergency-plans").await;
        assert_eq!(list["total"], 0, "{list}");
        let file = format!("/api/v1/attachments/{file_id}");
        assert_eq!(app.get(&p.reg.token, &file).await.0, StatusCode::OK, "the bureau reads the plan's file");
    })
    .await;
}

async fn open_todos(app: &TestApp, prefix: &str) -> Vec<todo::Model> {
    todo::Entity::find()
        .filter(todo::Column::DedupeKey.starts_with(prefix))
        .filter(todo::Column::DoneAt.is_null())
        .all(app.state.db.conn())
        .await
        .unwrap()
}

async fn run(app: &TestApp, instant: &str) -> anjian::emergency_plan::reminders::EmergencyPlanReport {
    app.clock.set(at(instant));
    anjian::jobs::run_due(&app.state).await.unwrap().emergency_plans
}

#[tokio::test]
async fn the_nightly_job_reminds_of_filing_review_evaluation_and_drills() {
    on_each_backend(|app| async move {
        let p = plant(&app).await;
        let r = run(&app, "2026-11-22T02:00:00Z").await;
        assert_eq!(r.unfiled, 2, "the principal and the safety officer: {r:?}");
        assert_eq!(run(&app, "2026-11-22T03:00:00Z").await.unfiled, 0, "once");

        let filed = file(&app, &p, "2023-12-10").await;
        let id = filed["id"].as_i64().unwrap();
        assert_eq!(run(&app, "2026-11-22T04:00:00Z").await.reviews, 1);
        assert_eq!(open_todos(&app, "emergency_plan_review:").await.len(), 1);
        let (status, v) = app.post(&p.reg.token, &format!("/api/v1/emergency-plans/{id}/accept"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert!(open_todos(&app, "emergency_plan_review:").await.is_empty(), "closed by the step");
        assert!(open_todos(&app, &format!("emergency_plan_unfiled:{}:", p.id)).await.is_empty());

        // Evaluated 2023-12-10: the three-year evaluation falls due on 2026-12-10, within 30 days.
        let r = run(&app, "2026-11-22T05:00:00Z").await;
        assert_eq!((r.unfiled, r.evaluations, r.drills), (0, 2, 0), "{r:?}");
        let due = open_todos(&app, "emergency_plan_evaluation:").await;
        assert_eq!(due[0].due_on, NaiveDate::from_ymd_opt(2026, 12, 10));
        // A high-risk unit's on-site plan: every six months from acceptance (2027-05-22).
        let r = run(&app, "2027-04-21T02:00:00Z").await;
        assert_eq!(r.drills, 0, "{r:?}");
        let r = run(&app, "2027-04-23T02:00:00Z").await;
        assert_eq!(r.drills, 2, "on-site drill due within 30 days: {r:?}");
        assert!(open_todos(&app, "emergency_plan_drill:").await[0].dedupe_key.contains(":on_site:2027-05-22:soon"));
        let r = run(&app, "2027-05-23T02:00:00Z").await;
        assert_eq!((r.drills, r.evaluations), (2, 0), "overdue now, the evaluation already noticed as overdue? {r:?}");
        let doc = filed["documents"][1]["id"].as_i64().unwrap();
        let drill = json!({"document_id": doc, "drilled_on": "2027-05-23", "form": "tabletop", "participants": 8,
            "summary": "桌面推演"});
        // Sessions end 12 hours after sign-in: a principal signed in on the moved clock.
        let principal = app.user("fzr_2027").role(Role::Principal).enterprise(p.id).create().await;
        let (status, v) = app.post(&principal.token, &format!("/api/v1/emergency-plans/{id}/drills"), &drill).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert!(open_todos(&app, "emergency_plan_drill:").await.is_empty(), "closed by the drill");
        assert_eq!(run(&app, "2027-05-24T02:00:00Z").await.drills, 0);
    })
    .await;
}

#[tokio::test]
async fn who_must_file_comes_from_the_data_and_feeds_the_cockpit() {
    on_each_backend(|app| async move {
        let p = plant(&app).await;
        let fireworks = enterprise_body(&code("420103", 2), "烟花二号", "fireworks", "fw_retail", "420103");
        let fireworks = app.enterprise(&p.reg.token, fireworks).await;
        let mut big = enterprise_body(&code("420103", 3), "机械三号", "industry_trade", "it_machinery", "420103");
        big["above_designated_size"] = json!(true);
        app.enterprise(&p.reg.token, big).await;
        let small = enterprise_body(&code("420103", 4), "机械四号", "industry_trade", "it_machinery", "420103");
        app.enterprise(&p.reg.token, small).await;

        let (status, v) = app.get(&p.reg.token, "/api/v1/emergency-plans/unfiled").await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let names: Vec<&str> = v["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["化工一号", "烟花二号", "机械三号"], "not the small industry-trade unit");
        assert_eq!(app.get(&p.principal.token, "/api/v1/emergency-plans/unfiled").await.0, StatusCode::FORBIDDEN);

        for (e, n) in [(p.id, "a"), (fireworks, "b")] {
            let u = app.user(&format!("aq{n}")).role(Role::SafetyOfficer).enterprise(e).create().await;
            let f = upload(&app, &u, "预案.pdf").await;
            let body = json!({"documents": [plan("comprehensive", f, "2026-09-01")]});
            let (status, v) = app.post(&u.token, "/api/v1/emergency-plans", &body).await;
            assert_eq!(status, StatusCode::CREATED, "{v}");
            let path = format!("/api/v1/emergency-plans/{}/accept", v["id"]);
            assert_eq!(app.post(&p.reg.token, &path, &json!({})).await.0, StatusCode::OK);
        }
        let db = app.state.db.conn();
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let within = anjian::indicator::counts::Within { region: Some("420103".parse().unwrap()) };
        let counts = anjian::emergency_plan::indicator::counts(db, &within, day).await.unwrap();
        let (num, den): (i64, i64) = counts.iter().fold((0, 0), |(n, d), c| (n + c.numerator, d + c.denominator));
        assert_eq!((num, den), (2, 3), "{counts:?}");
        assert!(counts.iter().all(|c| c.region_code == "420103"));
        let before = anjian::emergency_plan::indicator::counts(db, &within, day.pred_opt().unwrap()).await.unwrap();
        assert_eq!(before.iter().map(|c| c.numerator).sum::<i64>(), 0, "accepted on the day, not before");

        let (_, user) = anjian::auth::service::open_session(&app.state, p.reg.id).await.unwrap();
        let records = anjian::emergency_plan::indicator::records(db, &user, &within, day, 2).await.unwrap();
        assert_eq!(records.total, 3);
        assert_eq!(records.items.len(), 2);
        let counted: Vec<bool> = records.items.iter().map(|r| r.counted).collect();
        assert_eq!(counted, [false, true], "not filed first: {:?}", records.items);
        assert_eq!(records.items[1].href, format!("/enterprises/{}/emergency-plans", p.id));
        let (_, v) = app.get(&p.reg.token, "/api/v1/emergency-plans/unfiled").await;
        assert_eq!(v["total"], 1, "{v}");
    })
    .await;
}
