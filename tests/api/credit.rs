//! Internal credit: the score recomputed identically from the events (and a stored
//! score edited behind the application's back caught), decay with a fixed clock, a
//! rule version's preview moving the expected enterprises and its adoption, a
//! contest upheld voiding its event, the breakdown kept from other enterprises and
//! from the public site, a month without 安责险 cover counted once a month, and a
//! prevention service taken up counted in the enterprise's favour.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend, start_time};
use anjian::auth::Role;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

async fn post(app: &TestApp, by: &TestUser, path: &str, body: &Value) -> Value {
    let (status, v) = app.post(&by.token, path, body).await;
    assert!(status.is_success(), "{path}: {status} {v}");
    v
}

fn accident(enterprise: i64, deaths: u32, day: &str) -> Value {
    json!({"enterprise_id": enterprise, "occurred_at": format!("{day}T01:30:00Z"), "type": "machinery",
        "place": "车间", "summary": "设备检修时被卷入", "deaths": deaths, "serious_injuries": 0})
}

/// Three enterprises of 420103: A with two 较大 accidents and 二级 standardisation, C with
/// one 一般 accident, D with nothing.
async fn register(app: &TestApp, reg: &TestUser) -> [i64; 3] {
    let mut a = enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    a["standardization_grade"] = json!("level2");
    a["standardization_date"] = json!("2026-01-10");
    let a = app.enterprise(&reg.token, a).await;
    let c = app
        .enterprise(
            &reg.token,
            enterprise_body(&code("420103", 2), "丙机械有限公司", "industry_trade", "it_machinery", "420103"),
        )
        .await;
    let d = app
        .enterprise(
            &reg.token,
            enterprise_body(&code("420103", 3), "丁机械有限公司", "industry_trade", "it_machinery", "420103"),
        )
        .await;
    // A must insure (安责险): insured, so only the accidents and the grade count here.
    let cover = json!({"enterprise_id": a, "insurer": "平安财险", "policy_no": "P-A", "starts_on": "2026-01-01",
        "ends_on": "2027-12-31", "premium_yuan": 12000, "insured_headcount": 200, "death_disability_limit_yuan": 500_000});
    post(app, reg, "/api/v1/insurance-policies", &cover).await;
    post(app, reg, "/api/v1/accidents", &accident(a, 3, "2026-06-01")).await;
    post(app, reg, "/api/v1/accidents", &accident(a, 4, "2026-10-01")).await;
    post(app, reg, "/api/v1/accidents", &accident(c, 1, "2026-09-01")).await;
    [a, c, d]
}

fn signals(v: &Value) -> Vec<String> {
    let mut out: Vec<String> =
        v["events"].as_array().unwrap().iter().map(|e| e["signal"].as_str().unwrap().to_owned()).collect();
    out.sort();
    out
}

#[tokio::test]
async fn the_score_is_recomputed_identically_from_the_events() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let [a, c, _] = register(&app, &reg).await;
        let run = post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await;
        assert_eq!(run["events_added"], 4, "{run}");
        let again = post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await;
        assert_eq!((again["events_added"].as_u64(), again["changed"].as_u64()), (Some(0), Some(0)), "{again}");

        let (status, v) = app.get(&reg.token, &format!("/api/v1/enterprises/{a}/credit")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(
            signals(&v),
            ["accident_relatively_serious", "accident_relatively_serious", "standardization_level2"],
            "{v}"
        );
        // 2 × 40 (较大, in full for a year) − 12 (二级达标) = 68: 较高 (40–70).
        assert_eq!(v["score"], 68.0, "{v}");
        assert_eq!((v["class"].as_str(), v["class_name"].as_str()), (Some("elevated"), Some("较高")));
        assert_eq!(v["stored_score"], v["score"]);
        assert_eq!(v["rule_verified"], false, "the weights are product defaults");
        let event = &v["events"].as_array().unwrap()[0];
        assert!(
            event["weight"].is_i64() && event["decay_percent"] == 100 && event["signal_label"].is_string(),
            "{event}"
        );

        // Nothing differs; then a stored score edited behind the application's back is caught.
        let (_, found) = anjian::credit::recompute::check(app.state.db.conn()).await.unwrap().unwrap();
        assert!(found.is_empty(), "{found:?}");
        app.state
            .db
            .conn()
            .execute_unprepared(&format!(
                "UPDATE credit_scores SET score_centi = score_centi + 1 WHERE enterprise_id = {c}"
            ))
            .await
            .unwrap();
        let (_, found) = anjian::credit::recompute::check(app.state.db.conn()).await.unwrap().unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].enterprise_id, found[0].stored_centi, found[0].recomputed_centi), (c, 1501, 1500));
        if let Some(path) = app.sqlite_path() {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_anjian"))
                .args(["--database-url", &path, "credit", "recompute", "--check"])
                .output()
                .unwrap();
            assert!(!out.status.success(), "--check must fail on an edited score");
            assert!(String::from_utf8_lossy(&out.stdout).contains("\"mismatches\":1"), "{out:?}");
        }
        let fixed = post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await;
        assert_eq!(fixed["changed"], 1, "{fixed}");
        let (_, found) = anjian::credit::recompute::check(app.state.db.conn()).await.unwrap().unwrap();
        assert!(found.is_empty());

        // The scored list, highest first.
        let (_, list) = app.get(&reg.token, "/api/v1/credit/scores").await;
        let ids: Vec<i64> = list.as_array().unwrap().iter().map(|r| r["enterprise_id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [a, c], "{list}");

        // A year and a half later the first accident counts less (linear decay after its year).
        app.clock.set(start_time() + chrono::Duration::days(300));
        let reg = app.user("reg2").role(Role::Regulator).region("420103").create().await;
        let (_, later) = app.get(&reg.token, &format!("/api/v1/enterprises/{a}/credit")).await;
        let first = later["events"].as_array().unwrap().iter().find(|e| e["occurred_on"] == "2026-06-01").unwrap();
        assert!(
            first["decay_percent"].as_i64().unwrap() < 100 && first["contribution"].as_f64().unwrap() < 40.0,
            "{first}"
        );
        assert!(later["score"].as_f64().unwrap() < 68.0, "{later}");
    })
    .await;
}

