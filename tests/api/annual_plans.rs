//! Annual inspection plans (年度监督检查计划): every problem at once, approval by
//! someone other than the drafter, one approved plan per bureau and year, revisions
//! and their history, coverage against inspections and draws, the xlsx, scope.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend, sheet_rows};
use anjian::auth::Role;
use anjian::entities::{draw, draw_task, inspection};
use anjian::inspection::domain::{Kind, Status};
use chrono::{DateTime, NaiveDate, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};

/// A plan body for `year`: the key enterprises, 30% of the county's hazardous-chemicals enterprises of the default class.
pub fn plan_body(year: i32, keys: &[i64], monthly: &[u32]) -> Value {
    json!({"year": year, "inspectors": 2, "available_days": 3, "reserve_percent": 0, "days_per_inspection": 1.5,
        "key_enterprise_ids": keys,
        "random_targets": [{"sector": "hazardous_chemicals", "supervision_class": "B", "ratio": 0.3}],
        "monthly": monthly, "notes": "按月均衡安排"})
}

/// `n` enterprises in the planned month `m` (the rest of the year empty).
fn months(total: u32, at: usize) -> Vec<u32> {
    let mut m = vec![0; 12];
    m[at] = total;
    m
}

fn messages(v: &Value, field: &str) -> String {
    v["error"]["fields"][field]
        .as_array()
        .map(|a| a.iter().map(|m| m.as_str().unwrap_or_default()).collect::<Vec<_>>().join("；"))
        .unwrap_or_default()
}

struct County {
    reg: TestUser,
    approver: TestUser,
    key: i64,
    ordinary: Vec<i64>,
}

/// A county with a regulator, an approver, one key enterprise and ten ordinary hazardous-chemicals enterprises.
async fn county(app: &TestApp) -> County {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let approver = app.user("boss").role(Role::Approver).region("420103").create().await;
    let body = |i: u32| {
        enterprise_body(
            &code("420103", i),
            &format!("化工{i}号有限公司"),
            "hazardous_chemicals",
            "hc_production",
            "420103",
        )
    };
    let key = app.enterprise(&reg.token, body(1)).await;
    let mut ordinary = Vec::new();
    for i in 2..=11 {
        ordinary.push(app.enterprise(&reg.token, body(i)).await);
    }
    County { reg, approver, key, ordinary }
}

async fn step(app: &TestApp, user: &TestUser, id: i64, action: &str, body: &Value) -> (StatusCode, Value) {
    app.post(&user.token, &format!("/api/v1/annual-plans/{id}/{action}"), body).await
}

