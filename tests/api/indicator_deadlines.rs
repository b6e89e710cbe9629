//! The cockpit's figures over steps with a deadline, each from a small data set built
//! through the API on a fixed clock: draw results published within their 20 working
//! days, penalty decisions published within 7, cases decided within 90 days of 立案,
//! and major hazards handed in by their deadline. A record still within its deadline
//! counts nowhere; one past it counts against the rate; the records behind each
//! figure are exactly those.

use crate::case_pages::{decided, office, proposed};
use crate::dishonesty::relogin;
use crate::draw_results::{complete, drawn};
use crate::helpers::{TestApp, TestUser, on_each_backend, world};
use crate::indicators::item;
use reqwest::StatusCode;
use serde_json::{Value, json};

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00photo-bytes";

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

async fn ok(app: &TestApp, token: &str, path: &str, body: &Value) -> Value {
    let (status, v) = app.post(token, path, body).await;
    assert!(status.is_success(), "{path}: {status} {v}");
    v
}

/// Recomputes 江汉区 as `token` and answers the figure `code` and its records' `(label, counted)`.
async fn figure_and_records(app: &TestApp, token: &str, code: &str) -> (Value, Vec<(String, bool)>) {
    ok(app, token, "/api/v1/indicators/recompute?region=420103", &json!({})).await;
    let (status, list) = app.get(token, "/api/v1/indicators?region=420103").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let (status, r) = app.get(token, &format!("/api/v1/indicators/{code}/records?region=420103")).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let mut records: Vec<(String, bool)> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["label"].as_str().unwrap().to_owned(), i["counted"].as_bool().unwrap()))
        .collect();
    records.sort();
    assert_eq!(r["total"].as_u64(), Some(records.len() as u64), "{r}");
    (item(&list, code).clone(), records)
}

fn numbers(i: &Value) -> (Option<f64>, i64, Option<f64>) {
    (i["value"].as_f64(), i["numerator"].as_i64().unwrap(), i["denominator"].as_f64())
}

#[tokio::test]
async fn draw_results_count_once_published_or_once_late() {
    on_each_backend(|app| async move {
        app.clock.set(at("2026-09-21T02:00:00Z"));
        let s = drawn(&app, 3).await;
        for i in &s.inspections {
            complete(&app, *i).await;
        }
        let result = |task: i64| format!("/api/v1/draw-tasks/{task}/result");
        let publish = format!("/api/v1/draws/{}/publish", s.draw);
        // Task 0: recorded and published the same day. Task 1: recorded too, due 26 October.
        ok(&app, &s.a.token, &result(s.tasks[0]), &json!({"result": "no_problem"})).await;
        ok(&app, &s.reg.token, &publish, &json!({})).await;
        ok(&app, &s.a.token, &result(s.tasks[1]), &json!({"result": "no_problem"})).await;
        // 28 October: task 1 is late; task 2 is recorded and published at once, both published now.
        app.clock.set(at("2026-10-28T02:00:00Z"));
        let (inspector, reg) = (relogin(&app, "insp_a").await, relogin(&app, "reg").await);
        ok(&app, &inspector, &result(s.tasks[2]), &json!({"result": "no_problem"})).await;
        ok(&app, &reg, &publish, &json!({})).await;
        let (fig, records) = figure_and_records(&app, &reg, "double_random_published_on_time").await;
        assert_eq!(numbers(&fig), (Some(66.7), 2, Some(3.0)), "{fig}");
        let names = ["抽中化工0有限公司", "抽中化工1有限公司", "抽中化工2有限公司"];
        assert_eq!(
            records,
            names.iter().zip([true, false, true]).map(|(n, c)| ((*n).to_owned(), c)).collect::<Vec<_>>()
        );
    })
    .await;
}

