//! 安责险 accident-prevention services (事故预防服务): an insurer records a service for an
//! enterprise it insures, a hazard inspection's findings become hazards of the enterprise's
//! ledger (source `insurer_service`), all or nothing and once per `Idempotency-Key`; the
//! spend as a share of the policy year's premium is flagged above 21 % and below the floor;
//! the policies without a service in their policy year are listed.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn plant(app: &TestApp, reg: &TestUser, serial: u32) -> i64 {
    let mut body = enterprise_body(
        &code("420103", serial),
        &format!("化工{serial}号"),
        "hazardous_chemicals",
        "hc_production",
        "420103",
    );
    body["employees"] = json!(50);
    app.enterprise(&reg.token, body).await
}

async fn policy(app: &TestApp, u: &TestUser, enterprise: i64, insurer: &str, no: &str, term: (&str, &str)) -> i64 {
    let body = json!({"enterprise_id": enterprise, "insurer": insurer, "policy_no": no, "starts_on": term.0,
        "ends_on": term.1, "premium_yuan": 10_000, "insured_headcount": 50, "death_disability_limit_yuan": 500_000});
    let (status, v) = app.post(&u.token, "/api/v1/insurance-policies", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

fn finding(title: &str, category: &str) -> Value {
    json!({"title": title, "description": "对照重大事故隐患判定标准检查发现", "level": "general",
        "category": category, "location": "罐区", "deadline": "2026-12-31"})
}

fn service(policy: i64, kind: &str, cost: i64, findings: &[Value]) -> Value {
    json!({"policy_id": policy, "kind": kind, "served_on": "2026-11-20", "cost_yuan": cost,
        "provider": "安评技术服务公司", "experts": "张工、李工", "summary": "现场检查并出具报告", "findings": findings})
}

async fn post_keyed(app: &TestApp, u: &TestUser, key: &str, body: &Value) -> (StatusCode, Value) {
    let res = app
        .client
        .post(app.url("/api/v1/insurance-services"))
        .bearer_auth(&u.token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

fn insurer_hazards(v: &Value) -> usize {
    v["items"].as_array().unwrap().iter().filter(|h| h["source"] == "insurer_service").count()
}

#[tokio::test]
async fn an_insurers_hazard_inspection_puts_its_findings_in_the_enterprises_ledger_once() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let e = plant(&app, &reg, 1).await;
        let pa = app.user("pingan").role(Role::Insurer).insurer("平安财险").create().await;
        let p = policy(&app, &pa, e, "平安财险", "P-1", ("2026-01-01", "2026-12-31")).await;
        let two =
            [finding("液化烃储罐未设紧急切断", "unsafe_condition"), finding("可燃气体报警器失效", "unsafe_condition")];
        let body = service(p, "hazard_inspection", 1800, &two);
        let (status, v) = post_keyed(&app, &pa, "svc-1", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!((v["kind"].as_str(), v["findings"].as_array().map(Vec::len)), (Some("hazard_inspection"), Some(2)));
        assert_eq!(v["findings"][0]["status"], "rectifying", "{v}");
        // A retry answers the first result and writes nothing more.
        let (status, again) = post_keyed(&app, &pa, "svc-1", &body).await;
        assert_eq!((status, &again["id"]), (StatusCode::CREATED, &v["id"]));

        let principal = app.user("fzr").role(Role::Principal).enterprise(e).create().await;
        let (_, ledger) = app.get(&principal.token, "/api/v1/hazards?per_page=100").await;
        assert_eq!(insurer_hazards(&ledger), 2, "{ledger}");
        let (_, todos) = app.get(&principal.token, "/api/v1/todos").await;
        assert!(todos.to_string().contains("液化烃储罐未设紧急切断"), "{todos}");
        let (_, mine) = app.get(&principal.token, &format!("/api/v1/insurance-services?enterprise_id={e}")).await;
        assert_eq!(mine["total"], 1, "{mine}");

        // A bad finding refuses the whole service: no service, no hazard.
        let bad = service(p, "hazard_inspection", 100, &[finding("一", "unsafe_condition"), finding("二", "nope")]);
        let (status, v) = post_keyed(&app, &pa, "svc-2", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["findings.1.category"].is_array(), "{v}");
        let (_, all) = app.get(&pa.token, "/api/v1/insurance-services").await;
        assert_eq!(all["total"], 1, "{all}");
        let (_, ledger) = app.get(&reg.token, "/api/v1/hazards?per_page=100").await;
        assert_eq!(insurer_hazards(&ledger), 2, "{ledger}");
        // Findings are for hazard inspections only; an insurer reports no hazard directly.
        let (status, v) = app.post(&pa.token, "/api/v1/insurance-services", &service(p, "training", 0, &two)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(v["error"]["fields"]["findings"].is_array(), "{v}");
        let direct = json!({"enterprise_id": e, "source": "insurer_service", "level": "general",
            "category": "unsafe_condition", "title": "x", "description": "x", "found_at": "2026-11-20T01:00:00Z"});
        assert_eq!(app.post(&pa.token, "/api/v1/hazards", &direct).await.0, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn an_insurer_records_only_for_the_enterprises_it_insures() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (mine, theirs) = (plant(&app, &reg, 1).await, plant(&app, &reg, 2).await);
        let pa = app.user("pingan").role(Role::Insurer).insurer("平安财险").create().await;
        let picc = app.user("picc01").role(Role::Insurer).insurer("人保财险").create().await;
        let own = policy(&app, &pa, mine, "平安财险", "P-1", ("2026-01-01", "2026-12-31")).await;
        let old = policy(&app, &pa, theirs, "平安财险", "P-0", ("2025-01-01", "2025-12-31")).await;
        let other = policy(&app, &picc, theirs, "人保财险", "R-1", ("2026-01-01", "2026-12-31")).await;
        let body = service(other, "hazard_inspection", 100, &[finding("一", "unsafe_condition")]);
        let (status, v) = app.post(&pa.token, "/api/v1/insurance-services", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["policy_id"].is_array(), "{v}");
        // Its own policy of that enterprise ended long ago: neither active nor recent.
        let mut late = service(old, "training", 100, &[]);
        late["served_on"] = json!("2025-12-01");
        let (status, v) = app.post(&pa.token, "/api/v1/insurance-services", &late).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["policy_id"][0].as_str().unwrap().contains("90 天"), "{v}");
        let (_, ledger) = app.get(&reg.token, "/api/v1/hazards").await;
        assert_eq!(insurer_hazards(&ledger), 0, "{ledger}");
        // The enterprise's users read but do not record; a regulator records in scope.
        let principal = app.user("fzr").role(Role::Principal).enterprise(mine).create().await;
        let (status, _) =
            app.post(&principal.token, "/api/v1/insurance-services", &service(own, "drill", 1, &[])).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, v) = app.post(&reg.token, "/api/v1/insurance-services", &late).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let (status, _) = app.get(&picc.token, &format!("/api/v1/insurance-services/{}", v["id"])).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn spend_is_flagged_above_the_ceiling_and_below_the_floor_and_unserved_policies_are_listed() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let pa = app.user("pingan").role(Role::Insurer).insurer("平安财险").create().await;
        let (mut policies, mut first) = (Vec::new(), 0);
        for serial in 1..=5 {
            let e = plant(&app, &reg, serial).await;
            first = if first == 0 { e } else { first };
            // The fifth: a two-year term whose only service fell in its first year.
            let term = if serial == 5 { ("2025-06-01", "2027-05-31") } else { ("2026-01-01", "2026-12-31") };
            policies.push(policy(&app, &pa, e, "平安财险", &format!("P-{serial}"), term).await);
        }
        // 25 %, 3 %, 10 %, nothing; and 10 % of the fifth's premium a year ago.
        for (p, cost) in [(policies[0], 2_500), (policies[1], 300), (policies[2], 1_000)] {
            let (status, v) =
                app.post(&pa.token, "/api/v1/insurance-services", &service(p, "risk_assessment", cost, &[])).await;
            assert_eq!(status, StatusCode::CREATED, "{v}");
        }
        let mut early = service(policies[4], "training", 500, &[]);
        early["served_on"] = json!("2026-01-10");
        assert_eq!(app.post(&pa.token, "/api/v1/insurance-services", &early).await.0, StatusCode::CREATED);

        let (status, v) = app.get(&reg.token, "/api/v1/insurance/service-spend?on=2026-11-22").await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["rule"]["ceiling_percent"].as_i64(), v["rule"]["verified"].as_bool()), (Some(21), Some(true)));
        assert_eq!(v["rule"]["floor_verified"], false);
        let flagged: Vec<(i64, bool, bool)> = v["flagged"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let s = &r["spend"];
                (
                    r["policy_id"].as_i64().unwrap(),
                    s["above_ceiling"].as_bool().unwrap(),
                    s["below_floor"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            flagged,
            [
                (policies[0], true, false),
                (policies[1], false, true),
                (policies[3], false, true),
                (policies[4], false, true)
            ],
            "{v}"
        );
        assert_eq!(v["flagged"][0]["spend"]["share_percent"], 25.0);
        let ins = &v["insurers"][0];
        assert_eq!(
            (ins["insurer"].as_str(), ins["policies"].as_u64(), ins["unserved"].as_u64()),
            (Some("平安财险"), Some(5), Some(2))
        );
        assert_eq!(ins["spend"]["cost_yuan"], 3_800, "{v}");

        let (status, v) = app.get(&reg.token, "/api/v1/insurance/unserved?on=2026-11-22").await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let ids: Vec<i64> = v["items"].as_array().unwrap().iter().map(|r| r["policy_id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [policies[3], policies[4]], "{v}");
        assert_eq!((v["total"].as_u64(), v["items"][1]["year_index"].as_u64()), (Some(2), Some(1)));
        let principal = app.user("fzr").role(Role::Principal).enterprise(first).create().await;
        assert_eq!(app.get(&principal.token, "/api/v1/insurance/unserved").await.0, StatusCode::FORBIDDEN);
    })
    .await;
}
