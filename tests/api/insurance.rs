//! 安责险: policies recorded by regulators and insurers, the enterprise's check,
//! and an insurer's view limited to the enterprises it insures.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn policy(enterprise: i64, insurer: &str, no: &str, from: &str, to: &str, limit: i64, headcount: i64) -> Value {
    json!({"enterprise_id": enterprise, "insurer": insurer, "policy_no": no, "starts_on": from, "ends_on": to,
        "premium_yuan": 12000, "insured_headcount": headcount, "death_disability_limit_yuan": limit})
}

/// A hazchem producer (must insure) with 50 registered employees.
async fn chemical_plant(app: &TestApp, reg: &TestUser, serial: u32) -> i64 {
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

async fn record(app: &TestApp, token: &str, body: &Value) -> Value {
    let (status, v) = app.post(token, "/api/v1/insurance-policies", body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v
}

async fn check(app: &TestApp, token: &str, enterprise: i64) -> Value {
    let (status, v) = app.get(token, &format!("/api/v1/enterprises/{enterprise}/insurance")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

fn codes(v: &Value) -> Vec<&str> {
    v["problems"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_policy_under_the_floor_is_not_coverage_and_short_headcount_and_gaps_are_found() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let plant = chemical_plant(&app, &reg, 1).await;
        let v = check(&app, &reg.token, plant).await;
        assert_eq!((v["mandatory"].as_bool(), v["covered"].as_bool()), (Some(true), Some(false)));
        assert_eq!(codes(&v), ["no_policy"]);

        record(&app, &reg.token, &policy(plant, "平安财险", "P-2025", "2025-01-01", "2025-12-31", 500_000, 50)).await;
        let low =
            record(&app, &reg.token, &policy(plant, "平安财险", "P-2026", "2026-02-01", "2027-01-31", 300_000, 50))
                .await;
        assert_eq!(low["status"], "active");
        let v = check(&app, &reg.token, plant).await;
        assert_eq!(v["covered"], false, "{v}");
        assert_eq!(codes(&v), ["below_floor", "gap"]);
        assert!(v["problems"][1]["message"].as_str().unwrap().contains("2026-01-01 至 2026-01-31"));
        assert!(v["basis"].as_str().unwrap().contains("第一百零九条"));

        let other = chemical_plant(&app, &reg, 2).await;
        record(&app, &reg.token, &policy(other, "人保财险", "R-1", "2026-01-01", "2026-12-31", 400_000, 30)).await;
        let v = check(&app, &reg.token, other).await;
        assert_eq!((v["covered"].as_bool(), codes(&v)), (Some(false), vec!["headcount_short"]));
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_policy_is_flagged_and_every_body_problem_is_listed() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let plant = chemical_plant(&app, &reg, 1).await;
        let bad = json!({"enterprise_id": 999_999, "insurer": "", "policy_no": "", "starts_on": "2026-12-31",
            "ends_on": "2026-01-01", "premium_yuan": 0, "insured_headcount": 0, "death_disability_limit_yuan": -1});
        let (status, v) = app.post(&reg.token, "/api/v1/insurance-policies", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = v["error"]["fields"].as_object().unwrap();
        for f in [
            "enterprise_id",
            "insurer",
            "policy_no",
            "ends_on",
            "premium_yuan",
            "insured_headcount",
            "death_disability_limit_yuan",
        ] {
            assert!(fields.contains_key(f), "{f} missing in {v}");
        }
        let p =
            record(&app, &reg.token, &policy(plant, "平安财险", "P-1", "2026-01-01", "2026-12-31", 500_000, 50)).await;
        let (status, v) = app
            .post(
                &reg.token,
                "/api/v1/insurance-policies",
                &policy(plant, "平安财险", "P-1", "2027-01-01", "2027-12-31", 500_000, 50),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(p["allowed_actions"], json!(["cancel"]));
        let cancel = json!({"cancelled_on": "2026-10-01", "cancel_reason": "企业要求退保"});
        let path = format!("/api/v1/insurance-policies/{}/cancel", p["id"]);
        let (status, v) = app.post(&reg.token, &path, &cancel).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["status"].as_str(), v["cancel_reason"].as_str()), (Some("cancelled"), Some("企业要求退保")));
        let (status, _) = app.post(&reg.token, &path, &cancel).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let v = check(&app, &reg.token, plant).await;
        assert_eq!(codes(&v), ["no_policy", "cancelled_early"]);
    })
    .await;
}

#[tokio::test]
async fn an_insurer_sees_only_the_enterprises_it_insures() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (mine, theirs) = (chemical_plant(&app, &reg, 1).await, chemical_plant(&app, &reg, 2).await);
        let pa = app.user("pingan").role(Role::Insurer).insurer("平安财险").create().await;
        let picc = app.user("picc01").role(Role::Insurer).insurer("人保财险").create().await;
        // An insurer records its own policies, never another insurer's.
        let p =
            record(&app, &pa.token, &policy(mine, "平安财险", "P-1", "2026-01-01", "2026-12-31", 500_000, 50)).await;
        let (status, v) = app
            .post(
                &pa.token,
                "/api/v1/insurance-policies",
                &policy(theirs, "人保财险", "X-1", "2026-01-01", "2026-12-31", 500_000, 50),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["insurer"].is_array());
        record(&app, &picc.token, &policy(theirs, "人保财险", "R-1", "2026-01-01", "2026-12-31", 500_000, 50)).await;

        assert_eq!(check(&app, &pa.token, mine).await["covered"], true);
        let (status, _) = app.get(&pa.token, &format!("/api/v1/enterprises/{theirs}/insurance")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.get(&picc.token, &format!("/api/v1/insurance-policies/{}", p["id"])).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app
            .post(
                &picc.token,
                &format!("/api/v1/insurance-policies/{}/cancel", p["id"]),
                &json!({"cancelled_on": "2026-06-01", "cancel_reason": "x"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = app.get(&pa.token, "/api/v1/insurance-policies").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["enterprise_id"], mine);
        // The register itself stays closed to insurers.
        let (status, _) = app.get(&pa.token, &format!("/api/v1/enterprises/{mine}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Regulators see both; filters and the page cap apply.
        let (_, all) = app.get(&reg.token, "/api/v1/insurance-policies?per_page=1000&status=active").await;
        assert_eq!(all["total"], 2, "{all}");
        let (_, one) = app.get(&reg.token, &format!("/api/v1/insurance-policies?enterprise_id={theirs}")).await;
        assert_eq!(one["items"][0]["insurer"], "人保财险");
        // Enterprise users read their own enterprise's check.
        let principal = app.user("fzr").role(Role::Principal).enterprise(mine).create().await;
        assert_eq!(check(&app, &principal.token, mine).await["policies"].as_array().unwrap().len(), 1);
        let (status, _) = app
            .post(
                &principal.token,
                "/api/v1/insurance-policies",
                &policy(mine, "平安财险", "P-9", "2027-01-01", "2027-12-31", 500_000, 50),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn regulators_list_the_mandatory_enterprises_without_cover() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (covered, low, bare) = (
            chemical_plant(&app, &reg, 1).await,
            chemical_plant(&app, &reg, 2).await,
            chemical_plant(&app, &reg, 3).await,
        );
        let optional = app
            .enterprise(
                &reg.token,
                enterprise_body(&code("420103", 4), "商贸公司", "industry_trade", "it_commerce", "420103"),
            )
            .await;
        record(&app, &reg.token, &policy(covered, "平安财险", "P-1", "2026-01-01", "2026-12-31", 400_000, 50)).await;
        record(&app, &reg.token, &policy(low, "平安财险", "P-2", "2026-01-01", "2026-12-31", 300_000, 50)).await;
        let (status, v) = app.get(&reg.token, "/api/v1/insurance/uninsured").await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let ids: Vec<i64> =
            v["items"].as_array().unwrap().iter().map(|i| i["enterprise_id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [low, bare], "{v}");
        assert!(!ids.contains(&optional) && v["total"] == 2);
        assert_eq!(v["items"][0]["problems"][0]["code"], "below_floor");
        assert_eq!(v["items"][1]["problems"][0]["code"], "no_policy");
        assert!(v["basis"].as_str().unwrap().contains("第五十一条"));
        let pa = app.user("pingan").role(Role::Insurer).insurer("平安财险").create().await;
        assert_eq!(app.get(&pa.token, "/api/v1/insurance/uninsured").await.0, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn coverage_is_counted_by_sector_and_region_against_the_target() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420100").create().await;
        let (a, b) = (chemical_plant(&app, &reg, 1).await, chemical_plant(&app, &reg, 2).await);
        let mut mine = enterprise_body(&code("420111", 3), "矿山", "non_coal_mine", "mine_open_pit", "420111");
        mine["employees"] = json!(10);
        let mine = app.enterprise(&reg.token, mine).await;
        app.enterprise(
            &reg.token,
            enterprise_body(&code("420103", 4), "商贸", "industry_trade", "it_commerce", "420103"),
        )
        .await;
        record(&app, &reg.token, &policy(a, "平安财险", "P-1", "2026-01-01", "2026-12-31", 400_000, 50)).await;
        record(&app, &reg.token, &policy(mine, "平安财险", "P-2", "2026-01-01", "2026-12-31", 400_000, 10)).await;
        let (status, v) = app.get(&reg.token, "/api/v1/insurance/coverage").await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["total"]["mandatory"].as_i64(), v["total"]["covered"].as_i64()), (Some(3), Some(2)), "{v}");
        assert_eq!(v["target_percent"], 100);
        let by_sector = v["by_sector"].as_array().unwrap();
        let chem = by_sector.iter().find(|r| r["code"] == "hazardous_chemicals").unwrap();
        assert_eq!((chem["mandatory"].as_i64(), chem["rate_percent"].as_f64()), (Some(2), Some(50.0)), "{v}");
        let regions: Vec<(&str, i64)> = v["by_region"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["code"].as_str().unwrap(), r["covered"].as_i64().unwrap()))
            .collect();
        assert_eq!(regions, [("420103", 1), ("420111", 1)], "{v}");
        let (_, v) = app.get(&reg.token, "/api/v1/insurance/coverage?region=420111").await;
        assert_eq!(v["total"]["rate_percent"], 100.0, "{v}");
        assert_eq!(
            app.get(&reg.token, "/api/v1/insurance/coverage?region=4201").await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let res = reqwest::Client::new()
            .get(app.url("/api/v1/insurance/coverage.xlsx"))
            .bearer_auth(&reg.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let rows = crate::helpers::sheet_rows(res.bytes().await.unwrap().to_vec(), "按行业领域");
        assert!(rows.iter().any(|r| r[1] == "合计" && r[2] == "3" && r[3] == "2"), "{rows:?}");
        let pa = app.user("pingan").role(Role::Insurer).insurer("平安财险").create().await;
        assert_eq!(app.get(&pa.token, "/api/v1/insurance/coverage").await.0, StatusCode::FORBIDDEN);

        // The figures are reused only while nothing changed: a new policy and a
        // cancellation show at once.
        let total = |v: Value| (v["total"]["mandatory"].as_i64(), v["total"]["covered"].as_i64());
        let p = record(&app, &reg.token, &policy(b, "人保财险", "R-1", "2026-01-01", "2026-12-31", 400_000, 50)).await;
        assert_eq!(total(app.get(&reg.token, "/api/v1/insurance/coverage").await.1), (Some(3), Some(3)));
        let cancel = json!({"cancelled_on": "2026-11-01", "cancel_reason": "企业要求退保"});
        let path = format!("/api/v1/insurance-policies/{}/cancel", p["id"]);
        assert_eq!(app.post(&reg.token, &path, &cancel).await.0, StatusCode::OK);
        assert_eq!(total(app.get(&reg.token, "/api/v1/insurance/coverage").await.1), (Some(3), Some(2)));
    })
    .await;
}
