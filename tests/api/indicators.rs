//! The indicator cockpit: each figure counted from a small data set built through the
//! API, judged against the shipped plan's target, scoped by territory, and traced
//! to exactly the records it counts.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use anjian::clock::Clock;
use anjian::entities::inspection;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00photo-bytes";

pub async fn unit(app: &TestApp, reg: &TestUser, serial: u32, (sector, sub): (&str, &str), extra: Value) -> i64 {
    let mut body = enterprise_body(&code("420103", serial), &format!("测试企业{serial}号"), sector, sub, "420103");
    body["above_designated_size"] = json!(true);
    body["employees"] = json!(50);
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    app.enterprise(&reg.token, body).await
}

/// A completed inspection inserted directly (its own completion is tested with inspections).
async fn inspected(app: &TestApp, enterprise: i64) {
    let t = app.clock.now();
    inspection::ActiveModel {
        bureau_id: Set(1),
        enterprise_id: Set(enterprise),
        kind: Set(anjian::inspection::domain::Kind::Planned),
        status: Set(anjian::inspection::domain::Status::Completed),
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
    }
    .insert(app.state.db.conn())
    .await
    .unwrap();
}

async fn policy(app: &TestApp, reg: &TestUser, enterprise: i64, no: &str) {
    let body = json!({"enterprise_id": enterprise, "insurer": "中国人保", "policy_no": no, "starts_on": "2026-01-01",
        "ends_on": "2026-12-31", "premium_yuan": 10_000, "insured_headcount": 50, "death_disability_limit_yuan": 1_000_000});
    let (status, v) = app.post(&reg.token, "/api/v1/insurance-policies", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
}

async fn hazard(app: &TestApp, officer: &TestUser, enterprise: i64, title: &str) -> i64 {
    let body = json!({"enterprise_id": enterprise, "source": "self_check", "level": "general", "category": "unsafe_condition",
        "title": title, "description": "现场检查发现", "location": "罐区", "found_at": "2026-11-21T08:00:00Z",
        "deadline": "2026-12-10"});
    let (status, v) = app.post(&officer.token, "/api/v1/hazards", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

async fn close(app: &TestApp, officer: &TestUser, principal: &TestUser, id: i64) {
    let (_, photo) = app.upload(&officer.token, "/api/v1/attachments", "现场.jpg", JPEG.to_vec()).await;
    let body = json!({"attachment_ids": [photo["id"]], "rectifier_name": "王五"});
    let (status, v) = app.post(&officer.token, &format!("/api/v1/hazards/{id}/submit"), &body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let body = json!({"passed": true, "acceptor_name": "赵六"});
    let (status, v) = app.post(&principal.token, &format!("/api/v1/hazards/{id}/verify"), &body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
}

pub async fn recompute(app: &TestApp, u: &TestUser, query: &str) -> Value {
    let (status, v) = app.post(&u.token, &format!("/api/v1/indicators/recompute{query}"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

pub fn item<'a>(list: &'a Value, code: &str) -> &'a Value {
    list["items"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap_or_else(|| panic!("{code}: {list}"))
}

fn figure(list: &Value, code: &str) -> (Option<f64>, i64, Option<f64>) {
    let i = item(list, code);
    (i["value"].as_f64(), i["numerator"].as_i64().unwrap(), i["denominator"].as_f64())
}

/// Four above-size enterprises in 江汉区: a chemical plant (inspected, insured, 二级 standardised,
/// four hazards of which one closed, an accident with three deaths), a fireworks wholesaler
/// (insured), an open-pit mine and a machinery plant.
pub(crate) async fn territory(app: &TestApp) -> (TestUser, [i64; 4]) {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let plant = unit(
        app,
        &reg,
        1,
        ("hazardous_chemicals", "hc_production"),
        json!({"standardization_grade": "level2", "standardization_date": "2025-06-01"}),
    )
    .await;
    let fireworks = unit(app, &reg, 2, ("fireworks", "fw_wholesale"), json!({})).await;
    let mine = unit(app, &reg, 3, ("non_coal_mine", "mine_open_pit"), json!({})).await;
    let machinery = unit(app, &reg, 4, ("industry_trade", "it_machinery"), json!({})).await;
    inspected(app, plant).await;
    policy(app, &reg, plant, "PICC-2026-1").await;
    policy(app, &reg, fireworks, "PICC-2026-2").await;
    let principal = app.user("fzr").role(Role::Principal).enterprise(plant).create().await;
    let officer = app.user("aqy").role(Role::SafetyOfficer).enterprise(plant).create().await;
    let mut ids = Vec::new();
    for title in ["储罐区报警器失效", "消防通道堵塞", "安全阀超期未检", "电气线路老化"] {
        ids.push(hazard(app, &officer, plant, title).await);
    }
    close(app, &officer, &principal, ids[0]).await;
    let accident = json!({"enterprise_id": plant, "occurred_at": "2026-11-20T01:30:00Z", "type": "poisoning",
        "place": "二车间反应釜区", "summary": "检修时未置换，三名作业人员中毒死亡", "deaths": 3, "missing": 0,
        "serious_injuries": 0, "direct_loss_yuan": 3_000_000, "reported_at": "2026-11-20T02:10:00Z"});
    let (status, v) = app.post(&reg.token, "/api/v1/accidents", &accident).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    (reg, [plant, fireworks, mine, machinery])
}

#[tokio::test]
async fn each_figure_counts_what_its_definition_says() {
    on_each_backend(|app| async move {
        let (reg, _) = territory(&app).await;
        let (_, before) = app.get(&reg.token, "/api/v1/indicators").await;
        assert!(before["as_of"].is_null(), "nothing computed yet: {before}");
        assert_eq!(item(&before, "insurance_coverage")["status"], "no_data");
        let run = recompute(&app, &reg, "").await;
        assert_eq!(run["region"], "420103");

        let (status, list) = app.get(&reg.token, "/api/v1/indicators").await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!((list["region"].as_str(), list["year"].as_i64()), (Some("420103"), Some(2026)));
        assert!(list["as_of"].is_string(), "{list}");
        assert_eq!(figure(&list, "inspection_coverage_high_risk"), (Some(33.3), 1, Some(3.0)));
        assert_eq!(figure(&list, "insurance_coverage"), (Some(66.7), 2, Some(3.0)));
        assert_eq!(figure(&list, "hazard_rectification_rate"), (Some(25.0), 1, Some(4.0)));
        assert_eq!(figure(&list, "standardization_rate"), (Some(25.0), 1, Some(4.0)));
        assert_eq!(figure(&list, "accident_deaths"), (Some(3.0), 3, None));
        assert_eq!(figure(&list, "relatively_serious_accidents"), (Some(1.0), 1, None));
        assert_eq!(figure(&list, "serious_accidents"), (Some(0.0), 0, None));
        assert_eq!(figure(&list, "major_hazard_on_time_rate").0, None, "no major hazard due: no rate");
        assert_eq!(figure(&list, "deaths_per_100m_gdp"), (None, 3, None), "no GDP entered yet");

        // GDP 1,500 亿元 and 200,000 workers for 2026: read at once, without a new run.
        let body = json!({"region_code": "420103", "year": 2026, "gdp_100m_yuan": 1500, "industrial_workers": 200_000,
            "source": "江汉区2026年统计数据"});
        let (status, v) = app.post(&reg.token, "/api/v1/indicator-denominators", &body).await;
        assert!(status.is_success(), "{v}");
        let (_, list) = app.get(&reg.token, "/api/v1/indicators").await;
        assert_eq!(figure(&list, "deaths_per_100m_gdp"), (Some(0.002), 3, Some(1500.0)));
        assert_eq!(figure(&list, "deaths_per_100k_workers"), (Some(1.5), 3, Some(2.0)));

        // 江汉区's plan: coverage 100 % (2025, carried into 2026), judged pro rata through the year.
        let coverage = item(&list, "inspection_coverage_high_risk");
        assert_eq!(coverage["target"]["value"], 100.0);
        assert_eq!(
            (coverage["target"]["year"].as_i64(), coverage["target"]["line"].as_str()),
            (Some(2025), Some("004:95–201 第11项"))
        );
        assert_eq!(coverage["status"], "off_track");
        assert_eq!(
            item(&list, "insurance_coverage")["status"],
            "no_target",
            "江汉区 and 湖北省 set none in the shipped plans"
        );
    })
    .await;
}

#[tokio::test]
async fn the_records_behind_a_number_are_the_ones_it_counts() {
    on_each_backend(|app| async move {
        let (reg, [plant, fireworks, mine, _]) = territory(&app).await;
        recompute(&app, &reg, "").await;
        let (status, r) = app.get(&reg.token, "/api/v1/indicators/insurance_coverage/records").await;
        assert_eq!(status, StatusCode::OK, "{r}");
        assert_eq!(r["total"], 3);
        let listed: Vec<(String, bool)> = r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["href"].as_str().unwrap().to_owned(), x["counted"].as_bool().unwrap()))
            .collect();
        assert_eq!(
            listed,
            [
                (format!("/enterprises/{mine}/insurance"), false),
                (format!("/enterprises/{plant}/insurance"), true),
                (format!("/enterprises/{fireworks}/insurance"), true),
            ],
            "the one still to do first"
        );
        let (_, h) = app.get(&reg.token, "/api/v1/indicators/hazard_rectification_rate/records").await;
        let counted: Vec<&Value> = h["items"].as_array().unwrap().iter().filter(|x| x["counted"] == true).collect();
        assert_eq!((h["total"].as_i64(), counted.len()), (Some(4), 1), "{h}");
        assert_eq!(counted[0]["label"], "储罐区报警器失效");
        let (_, d) = app.get(&reg.token, "/api/v1/indicators/accident_deaths/records").await;
        assert_eq!(d["total"], 1);
        assert!(d["items"][0]["detail"].as_str().unwrap().contains("死亡 3 人"), "{d}");

        let (status, detail) = app.get(&reg.token, "/api/v1/indicators/inspection_coverage_high_risk").await;
        assert_eq!(status, StatusCode::OK, "{detail}");
        let months = detail["months"].as_array().unwrap();
        assert_eq!(months.len(), 11, "January to November: {detail}");
        assert_eq!((months[9]["value"].as_f64(), months[10]["value"].as_f64()), (Some(0.0), Some(33.3)));
        assert_eq!(app.get(&reg.token, "/api/v1/indicators/gdp_growth").await.0, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_province_sees_its_cities_and_a_county_only_itself() {
    on_each_backend(|app| async move {
        let (reg, _) = territory(&app).await;
        let province = app.user("sheng").role(Role::Regulator).region("420000").create().await;
        recompute(&app, &province, "").await;
        let (status, detail) = app.get(&province.token, "/api/v1/indicators/insurance_coverage").await;
        assert_eq!(status, StatusCode::OK, "{detail}");
        assert_eq!((detail["region"].as_str(), detail["region_name"].as_str()), (Some("420000"), Some("湖北省")));
        let wuhan = detail["regions"].as_array().unwrap().iter().find(|r| r["region_code"] == "420100").unwrap();
        assert_eq!(
            (wuhan["name"].as_str(), wuhan["value"].as_f64(), wuhan["numerator"].as_i64()),
            (Some("武汉市"), Some(66.7), Some(2))
        );
        let (_, city) = app.get(&province.token, "/api/v1/indicators/insurance_coverage?region=420100").await;
        let jianghan = city["regions"].as_array().unwrap().iter().find(|r| r["region_code"] == "420103").unwrap();
        assert_eq!(jianghan["value"].as_f64(), Some(66.7), "{city}");

        assert_eq!(app.get(&reg.token, "/api/v1/indicators?region=420000").await.0, StatusCode::NOT_FOUND);
        let neighbour = app.user("qiaokou").role(Role::Regulator).region("420104").create().await;
        assert_eq!(app.get(&neighbour.token, "/api/v1/indicators?region=420103").await.0, StatusCode::NOT_FOUND);
        let (_, own) = app.get(&neighbour.token, "/api/v1/indicators").await;
        assert_eq!(own["region"], "420104");
        let boss = app.user("boss").role(Role::Principal).enterprise(1).create().await;
        assert_eq!(app.get(&boss.token, "/api/v1/indicators").await.0, StatusCode::FORBIDDEN);
        let (status, v) = app.get(&reg.token, "/api/v1/indicators?region=42&year=1999").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let inspector = app.user("zfry").role(Role::Inspector).region("420103").create().await;
        assert_eq!(
            app.post(&inspector.token, "/api/v1/indicators/recompute", &json!({})).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(app.get(&inspector.token, "/api/v1/indicators").await.0, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn the_nightly_job_computes_every_region_once_a_day() {
    on_each_backend(|app| async move {
        let (reg, _) = territory(&app).await;
        let report = anjian::jobs::run_due(&app.state).await.unwrap();
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        assert_eq!(report.indicators.len(), 1, "this year");
        assert!(report.indicators[0].rows > 0);
        let again = anjian::jobs::run_due(&app.state).await.unwrap();
        assert!(again.indicators.is_empty(), "once a day");
        let (_, list) = app.get(&reg.token, "/api/v1/indicators").await;
        assert_eq!(figure(&list, "insurance_coverage"), (Some(66.7), 2, Some(3.0)));
        let book = app.client.get(app.url("/api/v1/indicators.xlsx")).bearer_auth(&reg.token).send().await.unwrap();
        assert_eq!(book.status(), StatusCode::OK);
        let rows = crate::helpers::sheet_rows(book.bytes().await.unwrap().to_vec(), "指标");
        let insurance = rows.iter().find(|r| r.first().is_some_and(|c| c == "安全生产责任保险投保率")).unwrap();
        assert_eq!((insurance[1].as_str(), insurance[6].as_str()), ("66.7", "未设目标"), "{rows:?}");
    })
    .await;
}