#[tokio::test]
async fn the_breakdown_is_the_enterprise_own_and_never_public() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let [a, c, _] = register(&app, &reg).await;
        post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await;
        let own = app.user("qy_a").role(Role::Principal).enterprise(a).create().await;
        let other = app.user("qy_c").role(Role::Principal).enterprise(c).create().await;
        let staff = app.user("yg_a").role(Role::Staff).enterprise(a).create().await;
        let path = format!("/api/v1/enterprises/{a}/credit");
        let (status, v) = app.get(&own.token, &path).await;
        assert_eq!((status, v["score"].as_f64()), (StatusCode::OK, Some(68.0)), "{v}");
        assert_eq!(app.get(&other.token, &path).await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&staff.token, &path).await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&own.token, "/api/v1/credit/scores").await.0, StatusCode::FORBIDDEN);
        for page in ["/public/", "/public/penalties"] {
            let body = app.client.get(app.url(page)).send().await.unwrap().text().await.unwrap();
            assert!(!body.contains("监管风险") && !body.contains("信用分"), "{page} shows internal signals");
        }
    })
    .await;
}

#[tokio::test]
async fn a_rule_version_preview_moves_the_expected_enterprises_and_is_adopted_by_the_province() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let [a, c, d] = register(&app, &reg).await;
        post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await;
        let (status, preview) = app.get(&reg.token, "/api/v1/credit/rules/2027-draft/preview").await;
        assert_eq!(status, StatusCode::OK, "{preview}");
        // A: 2 × 50 − 12 = 88 (较高 → 高); C: 25 (低 → 一般); D has no events.
        assert_eq!((preview["current"].as_str(), preview["moved"].as_u64()), (Some("2026-1"), Some(2)), "{preview}");
        let mut sample: Vec<i64> = preview["sample"].as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect();
        sample.sort_unstable();
        assert_eq!(sample, [a, c]);
        assert!(!sample.contains(&d));
        let moves = preview["moves"].as_array().unwrap();
        assert!(moves.contains(&json!({"from": "elevated", "to": "high", "enterprises": 1})), "{preview}");
        assert!(moves.contains(&json!({"from": "low", "to": "medium", "enterprises": 1})), "{preview}");
        let (status, _) = app.get(&reg.token, "/api/v1/credit/rules/nope/preview").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let note = json!({"note": "经局务会研究采用"});
        let (status, _) = app.post(&reg.token, "/api/v1/credit/rules/2027-draft/adopt", &note).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a county bureau does not set the province's rules");
        let sheng = app.user("sheng").role(Role::Regulator).region("420000").create().await;
        let run = post(&app, &sheng, "/api/v1/credit/rules/2027-draft/adopt", &note).await;
        assert_eq!(run["rule_version"], "2027-draft", "{run}");
        let (_, after) = app.get(&reg.token, &format!("/api/v1/enterprises/{a}/credit")).await;
        assert_eq!(
            (after["rule_version"].as_str(), after["score"].as_f64(), after["class"].as_str()),
            (Some("2027-draft"), Some(88.0), Some("high"))
        );
        assert_eq!(after["stored_score"], 88.0);
        let (_, found) = anjian::credit::recompute::check(app.state.db.conn()).await.unwrap().unwrap();
        assert!(found.is_empty(), "{found:?}");
    })
    .await;
}