/// An approved plan of the county for `year` (drafted by `reg`, approved by `approver`), with or without the random target.
pub async fn approved_plan(
    app: &TestApp,
    reg: &TestUser,
    approver: &TestUser,
    year: i32,
    keys: &[i64],
    total: u32,
    random: bool,
) -> i64 {
    let mut body = plan_body(year, keys, &months(total, 2));
    if !random {
        body["random_targets"] = json!([]);
    }
    let (status, v) = app.post(&reg.token, "/api/v1/annual-plans", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    assert_eq!(step(app, reg, id, "submit", &json!({})).await.0, StatusCode::OK);
    let (status, v) = step(app, approver, id, "approve", &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    id
}

#[tokio::test]
async fn a_plan_reports_every_problem_at_once() {
    on_each_backend(|app| async move {
        let c = county(&app).await;
        let body = json!({"year": 1999, "available_days": 0, "reserve_percent": 95, "days_per_inspection": 0,
            "key_enterprise_ids": [c.key, 999_999],
            "random_targets": [{"sector": "hazardous_chemicals", "supervision_class": "nope", "ratio": 1.5}],
            "monthly": [1, 2, 3]});
        let (status, v) = app.post(&c.reg.token, "/api/v1/annual-plans", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        for f in [
            "year",
            "available_days",
            "reserve_percent",
            "days_per_inspection",
            "key_enterprise_ids",
            "random_targets",
            "monthly",
        ] {
            assert!(!messages(&v, f).is_empty(), "{f} is reported: {v}");
        }
        assert!(messages(&v, "key_enterprise_ids").contains("999999"), "{v}");
        assert!(messages(&v, "random_targets").contains("nope"), "{v}");
        // 1 key + ⌈10 × 0.3⌉ = 4 planned; a breakdown of 5 does not add up.
        let (status, v) =
            app.post(&c.reg.token, "/api/v1/annual-plans", &plan_body(2027, &[c.key], &months(5, 0))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(messages(&v, "monthly").contains("合计 5") && messages(&v, "monthly").contains("总数 4"), "{v}");
        // Only regulators draft plans.
        let (status, _) =
            app.post(&c.approver.token, "/api/v1/annual-plans", &plan_body(2027, &[c.key], &months(4, 0))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_capacity_below_the_plan_is_a_warning_and_the_targets_give_planned_counts() {
    on_each_backend(|app| async move {
        let c = county(&app).await;
        let (status, v) =
            app.post(&c.reg.token, "/api/v1/annual-plans", &plan_body(2027, &[c.key, c.key], &months(4, 0))).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!(v["status"], "draft");
        assert_eq!(v["key_total"], 1, "a key enterprise named twice counts once: {v}");
        assert_eq!(v["random_targets"][0]["ordinary"], 10, "{v}");
        assert_eq!(v["random_targets"][0]["planned"], 3, "{v}");
        assert_eq!(v["planned_total"], 4);
        // 2 inspectors × 3 days = 6 days; 1.5 days each → 4 inspections: no warning.
        assert_eq!(v["capacity"]["capacity_days"], 6.0);
        assert_eq!(v["capacity"]["capacity_inspections"], 4);
        assert_eq!(v["warnings"], json!([]));
        let mut tight = plan_body(2027, &[c.key], &months(4, 0));
        tight["reserve_percent"] = json!(50);
        let id = v["id"].as_i64().unwrap();
        let (status, v) = app
            .send(app.client.put(app.url(&format!("/api/v1/annual-plans/{id}"))).bearer_auth(&c.reg.token).json(&tight))
            .await;
        assert_eq!(status, StatusCode::OK, "a warning is not a refusal: {v}");
        assert_eq!(v["capacity"]["capacity_inspections"], 2);
        assert!(v["warnings"][0].as_str().unwrap().contains("超过执法能力"), "{v}");
        // The inspectors default to the bureau's certified inspectors.
        crate::inspection_support::inspector(&app, "zf1", "420103").await;
        let mut body = plan_body(2028, &[], &months(4, 0));
        body.as_object_mut().unwrap().remove("inspectors");
        let (status, v) = app.post(&c.reg.token, "/api/v1/annual-plans", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!(v["capacity"]["inspectors"], 1, "{v}");
        assert_eq!(v["capacity"]["suggested_inspectors"], 1, "{v}");
    })
    .await;
}

#[tokio::test]
async fn an_approver_who_did_not_draft_it_approves_once_per_bureau_and_year() {
    on_each_backend(|app| async move {
        let c = county(&app).await;
        let both = app.user("both").role(Role::Regulator).role(Role::Approver).region("420103").create().await;
        let (status, v) = app.post(&both.token, "/api/v1/annual-plans", &plan_body(2027, &[c.key], &months(4, 0))).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().unwrap();
        assert_eq!(step(&app, &c.approver, id, "approve", &json!({})).await.0, StatusCode::CONFLICT, "a draft is not approved");
        let (status, v) = step(&app, &both, id, "submit", &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert!(v["allowed_actions"].as_array().unwrap().iter().all(|a| a != "approve"), "{v}");
        let (status, v) = step(&app, &both, id, "approve", &json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the drafter does not approve: {v}");
        assert!(v["error"]["message"].as_str().unwrap_or_default().contains("起草人"), "{v}");
        assert_eq!(step(&app, &c.reg, id, "approve", &json!({})).await.0, StatusCode::FORBIDDEN, "a regulator does not approve");
        let (status, v) = step(&app, &c.approver, id, "approve", &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "approved");
        assert_eq!(v["approved_by"], c.approver.id);
        let (status, v) = app.post(&c.reg.token, "/api/v1/annual-plans", &plan_body(2027, &[c.key], &months(4, 0))).await;
        assert_eq!(status, StatusCode::CONFLICT, "{v}");
        assert_eq!(v["error"]["code"], "plan_exists");
        // 报本级政府批准 and 上一级备案.
        let record = json!({"government_approved_on": "2027-01-20", "government_document": "江汉政函〔2027〕3号", "filed_on": "2027-01-25"});
        let (status, v) = step(&app, &c.reg, id, "record", &record).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["government_document"], "江汉政函〔2027〕3号");
        assert_eq!(v["filed_on"], "2027-01-25");
        let (status, list) = app.get(&c.reg.token, "/api/v1/annual-plans?year=2027").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["total"], 1, "{list}");
    })
    .await;
}

#[tokio::test]
async fn a_revision_goes_through_approval_again_and_the_history_is_kept() {
    on_each_backend(|app| async move {
        let c = county(&app).await;
        let first = approved_plan(&app, &c.reg, &c.approver, 2027, &[c.key], 4, true).await;
        let body = plan_body(2027, &[c.key, c.ordinary[0]], &months(5, 3));
        let (status, v) = step(&app, &c.reg, first, "revisions", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a revision needs its reason: {v}");
        assert!(!messages(&v, "reason").is_empty());
        let mut body = body;
        body["reason"] = json!("新增重点企业一家");
        let (status, v) = step(&app, &c.reg, first, "revisions", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!(
            (v["revision"].as_i64(), v["status"].as_str(), v["revises_id"].as_i64()),
            (Some(2), Some("draft"), Some(first))
        );
        // 2 key + ⌈9 × 0.3⌉ = 5.
        assert_eq!(v["planned_total"], 5, "{v}");
        let second = v["id"].as_i64().unwrap();
        assert_eq!(step(&app, &c.reg, first, "revisions", &body).await.0, StatusCode::CONFLICT, "one open revision");
        let (_, plan) = app.get(&c.reg.token, &format!("/api/v1/annual-plans/{first}")).await;
        assert_eq!(plan["status"], "approved", "the approved plan applies until the revision is approved");
        step(&app, &c.reg, second, "submit", &json!({})).await;
        let (status, v) = step(&app, &c.approver, second, "return", &json!({"reason": " "})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let (status, v) = step(&app, &c.approver, second, "return", &json!({"reason": "请说明新增依据"})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["status"].as_str(), v["returned_reason"].as_str()), (Some("draft"), Some("请说明新增依据")));
        step(&app, &c.reg, second, "submit", &json!({})).await;
        let (status, v) = step(&app, &c.approver, second, "approve", &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let (_, plan) = app.get(&c.reg.token, &format!("/api/v1/annual-plans/{first}")).await;
        assert_eq!(plan["status"], "superseded", "{plan}");
        let (status, h) = app.get(&c.reg.token, &format!("/api/v1/annual-plans/{second}/revisions")).await;
        assert_eq!(status, StatusCode::OK, "{h}");
        assert_eq!(h.as_array().unwrap().len(), 2, "{h}");
        assert_eq!(h[1]["reason"], "新增重点企业一家");
        assert_eq!(h[1]["created_by"], c.reg.id);
        assert_eq!(h[1]["approved_by"], c.approver.id);
        let changed: Vec<&str> = h[1]["changed"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        assert!(changed.contains(&"重点检查企业") && changed.contains(&"月度安排"), "{h}");
        assert!(!changed.contains(&"执法人员数"), "{h}");
        let (_, list) = app.get(&c.reg.token, "/api/v1/annual-plans?year=2027").await;
        assert_eq!(list["total"], 2, "nothing is deleted: {list}");
        let (_, report) = app.get(&c.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "every audited row matches its latest entry: {report}");
    })
    .await;
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// A completed inspection of the bureau inserted directly.
async fn completed(app: &TestApp, bureau: i64, enterprise: i64, kind: Kind, done: &str) -> i64 {
    let t = at(done);
    let row = inspection::ActiveModel {
        bureau_id: Set(bureau),
        enterprise_id: Set(enterprise),
        kind: Set(kind),
        status: Set(Status::Completed),
        planned_date: Set(t.date_naive()),
        plan_text: Set("检查".into()),
        checklists: Set("[]".into()),
        counts_against_cap: Set(true),
        over_cap: Set(false),
        created_by: Set(1),
        created_at: Set(t),
        completed_at: Set(Some(t)),
        version: Set(1),
        updated_at: Set(t),
        ..Default::default()
    };
    row.insert(app.state.db.conn()).await.unwrap().id
}

/// An executed (or superseded) draw with one task per enterprise, inserted directly.
async fn drawn(app: &TestApp, bureau: i64, plan: Option<i64>, tasks: &[(i64, Option<i64>)], superseded: bool) {
    let t = at("2027-02-01T02:00:00Z");
    let status =
        if superseded { anjian::draw::domain::Status::Superseded } else { anjian::draw::domain::Status::Executed };
    let h = "0".repeat(64);
    let d = draw::ActiveModel {
        bureau_id: Set(bureau),
        title: Set("一季度双随机抽查".into()),
        status: Set(status),
        include_subordinates: Set(false),
        filter: Set("{}".into()),
        request: Set("{}".into()),
        planned_date: Set(NaiveDate::from_ymd_opt(2027, 2, 10).unwrap()),
        plan_id: Set(plan),
        algorithm: Set("anjian-draw-v1".into()),
        hash_alg: Set("sha256".into()),
        pool_hash: Set(h.clone()),
        enterprises_hash: Set(h.clone()),
        inspectors_hash: Set(h.clone()),
        exclusions_hash: Set(h.clone()),
        parameters_hash: Set(h.clone()),
        inspector_ids_hash: Set(h.clone()),
        commitment: Set(h),
        secret_mode: Set(anjian::draw::domain::SecretMode::Server),
        enterprise_count: Set(10),
        inspector_count: Set(2),
        sample_count: Set(i32::try_from(tasks.len()).unwrap()),
        unstaffed_count: Set(0),
        created_by: Set(1),
        committed_at: Set(t),
        version: Set(1),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(app.state.db.conn())
    .await
    .unwrap();
    crate::draw_support::store_pool(app.state.db.conn(), d.id, None).await;
    for (seq, (e, i)) in (1..).zip(tasks) {
        draw_task::ActiveModel {
            draw_id: Set(d.id),
            seq: Set(seq),
            enterprise_id: Set(*e),
            credit_code: Set(String::new()),
            certificate_nos: Set("[]".into()),
            inspector_ids: Set("[]".into()),
            inspection_id: Set(*i),
            version: Set(1),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(app.state.db.conn())
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn coverage_counts_inspections_and_draws_against_the_plan() {
    on_each_backend(|app| async move {
        let c = county(&app).await;
        let other = app.user("reg2").role(Role::Regulator).region("420104").create().await;
        let id = approved_plan(&app, &c.reg, &c.approver, 2027, &[c.key, c.ordinary[9]], 5, true).await;
        let (_, plan) = app.get(&c.reg.token, &format!("/api/v1/annual-plans/{id}")).await;
        let bureau = plan["bureau_id"].as_i64().unwrap();
        // The key enterprise twice (counted once), a complaint (exempt), one last year, and a drawn one.
        completed(&app, bureau, c.key, Kind::Planned, "2027-03-05T02:00:00Z").await;
        completed(&app, bureau, c.key, Kind::Planned, "2027-05-06T02:00:00Z").await;
        completed(&app, bureau, c.ordinary[9], Kind::Complaint, "2027-05-07T02:00:00Z").await;
        completed(&app, bureau, c.ordinary[9], Kind::Planned, "2026-12-31T15:00:00Z").await;
        let done = completed(&app, bureau, c.ordinary[0], Kind::DoubleRandom, "2027-03-20T02:00:00Z").await;
        drawn(&app, bureau, Some(id), &[(c.ordinary[0], Some(done)), (c.ordinary[1], None)], false).await;
        drawn(&app, bureau, None, &[(c.ordinary[2], None)], false).await;
        drawn(&app, bureau, Some(id), &[(c.ordinary[3], None)], true).await;
        let (status, v) = app.get(&c.reg.token, &format!("/api/v1/annual-plans/{id}/coverage")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["key_planned"].as_u64(), v["key_inspected"].as_u64()), (Some(2), Some(1)), "{v}");
        let missing: Vec<i64> = v["key_enterprises"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["inspected"] == false)
            .map(|k| k["id"].as_i64().unwrap())
            .collect();
        assert_eq!(missing, vec![c.ordinary[9]], "the one inspected only last year or by a complaint is still owed");
        assert_eq!(v["key_enterprises"][0]["last_completed_on"], "2027-05-06");
        let r = &v["random"][0];
        assert_eq!(
            (r["planned"].as_u64(), r["drawn"].as_u64(), r["completed"].as_u64()),
            (Some(3), Some(3), Some(1)),
            "{v}"
        );
        assert_eq!(v["completed_inspections"], 3, "{v}");
        assert_eq!(v["monthly"][2]["completed"], 2, "{v}");
        assert_eq!(v["monthly"][4]["completed"], 1, "{v}");
        assert_eq!(v["monthly"][2]["planned"], 5);
        assert_eq!(v["used_days"], 4.5);
        assert_eq!(v["capacity_days"], 6.0);
        // The workbook says the same in Chinese.
        let res = app
            .client
            .get(app.url(&format!("/api/v1/annual-plans/{id}/coverage.xlsx")))
            .bearer_auth(&c.reg.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.unwrap().to_vec();
        let keys = sheet_rows(bytes.clone(), "重点检查");
        assert_eq!(keys[0], ["企业名称", "统一社会信用代码", "是否已检查", "最近完成日期"]);
        assert_eq!(keys[1][2], "已检查");
        assert_eq!(keys[2][2], "未检查");
        let random = sheet_rows(bytes.clone(), "随机抽查");
        assert_eq!(random[1], ["危险化学品", "B类（一般风险）", "3", "3", "1"], "{random:?}");
        let months = sheet_rows(bytes.clone(), "月度进度");
        assert_eq!(months[3], ["3月", "5", "2"]);
        let overview = sheet_rows(bytes, "概况");
        assert!(overview.iter().any(|r| r[0] == "已完成检查（家次）" && r[1] == "3"), "{overview:?}");
        // Outside the scope: 404.
        for path in ["", "/coverage", "/coverage.xlsx", "/revisions"] {
            let (status, _) = app.get(&other.token, &format!("/api/v1/annual-plans/{id}{path}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let (_, list) = app.get(&other.token, "/api/v1/annual-plans").await;
        assert_eq!(list["total"], 0);
        assert_eq!(step(&app, &other, id, "record", &json!({"filed_on": "2027-01-25"})).await.0, StatusCode::NOT_FOUND);
    })
    .await;
}
