//! The printed 执法文书 drawn from the on-site record, over HTTP on SQLite and
//! PostgreSQL: the 现场检查记录, 责令限期整改指令书, 现场处理措施决定书 and 整改复查意见书
//! show their reserved numbers, the findings and measures, the deadlines and the
//! bureau's 救济告知; an unverified item's basis is printed only once the
//! inspector confirmed it ("依据待核实" before).

use crate::helpers::{TestApp, TestUser, on_each_backend, world};
use crate::inspection_support::{approved_inspection, inspector};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

const GM01_BASIS: &str = "《中华人民共和国安全生产法》第四条、第二十一条第一项、第二十二条";

async fn page(app: &TestApp, u: &TestUser, path: &str) -> String {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = client.get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

async fn ok(app: &TestApp, u: &TestUser, path: &str, body: &Value, expected: StatusCode) -> Value {
    let (status, v) = app.post(&u.token, path, body).await;
    assert_eq!(status, expected, "{path}: {v}");
    v
}

async fn png(app: &TestApp, u: &TestUser) -> i64 {
    let (s, v) = app.upload(&u.token, "/api/v1/attachments", "sig.png", b"\x89PNG\r\n\x1a\nxx".to_vec()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

/// The reserved number of document `kind` of inspection `id`.
async fn number(app: &TestApp, u: &TestUser, id: i64, kind: &str) -> String {
    let (_, v) = app.get(&u.token, &format!("/api/v1/inspections/{id}")).await;
    let docs = v["documents"].as_array().unwrap();
    let d = docs.iter().find(|d| d["type"] == kind).unwrap_or_else(|| panic!("no {kind}: {v}"));
    d["number"].as_str().unwrap().to_owned()
}

/// Starts inspection `id`, marks HC-01 and GM-01 不符合 (the rest 符合), records a
/// finding on each (GM-01's basis not confirmed) and a measure; the GM-01 finding's body.
async fn record(app: &TestApp, a: &TestUser, id: i64) -> (i64, Value) {
    let r = ok(app, a, &format!("/api/v1/inspections/{id}/start"), &json!({"people_present": "张三"}), StatusCode::OK)
        .await;
    let results: Vec<Value> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let bad = i["code"] == "HC-01" || i["code"] == "GM-01";
            json!({"code": i["code"], "outcome": if bad { "non_conform" } else { "conform" }})
        })
        .collect();
    let req =
        app.client.put(app.url(&format!("/api/v1/inspections/{id}/results"))).bearer_auth(&a.token).json(&results);
    assert_eq!(app.send(req).await.0, StatusCode::OK);
    let findings = format!("/api/v1/inspections/{id}/findings");
    let hc = json!({"item_code": "HC-01", "severity": "general", "description": "主要负责人未取得考核合格证",
        "deadline": "2026-12-15"});
    ok(app, a, &findings, &hc, StatusCode::CREATED).await;
    let gm = json!({"item_code": "GM-01", "severity": "general", "description": "安全生产责任制未覆盖全员",
        "deadline_working_days": 10, "basis_confirmed": false});
    let v = ok(app, a, &findings, &gm, StatusCode::CREATED).await;
    let fid =
        v["findings"].as_array().unwrap().iter().find(|f| f["item_code"] == "GM-01").unwrap()["id"].as_i64().unwrap();
    let measure = json!({"kind": "stop_equipment", "scope_text": "二号反应釜", "basis": "《中华人民共和国安全生产法》第六十五条"});
    ok(app, a, &format!("/api/v1/inspections/{id}/measures"), &measure, StatusCode::CREATED).await;
    (fid, gm)
}

/// Both inspectors and the 负责人 sign; the record is completed.
async fn sign_and_complete(app: &TestApp, a: &TestUser, b: &TestUser, id: i64) {
    let path = format!("/api/v1/inspections/{id}/signatures");
    for body in [
        json!({"signer": "inspector", "attachment_id": png(app, a).await}),
        json!({"signer": "inspector", "user_id": b.id, "attachment_id": png(app, a).await}),
        json!({"signer": "enterprise", "name": "张三", "attachment_id": png(app, a).await}),
    ] {
        ok(app, a, &path, &body, StatusCode::CREATED).await;
    }
    ok(app, a, &format!("/api/v1/inspections/{id}/complete"), &json!({}), StatusCode::OK).await;
}

fn has_all(html: &str, parts: &[&str], what: &str) {
    for p in parts {
        assert!(html.contains(p), "{what} lacks “{p}”:\n{html}");
    }
}

#[tokio::test]
async fn the_printed_record_order_measures_and_opinion_show_numbers_findings_deadlines_and_relief() {
    on_each_backend(async |app| {
        let site = world(&app).await;
        let (a, b) = (inspector(&app, "zf1", "420103").await, inspector(&app, "zf2", "420103").await);
        let approver = app.user("pzr").role(Role::Approver).region("420103").create().await;
        let id = approved_inspection(&app, &site.reg, &approver, &[&a, &b], site.enterprise).await;
        let (fid, mut gm) = record(&app, &a, id).await;

        let order = page(&app, &a, &format!("/inspections/{id}/documents/rectification-order")).await;
        assert_eq!(order.matches("依据待核实").count(), 1, "GM-01 is unverified and not confirmed:\n{order}");
        assert!(!order.contains(GM01_BASIS), "an unconfirmed basis is not printed");
        gm["basis_confirmed"] = json!(true);
        let (st, v) = app.patch(&a.token, &format!("/api/v1/inspections/{id}/findings/{fid}"), &gm).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let order = page(&app, &a, &format!("/inspections/{id}/documents/rectification-order")).await;
        assert!(!order.contains("依据待核实") && order.contains(GM01_BASIS), "confirmed, it is printed:\n{order}");

        sign_and_complete(&app, &a, &b, id).await;
        let relief = "行政复议";
        let record = page(&app, &a, &format!("/inspections/{id}/documents/site-record")).await;
        let n = number(&app, &a, id, "site_record").await;
        has_all(
            &record,
            &[&n, "主要负责人未取得考核合格证", "安全生产责任制未覆盖全员", "二号反应釜", "张三", relief],
            "the record",
        );
        let order = page(&app, &a, &format!("/inspections/{id}/documents/rectification-order")).await;
        let n = number(&app, &a, id, "rectification_order").await;
        has_all(
            &order,
            &[&n, "主要负责人未取得考核合格证", "2026年12月15日前", "10 个工作日", GM01_BASIS, relief],
            "the order",
        );
        let measures = page(&app, &a, &format!("/inspections/{id}/documents/on-site-measures")).await;
        let n = number(&app, &a, id, "on_site_measures").await;
        has_all(&measures, &[&n, "停止使用相关设施、设备", "二号反应釜", "第六十五条", relief], "the measures");

        let child = reinspected(&app, &site.officer, &b, id).await;
        let opinion = page(&app, &b, &format!("/inspections/{child}/documents/reinspection-opinion")).await;
        let n = number(&app, &b, child, "reinspection_opinion").await;
        has_all(&opinion, &[&n, "已整改，复查合格", "主要负责人和安全生产管理人员", relief], "the opinion");
    })
    .await;
}

/// The enterprise submits every hazard of inspection `id`; `b` re-inspects and passes them; the child's id.
async fn reinspected(app: &TestApp, officer: &TestUser, b: &TestUser, id: i64) -> i64 {
    let (_, r) = app.get(&b.token, &format!("/api/v1/inspections/{id}/record")).await;
    let hazards: Vec<i64> = r["findings"].as_array().unwrap().iter().filter_map(|f| f["hazard_id"].as_i64()).collect();
    assert_eq!(hazards.len(), 2, "{r}");
    for h in &hazards {
        let body = json!({"attachment_ids": [png(app, officer).await], "rectifier_name": "王五"});
        ok(app, officer, &format!("/api/v1/hazards/{h}/submit"), &body, StatusCode::OK).await;
    }
    let child = ok(app, b, &format!("/api/v1/inspections/{id}/reinspections"), &json!({}), StatusCode::CREATED).await;
    let cid = child["inspection_id"].as_i64().unwrap();
    let verdicts: Vec<Value> = hazards.iter().map(|h| json!({"hazard_id": h, "passed": true})).collect();
    ok(app, b, &format!("/api/v1/inspections/{cid}/verdicts"), &json!({"verdicts": verdicts}), StatusCode::OK).await;
    cid
}