#[tokio::test]
async fn a_contest_upheld_voids_the_event() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let [a, c, _] = register(&app, &reg).await;
        post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await;
        let own = app.user("qy_a").role(Role::Principal).enterprise(a).create().await;
        let other = app.user("qy_c").role(Role::Principal).enterprise(c).create().await;
        let (_, v) = app.get(&own.token, &format!("/api/v1/enterprises/{a}/credit")).await;
        let event =
            v["events"].as_array().unwrap().iter().find(|e| e["occurred_on"] == "2026-10-01").unwrap()["id"].clone();
        let contest = format!("/api/v1/credit-events/{event}/contest");
        let reason = json!({"reason": "该事故发生在承包单位作业区域，不属于本企业"});
        assert_eq!(app.post(&other.token, &contest, &reason).await.0, StatusCode::NOT_FOUND);
        let (status, v) = app.post(&own.token, &contest, &json!({"reason": "  "})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(app.post(&own.token, &contest, &reason).await.0, StatusCode::NO_CONTENT);
        assert_eq!(app.post(&own.token, &contest, &reason).await.0, StatusCode::CONFLICT, "already under review");
        let (_, todos) = app.get(&reg.token, "/api/v1/todos").await;
        assert!(todos["items"].as_array().unwrap().iter().any(|t| t["kind"] == "credit_contest"), "{todos}");
        let resolve = format!("/api/v1/credit-events/{event}/resolve");
        let upheld = json!({"upheld": true, "note": "经核实，事故单位为承包单位"});
        assert_eq!(app.post(&own.token, &resolve, &upheld).await.0, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&reg.token, &resolve, &upheld).await.0, StatusCode::NO_CONTENT);
        let (_, v) = app.get(&reg.token, &format!("/api/v1/enterprises/{a}/credit")).await;
        // One 较大 accident left: 40 − 12 = 28.
        assert_eq!(v["score"], 28.0, "{v}");
        let voided = v["events"].as_array().unwrap().iter().find(|e| e["id"] == event).unwrap();
        assert_eq!((voided["voided"].as_bool(), voided["contribution"].as_f64()), (Some(true), Some(0.0)), "{voided}");
        let run = post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await;
        assert_eq!(run["changed"], 1, "{run}");
    })
    .await;
}

#[tokio::test]
async fn a_month_without_cover_is_signalled_once_and_a_prevention_service_counts_in_favour() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let mut body =
            enterprise_body(&code("420103", 7), "戊化工有限公司", "hazardous_chemicals", "hc_production", "420103");
        body["employees"] = json!(40);
        let e = app.enterprise(&reg.token, body).await;
        let run = post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await;
        assert_eq!(run["events_added"], 1, "{run}");
        assert_eq!(post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await["events_added"], 0);
        let (_, v) = app.get(&reg.token, &format!("/api/v1/enterprises/{e}/credit")).await;
        assert_eq!(signals(&v), ["uninsured_mandatory"], "{v}");
        assert_eq!((v["events"][0]["occurred_on"].as_str(), v["score"].as_f64()), (Some("2026-11-22"), Some(5.0)));

        // The next month, still without cover: a second event.
        app.clock.set(start_time() + chrono::Duration::days(10));
        let reg = app.user("reg2").role(Role::Regulator).region("420103").create().await;
        assert_eq!(post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await["events_added"], 1);
        let (_, v) = app.get(&reg.token, &format!("/api/v1/enterprises/{e}/credit")).await;
        assert_eq!(v["score"], 10.0, "{v}");

        // Under the floor is not cover; at the floor for all 40 employees is.
        let mut cover = json!({"enterprise_id": e, "insurer": "人保财险", "policy_no": "R-1", "starts_on": "2026-12-01",
            "ends_on": "2027-11-30", "premium_yuan": 9000, "insured_headcount": 40, "death_disability_limit_yuan": 300_000});
        post(&app, &reg, "/api/v1/insurance-policies", &cover).await;
        app.clock.set(start_time() + chrono::Duration::days(41));
        let reg = app.user("reg3").role(Role::Regulator).region("420103").create().await;
        assert_eq!(post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await["events_added"], 1, "under the floor");
        cover["policy_no"] = json!("R-2");
        cover["death_disability_limit_yuan"] = json!(400_000);
        let policy = post(&app, &reg, "/api/v1/insurance-policies", &cover).await;
        app.clock.set(start_time() + chrono::Duration::days(72));
        let reg = app.user("reg4").role(Role::Regulator).region("420103").create().await;
        assert_eq!(post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await["events_added"], 0, "covered");

        // A prevention service taken up counts in the enterprise's favour.
        let service = json!({"policy_id": policy["id"], "kind": "training", "served_on": "2027-01-20", "cost_yuan": 800,
            "provider": "安评技术服务公司", "summary": "全员安全培训", "findings": []});
        post(&app, &reg, "/api/v1/insurance-services", &service).await;
        let (_, before) = app.get(&reg.token, &format!("/api/v1/enterprises/{e}/credit")).await;
        assert_eq!(post(&app, &reg, "/api/v1/credit/recompute", &json!({})).await["events_added"], 1);
        let (_, after) = app.get(&reg.token, &format!("/api/v1/enterprises/{e}/credit")).await;
        assert!(signals(&after).contains(&"prevention_service".to_owned()), "{after}");
        let drop = before["score"].as_f64().unwrap() - after["score"].as_f64().unwrap();
        assert!((drop - 2.0).abs() < 1e-9, "{before} {after}");
    })
    .await;
}