#[tokio::test]
async fn penalty_decisions_and_cases_count_against_their_time_limits() {
    on_each_backend(|app| async move {
        // Monday 3 August: two decisions (one published at once), a case filed and left, a 不予处罚.
        app.clock.set(at("2026-08-03T02:00:00Z"));
        let o = office(&app).await;
        let published = decided(&app, &o, 3000).await;
        let unpublished = decided(&app, &o, 5000).await;
        let waiting = proposed(&app, &o).await["id"].as_i64().unwrap();
        ok(&app, &o.approver.token, &format!("/api/v1/cases/{waiting}/file"), &json!({})).await;
        decided(&app, &o, 0).await;
        ok(&app, &o.h1.token, &format!("/api/v1/cases/{published}/publish"), &json!({})).await;
        // 2 September: the unpublished decision is past its seven working days; the
        // waiting case is still within its ninety days, so it counts nowhere yet.
        app.clock.set(at("2026-09-02T02:00:00Z"));
        let reg = relogin(&app, "reg").await;
        let (fig, records) = figure_and_records(&app, &reg, "penalty_published_on_time").await;
        assert_eq!(numbers(&fig), (Some(50.0), 1, Some(2.0)), "{fig}");
        assert_eq!(records.iter().filter(|r| r.1).count(), 1, "{records:?}");
        let (_, r) = app.get(&reg, "/api/v1/indicators/penalty_published_on_time/records?region=420103").await;
        let late = r["items"].as_array().unwrap().iter().find(|i| i["counted"] == false).unwrap();
        assert_eq!(late["href"], format!("/cases/{unpublished}"), "{late}");
        let (fig, _) = figure_and_records(&app, &reg, "cases_within_90_days").await;
        assert_eq!(numbers(&fig), (Some(100.0), 3, Some(3.0)), "{fig}");
        // 2 November: filed on 3 August, undecided after ninety days, the waiting case is late.
        app.clock.set(at("2026-11-02T02:00:00Z"));
        let reg = relogin(&app, "reg").await;
        let (fig, records) = figure_and_records(&app, &reg, "cases_within_90_days").await;
        assert_eq!(numbers(&fig), (Some(75.0), 3, Some(4.0)), "{fig}");
        assert_eq!(records.iter().filter(|r| !r.1).count(), 1, "the waiting case alone is late: {records:?}");
        let (_, r) = app.get(&reg, "/api/v1/indicators/cases_within_90_days/records?region=420103").await;
        let late = r["items"].as_array().unwrap().iter().find(|i| i["counted"] == false).unwrap();
        assert_eq!(late["href"], format!("/cases/{waiting}"), "{late}");
        assert!(late["detail"].as_str().unwrap().contains("2026-08-03 立案"), "{late}");
    })
    .await;
}

/// A major hazard of the world's enterprise, confirmed, assigned and planned with `deadline`.
async fn major(app: &TestApp, w: &crate::helpers::World, title: &str, deadline: &str) -> i64 {
    let (_, photo) = app.upload(&w.principal.token, "/api/v1/attachments", "现场.jpg", JPEG.to_vec()).await;
    let body = json!({"enterprise_id": w.enterprise, "source": "self_check", "level": "major",
        "category": "unsafe_condition", "title": title, "description": "现场发现", "location": "罐区",
        "found_at": "2026-11-21T08:00:00Z", "deadline": deadline, "attachment_ids": [photo["id"]]});
    let id = ok(app, &w.principal.token, "/api/v1/hazards", &body).await["id"].as_i64().unwrap();
    let step = |action: &str| format!("/api/v1/hazards/{id}/{action}");
    ok(app, &w.reg.token, &step("confirm"), &json!({"note": "认定为重大事故隐患"})).await;
    let assignment = json!({"assigning_body": "江汉区安委办", "responsible_unit": "甲化工有限公司",
        "responsible_person": "张三", "supervision_level": "county", "notice_no": format!("江应急督〔2026〕{id}号"),
        "deadline": deadline});
    ok(app, &w.reg.token, &step("assign"), &json!({"assignment": assignment})).await;
    let plan = json!({"goals": "消除隐患", "measures": "更换设备", "funds": 1000, "responsible_org": "设备部",
        "responsible_person": "张三", "deadline": deadline, "safety_measures": "停用", "emergency_plan": "专项预案"});
    ok(app, &w.principal.token, &step("plan"), &json!({"plan": plan})).await;
    id
}

async fn hand_in(app: &TestApp, by: &TestUser, id: i64) {
    let (_, photo) = app.upload(&by.token, "/api/v1/attachments", "整改后.jpg", JPEG.to_vec()).await;
    let (_, report) = app.upload(&by.token, "/api/v1/attachments", "评估报告.pdf", b"%PDF-1.4\n".to_vec()).await;
    let body = json!({"attachment_ids": [photo["id"]], "assessment_report_ids": [report["id"]]});
    ok(app, &by.token, &format!("/api/v1/hazards/{id}/submit"), &body).await;
}

#[tokio::test]
async fn a_major_hazard_is_on_time_when_handed_in_by_its_deadline() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let on_time = major(&app, &w, "储罐区报警器失效", "2026-11-25").await;
        major(&app, &w, "泄压阀失效", "2026-11-26").await;
        major(&app, &w, "防雷检测过期", "2026-12-20").await;
        hand_in(&app, &w.principal, on_time).await;
        let (fig, records) = figure_and_records(&app, &w.reg.token, "major_hazard_on_time_rate").await;
        assert_eq!(numbers(&fig), (Some(100.0), 1, Some(1.0)), "handed in early, the others not yet due: {fig}");
        assert_eq!(records, [("储罐区报警器失效".to_owned(), true)]);
        app.clock.set(at("2026-12-01T02:00:00Z"));
        let reg = relogin(&app, "reg").await;
        let (fig, records) = figure_and_records(&app, &reg, "major_hazard_on_time_rate").await;
        assert_eq!(numbers(&fig), (Some(50.0), 1, Some(2.0)), "{fig}");
        assert_eq!(records, [("储罐区报警器失效".to_owned(), true), ("泄压阀失效".to_owned(), false)]);
    })
    .await;
}
