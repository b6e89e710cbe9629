//! After the decision: the art. 113 alert at the third WSL decision within 180 days
//! for an enterprise with an open major hazard (and not for one without), the art.
//! 112 proposal with its potential amount, and publication on the public site — on
//! time, reminded when late, withdrawn when the decision is revoked.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend, start_time};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Bureau {
    reg: TestUser,
    h1: TestUser,
    h2: TestUser,
    reviewer: TestUser,
    approver: TestUser,
}

async fn bureau(app: &TestApp) -> Bureau {
    Bureau {
        reg: app.user("reg").role(Role::Regulator).region("420103").create().await,
        h1: app.user("cb1").role(Role::Inspector).region("420103").create().await,
        h2: app.user("cb2").role(Role::Inspector).region("420103").create().await,
        reviewer: app.user("fashen").role(Role::LegalReviewer).region("420103").create().await,
        approver: app.user("fuze").role(Role::Approver).region("420103").create().await,
    }
}

async fn post(app: &TestApp, by: &TestUser, path: &str, body: &Value) -> Value {
    let (status, v) = app.post(&by.token, path, body).await;
    assert!(status.is_success(), "{path}: {status} {v}");
    v
}

/// A general case against `enterprise` (and 张三), decided with a 10,000 yuan fine under wsl-102.
async fn decided(app: &TestApp, b: &Bureau, enterprise: i64) -> Value {
    let body = json!({"parties": [{"kind": "unit", "enterprise_id": enterprise}, {"kind": "person", "name": "张三"}],
        "facts": "复查发现事故隐患未消除", "procedure": "general", "co_handler_id": b.h2.id,
        "violations": [{"catalogue_code": "wsl-102", "party": 0}]});
    let c = post(app, &b.h1, "/api/v1/cases", &body).await;
    let p = |s: &str| format!("/api/v1/cases/{}/{s}", c["id"]);
    post(app, &b.approver, &p("file"), &json!({})).await;
    let fines = json!([{"violation_id": c["violations"][0]["id"], "step": "slight", "fine_yuan": 10000}]);
    post(app, &b.h1, &p("report"), &json!({"decision": "penalty", "fines": fines})).await;
    post(app, &b.h1, &p("notify"), &json!({})).await;
    post(app, &b.h1, &p("statement"), &json!({"note": "放弃陈述申辩", "waive": true})).await;
    post(app, &b.reviewer, &p("review"), &json!({"opinion": "approve", "note": "同意"})).await;
    post(app, &b.approver, &p("decide"), &json!({})).await
}

