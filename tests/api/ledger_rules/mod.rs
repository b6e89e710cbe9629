//! The ledger's rules as corrected by issue 10, through the API on SQLite and
//! PostgreSQL: the origin closer and re-grading both ways, the 挂牌督办 level
//! (谁挂牌谁摘牌), reopening, people rather than accounts, grid patrol reports,
//! the void's second person, and who sees a reporter's identity.

mod grading;
mod migration;
mod pages;
mod people;
mod void;

use crate::helpers::{TestApp, TestUser};
use reqwest::StatusCode;
use serde_json::{Value, json};

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00ledger-rules";

/// An uploaded photo's id.
async fn photo(app: &TestApp, u: &TestUser) -> i64 {
    let (status, v) = app.upload(&u.token, "/api/v1/attachments", "现场.jpg", JPEG.to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

/// An uploaded PDF (a 评估报告 or 复产申请).
async fn pdf(app: &TestApp, u: &TestUser) -> i64 {
    let (status, v) = app.upload(&u.token, "/api/v1/attachments", "报告.pdf", b"%PDF-1.4\n".to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

/// A complete 治理方案 (16号令 art. 15).
fn full_plan() -> Value {
    json!({"plan": {"goals": "消除报警失效", "measures": "更换报警器", "funds": 1000.0, "responsible_org": "设备部",
        "responsible_person": "张三", "deadline": "2026-12-15", "safety_measures": "罐区停止进料",
        "emergency_plan": "罐区专项应急预案"}})
}

/// A hazard of the enterprise with a deadline of 10 December.
fn report(enterprise: i64, level: &str, source: &str) -> Value {
    json!({
        "enterprise_id": enterprise, "source": source, "level": level, "category": "unsafe_condition",
        "title": "储罐区可燃气体报警器失效", "description": "罐区 3 台报警器未投用",
        "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-12-10",
    })
}

/// Reports a hazard as `u`; its detail.
async fn report_as(app: &TestApp, u: &TestUser, body: &Value) -> Value {
    let (status, h) = app.post(&u.token, "/api/v1/hazards", body).await;
    assert_eq!(status, StatusCode::CREATED, "{h}");
    h
}

/// Takes a step that must succeed; the hazard after it.
async fn step(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await;
    assert_eq!(status, StatusCode::OK, "{action}: {v}");
    v
}

/// Tries a step; the status and the error code.
async fn attempt(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) -> (StatusCode, Value) {
    app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await
}

/// The hazard as `u` sees it.
async fn detail(app: &TestApp, u: &TestUser, id: i64) -> Value {
    let (status, h) = app.get(&u.token, &format!("/api/v1/hazards/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{h}");
    h
}

/// The steps `u` is offered on hazard `id`.
async fn offered(app: &TestApp, u: &TestUser, id: i64) -> Vec<String> {
    let h = detail(app, u, id).await;
    h["allowed_actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect()
}

/// The titles of `u`'s open to-dos.
async fn todo_titles(app: &TestApp, u: &TestUser) -> Vec<String> {
    let (status, v) = app.get(&u.token, "/api/v1/todos").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect()
}

/// The `days`-th working day after `start`, as the calendar counts it.
async fn working_days(app: &TestApp, u: &TestUser, start: &str, days: u32) -> String {
    let (status, v) = app.get(&u.token, &format!("/api/v1/calendar/working-days?start={start}&days={days}")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["date"].as_str().unwrap().to_owned()
}

/// The id of the hazard in a detail.
fn id_of(h: &Value) -> i64 {
    h["id"].as_i64().unwrap()
}
