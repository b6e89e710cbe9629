//! The 事故预防服务 pages: an insurer records a hazard inspection with a finding on the
//! form (problems in Chinese on the row they belong to, what was typed kept) and sees its
//! services in Chinese; the regulator sees the spend with the ceiling's source and the
//! no-service list; the enterprise sees the service on its insurance page; and in real
//! Chromium the pages do not scroll sideways at a phone's, a tablet's and a desk's width.

use crate::helpers::{Backend, TestApp, TestUser, code, enterprise_body, on_each_backend};
use crate::page_steps::{run, sign_in};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

fn page_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn get(app: &TestApp, u: &TestUser, path: &str) -> (StatusCode, String) {
    let res = page_client().get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await;
    let res = res.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn post(app: &TestApp, u: &TestUser, form: &[(&str, &str)]) -> (StatusCode, String) {
    let mut form: Vec<(&str, &str)> = form.to_vec();
    form.push(("csrf_token", u.csrf.as_str()));
    let res = page_client()
        .post(app.url("/insurance/services/new"))
        .header("cookie", format!("anjian_session={}", u.token))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let to = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    (status, to.unwrap_or_default() + &res.text().await.unwrap())
}

/// A regulator, an insured plant with a 2026 policy of 平安财险, and that insurer's user.
async fn insured(app: &TestApp) -> (TestUser, i64, i64, TestUser) {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let body = enterprise_body(&code("420103", 1), "化工一号", "hazardous_chemicals", "hc_production", "420103");
    let plant = app.enterprise(&reg.token, body).await;
    let pa = app.user("pingan").role(Role::Insurer).insurer("平安财险").create().await;
    let p = json!({"enterprise_id": plant, "insurer": "平安财险", "policy_no": "P-1", "starts_on": "2026-01-01",
        "ends_on": "2026-12-31", "premium_yuan": 10_000, "insured_headcount": 10, "death_disability_limit_yuan": 500_000});
    let (status, v) = app.post(&pa.token, "/api/v1/insurance-policies", &p).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    (reg, plant, v["id"].as_i64().unwrap(), pa)
}

#[tokio::test]
async fn an_insurer_records_a_service_on_the_form_and_everyone_reads_it_in_chinese() {
    on_each_backend(|app| async move {
        let (reg, plant, policy, pa) = insured(&app).await;
        let (status, page) = get(&app, &pa, &format!("/insurance/services/new?policy_id={policy}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("登记事故预防服务") && page.contains("P-1 · 化工一号") && page.contains("隐患排查"),
            "{page}"
        );
        let id = policy.to_string();
        let mut form = vec![
            ("policy_id", id.as_str()),
            ("kind", "hazard_inspection"),
            ("served_on", "2026-11-20"),
            ("cost_yuan", "一千"),
            ("provider", "安评技术服务公司"),
            ("experts", "张工"),
            ("summary", "对照重大事故隐患判定标准排查"),
            ("f2_title", "液化烃储罐未设紧急切断"),
            ("f2_description", "罐区 3 号储罐"),
            ("f2_level", "general"),
            ("f2_category", ""),
        ];
        let (status, page) = post(&app, &pa, &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("服务费用：须为整数") && page.contains(r#"value="液化烃储罐未设紧急切断""#), "{page}");
        form[3].1 = "1000";
        let (status, page) = post(&app, &pa, &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("请填写隐患类别"), "{page}");
        form[10].1 = "unsafe_condition";
        let (status, to) = post(&app, &pa, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
        assert!(to.starts_with("/insurance/services?saved=1"), "{to}");

        let (status, page) = get(&app, &pa, "/insurance/services").await;
        assert_eq!(status, StatusCode::OK);
        for want in
            ["事故预防服务", "隐患排查", "液化烃储罐未设紧急切断", "1,000 元", "10.0%", "整改中", "安评技术服务公司"]
        {
            assert!(page.contains(want), "{want} missing: {page}");
        }
        assert!(page.contains(r#"href="/insurance/services""#) && page.contains("登记服务"), "{page}");

        let (_, page) = get(&app, &reg, "/insurance/services").await;
        assert!(
            page.contains("上限 21%") && page.contains("21%") && page.contains("关注线 5%") && page.contains("未核实"),
            "{page}"
        );
        assert!(page.contains("平安财险") && page.contains("保单年度内未开展服务的保单"), "{page}");
        let (_, page) = get(&app, &reg, "/insurance").await;
        assert!(page.contains(r#"href="/insurance/services""#), "{page}");

        let principal = app.user("fzr").role(Role::Principal).enterprise(plant).create().await;
        let (_, page) = get(&app, &principal, &format!("/enterprises/{plant}/insurance")).await;
        assert!(page.contains("事故预防服务") && page.contains("液化烃储罐未设紧急切断"), "{page}");
        assert!(!page.contains(r#"id="new-service""#), "{page}");
        assert_eq!(get(&app, &principal, "/insurance/services").await.0, StatusCode::NOT_FOUND);
        assert_eq!(post(&app, &principal, &form).await.0, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_service_pages_do_not_scroll_sideways_on_a_phone_a_tablet_or_a_desk() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (_reg, _plant, policy, pa) = insured(&app).await;
    let long = "对照《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准》逐条排查".repeat(4);
    let body = json!({"policy_id": policy, "kind": "hazard_inspection", "served_on": "2026-11-20", "cost_yuan": 2500,
        "provider": "湖北省安全生产技术服务有限公司（第三方技术服务机构）", "experts": "张工程师、李工程师、王工程师",
        "summary": long, "findings": [{"title": "液化烃储罐未设紧急切断阀", "description": "罐区", "level": "major",
        "category": "unsafe_condition"}]});
    let (status, v) = app.post(&pa.token, "/api/v1/insurance-services", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    for (user, path, wait) in [
        ("pingan", "/insurance/services", "#service-table"),
        ("reg", "/insurance/services", "#insurer-spend"),
        ("pingan", "/insurance/services/new", "#service-form"),
    ] {
        sign_in(&app, &browser, user).await;
        browser.goto(&app.url(path)).await;
        browser.wait_for(wait).await;
        for (w, h) in [(390, 844), (1024, 768), (1366, 900)] {
            browser.resize(w, h).await;
            browser.screenshot(&format!("insurance-services-{user}-{}-{w}", path.len())).await;
            let wide = run(&browser, "return document.documentElement.scrollWidth;", json!([])).await;
            assert!(wide.as_u64().unwrap_or_default() <= u64::from(w) + 1, "{path} as {user} at {w}: {wide}");
        }
        // On a phone a row is a card: each cell keeps a readable width.
        browser.resize(390, 844).await;
        let narrow = run(
            &browser,
            "return Math.min(...[...document.querySelectorAll('table.cards td[data-label]')].map(td => td.getBoundingClientRect().width));",
            json!([]),
        )
        .await;
        assert!(narrow.as_f64().is_none_or(|w| w >= 200.0), "{path} as {user}: a cell {narrow} px wide");
    }
    browser.close().await;
}