async fn closure_alerts(app: &TestApp, reg: &TestUser) -> Vec<String> {
    let (_, v) = app.get(&reg.token, "/api/v1/todos").await;
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "closure_alert")
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_third_wsl_decision_in_180_days_alerts_when_a_major_hazard_is_open() {
    on_each_backend(|app| async move {
        let b = bureau(&app).await;
        let new = |n, name| enterprise_body(&code("420103", n), name, "hazardous_chemicals", "hc_production", "420103");
        let with_hazard = app.enterprise(&b.reg.token, new(1, "甲化工有限公司")).await;
        let without = app.enterprise(&b.reg.token, new(2, "乙化工有限公司")).await;
        let major = json!({"enterprise_id": with_hazard, "source": "tip_off", "level": "major",
            "category": "unsafe_condition", "title": "储罐区可燃气体报警器失效", "description": "d",
            "found_at": "2026-11-21T08:00:00Z"});
        post(&app, &b.reg, "/api/v1/hazards", &major).await;
        for n in 1..=3 {
            decided(&app, &b, with_hazard).await;
            decided(&app, &b, without).await;
            let alerts = closure_alerts(&app, &b.reg).await;
            assert_eq!(alerts.len(), usize::from(n == 3), "after {n} decisions: {alerts:?}");
        }
        let alerts = closure_alerts(&app, &b.reg).await;
        assert!(alerts[0].starts_with("甲化工有限公司") && alerts[0].contains("第一百一十三条"), "{alerts:?}");
        let (_, listed) = app.get(&b.reg.token, "/api/v1/cases/closure-alerts").await;
        assert_eq!(
            (listed["total"].as_u64(), listed["items"][0]["enterprise_id"].as_i64()),
            (Some(1), Some(with_hazard))
        );
        assert_eq!(listed["items"][0]["case_ids"].as_array().unwrap().len(), 3, "{listed}");
        let (_, s) = app.get(&b.reg.token, "/api/v1/cases/statistics?year=2026").await;
        assert_eq!(
            (s["decisions"].as_u64(), s["fines_decided_yuan"].as_i64(), s["cases_filed"].as_u64()),
            (Some(6), Some(60_000), Some(6)),
            "{s}"
        );
        assert_eq!(
            (s["by_sector"][0]["sector_label"].as_str(), s["by_sector"][0]["decisions"].as_u64()),
            (Some("危险化学品"), Some(6)),
            "{s}"
        );
        assert_eq!(
            (s["by_article"][0]["citation"].as_str(), s["by_article"][0]["violations"].as_u64()),
            (Some("《安全生产法》第一百零二条"), Some(6))
        );
        // The nightly scan finds the same and does not repeat it.
        let report = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(report.penalties.closure_alerts, 1, "{report:?}");
        assert_eq!(closure_alerts(&app, &b.reg).await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_refusal_to_correct_proposes_a_daily_penalty_case_with_its_potential_amount() {
    on_each_backend(|app| async move {
        let b = bureau(&app).await;
        let e = app
            .enterprise(
                &b.reg.token,
                enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103"),
            )
            .await;
        let c = decided(&app, &b, e).await;
        let path = format!("/api/v1/cases/{}/daily_penalty", c["id"]);
        let (status, v) = app.post(&b.h1.token, &path, &json!({"note": "复查仍未改正"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["ordered_on"].is_array(), "{v}");
        let c = post(&app, &b.h1, &path, &json!({"ordered_on": "2026-11-12", "note": "复查发现报警器仍未投用"})).await;
        let record = &c["steps"].as_array().unwrap().last().unwrap()["body"];
        assert_eq!((record["days"].as_i64(), record["potential_yuan"].as_i64()), (Some(10), Some(100_000)), "{record}");
        let (_, new) = app.get(&b.h1.token, &format!("/api/v1/cases/{}", record["new_case_id"])).await;
        assert_eq!((new["status"].as_str(), new["origin_case_id"].as_i64()), (Some("proposed"), c["id"].as_i64()));
        assert!(new["facts"].as_str().unwrap().contains("可能的罚款数额为 100000 元"), "{new}");
        assert_eq!(new["violations"][0]["fine_yuan"], Value::Null, "a proposal, not a debt");
        assert_eq!(c["money"]["fine_yuan"], 10000, "the original decision is unchanged");
    })
    .await;
}

#[tokio::test]
async fn decisions_are_published_on_time_and_withdrawn_when_revoked() {
    on_each_backend(|app| async move {
        let b = bureau(&app).await;
        let e = app
            .enterprise(
                &b.reg.token,
                enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103"),
            )
            .await;
        let c = decided(&app, &b, e).await;
        let late = decided(&app, &b, e).await;
        // Decided on Sunday 2026-11-22: seven working days end on Tuesday 2026-12-01.
        assert_eq!(c["publication_due"], "2026-12-01", "{c}");
        let c = post(&app, &b.h1, &format!("/api/v1/cases/{}/publish", c["id"]), &json!({})).await;
        assert!(c["published_at"].is_string());
        let page = app.client.get(app.url("/public/penalties")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("甲化工有限公司") && page.contains("张某") && page.contains("1万元"), "{page}");
        assert!(!page.contains("张三"), "a person shows by surname only");

        let revoke = json!({"note": "江汉区人民政府行政复议决定撤销"});
        let c = post(&app, &b.approver, &format!("/api/v1/cases/{}/revoke", c["id"]), &revoke).await;
        assert_eq!((c["status"].as_str(), c["withdrawn_at"].is_string()), (Some("revoked"), true));
        let page = app.client.get(app.url("/public/penalties")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("暂无公开的行政处罚决定"), "withdrawn at once");

        // The unpublished one is reminded to its handler after its due date.
        app.clock.set(start_time() + chrono::Duration::days(10));
        let report = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(report.penalties.publication_late, 1, "{report:?}");
        let h1 = app.login("cb1", crate::helpers::PASSWORD).await.1;
        let (_, todos) = app.get(h1["token"].as_str().unwrap(), "/api/v1/todos").await;
        let link = format!("/cases/{}", late["id"]);
        assert!(
            todos["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["kind"] == "case_publication_late" && t["link"] == link.as_str()),
            "{todos}"
        );
    })
    .await;
}
