//! 指标基数与目标: denominators, baselines and bureau targets entered (and entered
//! again as updates) by regulators for their territory, every problem at once, the
//! two imports (a good file, every bad row with nothing written, a second run that
//! changes nothing), `load` for the cockpit, the page and the CLI.

use crate::helpers::{TestApp, TestUser, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

const DENOMINATORS: &str = "/api/v1/indicator-denominators";
const BASELINES: &str = "/api/v1/indicator-baselines";
const TARGETS: &str = "/api/v1/indicator-targets";

fn denominator(region: &str, year: i32, gdp: f64) -> Value {
    json!({"region_code": region, "year": year, "gdp_100m_yuan": gdp, "industrial_workers": 160_000,
        "source": "统计公报"})
}

fn deaths_target(region: &str) -> Value {
    json!({"region_code": region, "indicator": "accident_deaths", "year": 2025, "plan": "本区“十四五”规划",
        "change_percent": -15, "base_year": 2020, "line": "指标表第 1 项", "binding": true})
}

async fn jianghan(app: &TestApp) -> TestUser {
    app.user("jianghan").role(Role::Regulator).region("420103").create().await
}

async fn items(app: &TestApp, u: &TestUser, path: &str) -> Vec<Value> {
    let (status, v) = app.get(&u.token, path).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_entry_made_again_updates_it_and_the_same_again_changes_nothing() {
    on_each_backend(|app| async move {
        let reg = jianghan(&app).await;
        let (status, v) = app.post(&reg.token, DENOMINATORS, &denominator("420103", 2020, 1300.5)).await;
        assert_eq!(
            (status, &v["created"], &v["item"]["region_name"]),
            (StatusCode::CREATED, &json!(true), &json!("江汉区"))
        );
        let (status, v) = app.post(&reg.token, DENOMINATORS, &denominator("420103", 2020, 1310.0)).await;
        assert_eq!((status, &v["created"], &v["changed"]), (StatusCode::OK, &json!(false), &json!(true)), "{v}");
        let (status, v) = app.post(&reg.token, DENOMINATORS, &denominator("420103", 2020, 1310.0)).await;
        assert_eq!((status, &v["changed"]), (StatusCode::OK, &json!(false)), "{v}");
        let listed = items(&app, &reg, &format!("{DENOMINATORS}?region=420103&year=2020")).await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["gdp_100m_yuan"], 1310.0);

        let base = json!({"region_code": "420103", "indicator": "accident_deaths", "year": 2020, "value": 57,
            "source": "2020 年事故统计"});
        let (status, v) = app.post(&reg.token, BASELINES, &base).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let again = json!({"region_code": "420103", "indicator": "accident_deaths", "year": 2020, "value": 58,
            "source": "2020 年事故统计（更正）"});
        let (status, _) = app.post(&reg.token, BASELINES, &again).await;
        assert_eq!(status, StatusCode::OK);
        let listed = items(&app, &reg, BASELINES).await;
        assert_eq!(
            (listed.len(), &listed[0]["value"], &listed[0]["indicator_name"]),
            (1, &json!(58.0), &json!("生产安全事故死亡人数"))
        );

        let inputs = anjian::indicator::inputs::load(app.state.db.conn()).await.unwrap();
        assert_eq!(inputs.denominators.len(), 1);
        let d = &inputs.denominators[0];
        assert_eq!(
            (d.region_code.as_str(), d.year, d.gdp_100m_yuan, d.industrial_workers),
            ("420103", 2020, Some(1310.0), Some(160_000))
        );
        assert_eq!((inputs.baselines.len(), inputs.baselines[0].value), (1, 58.0));
        let report = anjian::audit::verify::verify(app.state.db.conn()).await.unwrap();
        assert!(report.ok, "every write logged: {:?}", report.problems);
    })
    .await;
}

#[tokio::test]
async fn a_county_cannot_enter_its_provinces_figures_and_a_province_can_enter_a_countys() {
    on_each_backend(|app| async move {
        let county = jianghan(&app).await;
        let province = app.user("hubei").role(Role::Regulator).region("420000").create().await;
        let (status, v) = app.post(&county.token, DENOMINATORS, &denominator("420000", 2020, 43_000.0)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["error"]["fields"]["region_code"][0], "地区代码不存在或不在本局辖区内", "{v}");
        let (status, _) = app.post(&county.token, TARGETS, &deaths_target("420111")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a neighbour is outside too");
        let (status, v) = app.post(&province.token, DENOMINATORS, &denominator("420103", 2021, 1400.0)).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let (status, _) = app.get(&county.token, &format!("{DENOMINATORS}?region=420000")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "a region outside the territory as a filter");
        assert_eq!(items(&app, &county, DENOMINATORS).await.len(), 1, "the county sees its own region's figures");
        let (status, v) = app.post(&province.token, TARGETS, &deaths_target("420000")).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let id = v["item"]["id"].as_i64().unwrap();
        let res =
            app.client.delete(app.url(&format!("{TARGETS}/{id}"))).bearer_auth(&county.token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "the province's own target is not the county's to withdraw");
        let inspector = app.user("zhifa").role(Role::Inspector).region("420103").create().await;
        let (status, _) = app.post(&inspector.token, DENOMINATORS, &denominator("420103", 2022, 1.0)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(items(&app, &inspector, DENOMINATORS).await.len(), 1, "bureau users read");
    })
    .await;
}

#[tokio::test]
async fn every_problem_of_a_body_is_listed_at_once() {
    on_each_backend(|app| async move {
        let reg = jianghan(&app).await;
        let bad =
            json!({"region_code": "12", "year": 1999, "gdp_100m_yuan": -1, "industrial_workers": 0, "source": ""});
        let (status, v) = app.post(&reg.token, DENOMINATORS, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let fields: Vec<&String> = v["error"]["fields"].as_object().unwrap().keys().collect();
        assert_eq!(fields, ["gdp_100m_yuan", "industrial_workers", "region_code", "source", "year"], "{v}");
        let both = json!({"region_code": "420103", "indicator": "insurance_coverage", "year": 2025, "plan": "P",
            "value": 101, "line": "L"});
        let (status, v) = app.post(&reg.token, TARGETS, &both).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(v["error"]["fields"]["value"][0], "目标值须在 0 到 100 之间", "a percentage: {v}");
        let wrong = json!({"region_code": "420103", "indicator": "gdp_growth", "year": 2025, "plan": "",
            "value": 1, "change_percent": -10, "line": ""});
        let (_, v) = app.post(&reg.token, TARGETS, &wrong).await;
        let fields: Vec<&String> = v["error"]["fields"].as_object().unwrap().keys().collect();
        assert_eq!(fields, ["indicator", "line", "plan", "value"], "{v}");
        let late = json!({"region_code": "420103", "indicator": "accident_deaths", "year": 2025, "plan": "P",
            "change_percent": -15, "base_year": 2025, "line": "L"});
        let (_, v) = app.post(&reg.token, TARGETS, &late).await;
        assert_eq!(v["error"]["fields"]["base_year"][0], "基期年份须早于目标年份且不早于 2000 年", "{v}");
        let base = json!({"region_code": "420103", "indicator": "nope", "year": 2020, "value": -1, "source": "x"});
        let (_, v) = app.post(&reg.token, BASELINES, &base).await;
        let fields: Vec<&String> = v["error"]["fields"].as_object().unwrap().keys().collect();
        assert_eq!(fields, ["indicator", "value"], "{v}");
    })
    .await;
}

#[tokio::test]
async fn bureau_targets_reach_the_cockpit_verified_and_can_be_withdrawn_and_entered_again() {
    on_each_backend(|app| async move {
        let reg = jianghan(&app).await;
        let (status, v) = app.post(&reg.token, TARGETS, &deaths_target("420103")).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let id = v["item"]["id"].as_i64().unwrap();
        let inputs = anjian::indicator::inputs::load(app.state.db.conn()).await.unwrap();
        let t = &inputs.targets[0];
        assert_eq!(
            (t.region.as_str(), t.plan.as_str(), t.change_percent, t.base_year),
            ("420103", "本区“十四五”规划", Some(-15.0), Some(2020))
        );
        assert!(t.verified && t.binding && t.value.is_none());
        let delete = || app.client.delete(app.url(&format!("{TARGETS}/{id}"))).bearer_auth(&reg.token).send();
        assert_eq!(delete().await.unwrap().status(), StatusCode::NO_CONTENT);
        assert_eq!(delete().await.unwrap().status(), StatusCode::NOT_FOUND, "withdrawn already");
        assert!(items(&app, &reg, TARGETS).await.is_empty());
        assert!(anjian::indicator::inputs::load(app.state.db.conn()).await.unwrap().targets.is_empty());
        let (status, v) = app.post(&reg.token, TARGETS, &deaths_target("420103")).await;
        assert_eq!((status, v["item"]["id"].as_i64()), (StatusCode::CREATED, Some(id)), "entered again: the same row");
        let report = anjian::audit::verify::verify(app.state.db.conn()).await.unwrap();
        assert!(report.ok, "a withdrawn target is kept for the log: {:?}", report.problems);
    })
    .await;
}

const D_HEADER: [&str; 6] =
    ["地区代码*", "地区名称", "年份*", "地区生产总值*（亿元）", "工矿商贸就业人员*（人）", "来源*"];

/// A workbook: `=n` a number cell, anything else text.
fn workbook(header: &[&str], rows: &[&[&str]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in (0_u32..).zip(std::iter::once(header).chain(rows.iter().copied())) {
        for (c, v) in (0_u16..).zip(row.iter()) {
            if let Some(n) = v.strip_prefix('=') {
                sheet.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
            } else if !v.is_empty() {
                sheet.write_string(r, c, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

async fn import(app: &TestApp, u: &TestUser, path: &str, bytes: Vec<u8>, dry_run: bool) -> (StatusCode, Value) {
    let path = if dry_run { format!("{path}/import?dry_run=true") } else { format!("{path}/import") };
    app.upload(&u.token, &path, "基数.xlsx", bytes).await
}

#[tokio::test]
async fn the_denominators_import_writes_all_or_nothing_and_again_changes_nothing() {
    on_each_backend(|app| async move {
        let reg = app.user("wuhan").role(Role::Regulator).region("420100").create().await;
        let good = workbook(
            &D_HEADER,
            &[
                &["420103", "江汉区", "=2020", "=1300.5", "=160000", "公报"],
                &["420111", "", "2020", "1,500亿元", "", "公报"],
            ],
        );
        let (status, v) = import(&app, &reg, DENOMINATORS, good.clone(), true).await;
        assert_eq!((status, v["imported"].as_u64()), (StatusCode::OK, Some(2)), "{v}");
        assert!(items(&app, &reg, DENOMINATORS).await.is_empty(), "a dry run writes nothing");
        let (status, v) = import(&app, &reg, DENOMINATORS, good.clone(), false).await;
        assert_eq!((status, v["imported"].as_u64()), (StatusCode::OK, Some(2)), "{v}");
        let (status, v) = import(&app, &reg, DENOMINATORS, good, false).await;
        assert_eq!(
            (status, v["imported"].as_u64(), v["already_recorded"].as_u64()),
            (StatusCode::OK, Some(0), Some(2))
        );
        assert_eq!(items(&app, &reg, DENOMINATORS).await.len(), 2);

        let bad = workbook(
            &D_HEADER,
            &[
                &["420103", "", "=2021", "=1400", "=1", "公报"],
                &["420000", "", "=2021", "=1", "=1", "公报"],
                &["420103", "", "=2021", "=-5", "x", ""],
            ],
        );
        let (status, v) = import(&app, &reg, DENOMINATORS, bad, false).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let got: Vec<(u64, &str, &str)> = v["error"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap(), e["code"].as_str().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "地区代码*", "unknown_region"),
                (4, "工矿商贸就业人员*（人）", "invalid_number"),
                (4, "地区生产总值*（亿元）", "invalid_value"),
                (4, "来源*", "missing_required"),
            ],
            "{v}"
        );
        assert_eq!(items(&app, &reg, DENOMINATORS).await.len(), 2, "nothing written");
    })
    .await;
}

#[tokio::test]
async fn the_targets_import_takes_codes_or_names_and_the_committed_samples_import() {
    on_each_backend(|app| async move {
        let reg = jianghan(&app).await;
        for (path, file) in [(DENOMINATORS, "denominators.xlsx"), (TARGETS, "indicator-targets.xlsx")] {
            let bytes = std::fs::read(format!("{}/imports/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            let (status, v) = import(&app, &reg, path, bytes.clone(), false).await;
            assert_eq!((status, v["imported"].as_u64()), (StatusCode::OK, Some(2)), "{file}: {v}");
            let (_, v) = import(&app, &reg, path, bytes, false).await;
            assert_eq!(v["already_recorded"], 2, "{file}: {v}");
        }
        let listed = items(&app, &reg, TARGETS).await;
        let names: Vec<&str> = listed.iter().map(|t| t["indicator"].as_str().unwrap()).collect();
        assert_eq!(names, ["accident_deaths", "insurance_coverage"], "a name is read as its code");
        let header = ["地区代码", "指标", "年份", "规划名称", "目标值", "变化幅度", "基期年份", "出处", "约束性"];
        let bad = workbook(&header, &[&["420103", "accident_deaths", "=2025", "P", "=5", "=-10", "", "L", "也许"]]);
        let (status, v) = import(&app, &reg, TARGETS, bad, true).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let codes: Vec<&str> =
            v["error"]["rows"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["invalid_value", "invalid_value"], "{v}");
    })
    .await;
}
