//! The corrected ledger (issue 10) through the pages in real Chromium: a
//! regulator re-grades a general hazard as major and lists it at 交办, and its
//! 督办通知书 prints with the bureau and a number; a county regulator is not
//! offered the 核销 of a city-listed item while the city's regulator closes it;
//! the enterprise files the 双报告 and the 一单 shows it with the 职代会 date.
//! SQLite only, like the other browser tests; the API sets up what the scenario
//! does not test (reports, plans, submissions).

use crate::helpers::{Backend, TestApp, TestUser, world};
use crate::page_steps::{expect_status, set, sign_in, unfold};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Posts `body` to `path` as `u`; the answer, which must be `expected`.
async fn post(app: &TestApp, u: &TestUser, path: &str, body: &Value, expected: StatusCode) -> Value {
    let (status, v) = app.post(&u.token, path, body).await;
    assert_eq!(status, expected, "{path}: {v}");
    v
}

/// A hazard of the enterprise reported by `u` through the API; its id.
async fn reported(app: &TestApp, u: &TestUser, enterprise: i64, level: &str) -> i64 {
    let body = json!({"enterprise_id": enterprise, "source": "self_check", "level": level, "category": "unsafe_condition",
        "title": "储罐区可燃气体报警器失效", "description": "罐区 3 台报警器未投用",
        "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-12-10"});
    post(app, u, "/api/v1/hazards", &body, StatusCode::CREATED).await["id"].as_i64().unwrap()
}

/// Takes step `action` of hazard `id` as `u` through the API.
async fn step(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) {
    post(app, u, &format!("/api/v1/hazards/{id}/{action}"), &body, StatusCode::OK).await;
}

/// An uploaded file's id.
async fn upload(app: &TestApp, u: &TestUser, name: &str, bytes: &[u8]) -> i64 {
    let (status, v) = app.upload(&u.token, "/api/v1/attachments", name, bytes.to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

/// The id of the bureau with this region code, as `u` sees the bureaus.
async fn bureau(app: &TestApp, u: &TestUser, code: &str) -> (i64, String) {
    let (_, bureaus) = app.get(&u.token, "/api/v1/bureaus").await;
    let b = bureaus.as_array().unwrap().iter().find(|b| b["code"] == code).unwrap();
    (b["id"].as_i64().unwrap(), b["name"].as_str().unwrap().to_owned())
}

/// Item 1 and item 4: 重新定级 to major, 交办 with a county 挂牌, the 交办 card
/// in Chinese, and the printed 督办通知书 with its bureau and number.
#[tokio::test(flavor = "multi_thread")]
async fn a_regulator_regrades_a_general_hazard_as_major_lists_it_and_prints_the_notice() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let id = reported(&app, &w.officer, w.enterprise, "general").await;
    let (county, _) = bureau(&app, &w.reg, "420103").await;

    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "reg").await;
    browser.goto(&app.url(&format!("/hazards/{id}"))).await;
    expect_status(&browser, "整改中").await;
    unfold(&browser, "regrade").await;
    set(&browser, "#form-regrade select[name=level]", "major").await;
    browser.type_into("#form-regrade textarea[name=reason]", "属于重大事故隐患判定标准第三条情形").await;
    browser.click("#do-regrade").await;
    expect_status(&browser, "已认定").await;
    assert!(browser.text("#assignment").await.contains("尚未交办"), "a major hazard awaits its 交办");

    unfold(&browser, "assign").await;
    set(&browser, "#form-assign select[name=supervising_bureau_id]", &county.to_string()).await;
    set(&browser, "#form-assign select[name=supervision_level]", "county").await;
    browser.type_into("#form-assign input[name=responsible_unit]", "甲化工有限公司").await;
    browser.type_into("#form-assign input[name=responsible_person]", "张三").await;
    set(&browser, "#form-assign input[name=deadline]", "2026-12-20").await;
    browser.click("#do-assign").await;
    expect_status(&browser, "已交办").await;
    let card = browser.text("#assignment").await;
    assert!(card.contains("挂牌督办级别") && card.contains("县级"), "the level in Chinese: {card}");
    assert!(card.contains("张三") && !card.contains("county"), "{card}");
    assert!(
        card.contains("交办单位\n江汉区应急管理局") || card.contains("交办单位 江汉区应急管理局"),
        "the bureau assigned it: {card}"
    );
    assert_eq!(browser.text("#deadline").await, "2026-12-20");
    browser.screenshot("ledger-assigned").await;

    browser.goto(&app.url(&format!("/hazards/{id}/documents/supervision-notice"))).await;
    assert_eq!(browser.text("#doc-number").await, "江汉区应急督办〔2026〕1号");
    assert_eq!(browser.text("#doc-bureau").await, "江汉区应急管理局");
    let sheet = browser.source().await;
    assert!(sheet.contains("<th>交办单位</th><td>江汉区应急管理局</td>"), "the bureau assigned it: {sheet}");
    assert!(!sheet.contains("<th>督办文号</th><td>—</td>"), "no empty 督办文号 under the notice's own number");
    browser.resize(1024, 1500).await;
    browser.screenshot("ledger-supervision-notice").await;
    browser.close().await;
}

/// Item 2: a city-listed item, submitted with its 评估报告; the county is not
/// offered 核销, the city's regulator closes it with a review.
#[tokio::test(flavor = "multi_thread")]
async fn only_the_listing_city_bureau_is_offered_the_closure_of_a_city_listed_item() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let city = app.user("city").role(anjian::auth::Role::Regulator).region("420100").create().await;
    let (city_id, city_name) = bureau(&app, &city, "420100").await;
    let id = reported(&app, &w.principal, w.enterprise, "major").await;
    step(&app, &w.reg, id, "confirm", json!({})).await;
    let listing = json!({"assignment": {"assigning_body": city_name, "assigning_bureau_id": city_id,
        "responsible_unit": "甲化工有限公司", "responsible_person": "张三", "supervision_level": "city",
        "deadline": "2026-12-20"}});
    step(&app, &city, id, "assign", listing).await;
    let plan = json!({"plan": {"goals": "消除报警失效", "measures": "更换报警器", "funds": 1000.0,
        "responsible_org": "设备部", "responsible_person": "张三", "deadline": "2026-12-15",
        "safety_measures": "罐区停止进料", "emergency_plan": "罐区专项应急预案"}});
    step(&app, &w.principal, id, "plan", plan).await;
    let after = upload(&app, &w.principal, "现场.jpg", b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00ledger").await;
    let assessment = upload(&app, &w.principal, "评估报告.pdf", b"%PDF-1.4\n").await;
    let submission = json!({"attachment_ids": [after], "assessment_report_ids": [assessment]});
    step(&app, &w.principal, id, "submit", submission).await;

    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "reg").await;
    browser.goto(&app.url(&format!("/hazards/{id}"))).await;
    expect_status(&browser, "待验收").await;
    let page = browser.source().await;
    assert!(!page.contains("id=\"do-verify\"") && !page.contains("id=\"form-verify\""), "the county may not 核销");

    sign_in(&app, &browser, "city").await;
    browser.goto(&app.url(&format!("/hazards/{id}"))).await;
    expect_status(&browser, "待验收").await;
    unfold(&browser, "verify").await;
    browser.type_into("#form-verify textarea[name=reviewers]", "王五\n赵六").await;
    browser.type_into("#form-verify textarea[name=opinion]", "现场审查合格").await;
    browser.click("#do-verify").await;
    expect_status(&browser, "已销号").await;
    let review = browser.text("#review").await;
    assert!(review.contains("王五、赵六") && review.contains("现场审查合格"), "{review}");
    browser.goto(&app.url("/major-hazards")).await;
    let row = browser.text("#major-table tbody tr").await;
    assert!(row.contains("已销号") && row.contains("（市级挂牌）"), "the 一单 names the level: {row}");
    browser.screenshot("ledger-major-list-closed").await;
    browser.close().await;
}

/// Item 3: the enterprise files the 双报告 in its page; the 一单 shows it filed
/// with the date it went to the workers' congress.
#[tokio::test(flavor = "multi_thread")]
async fn the_enterprise_files_the_double_report_and_the_list_shows_it_with_the_congress_date() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let id = reported(&app, &w.principal, w.enterprise, "major").await;
    step(&app, &w.reg, id, "confirm", json!({})).await;

    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "fzr").await;
    browser.goto(&app.url(&format!("/hazards/{id}/report"))).await;
    assert!(browser.text("#report-state").await.contains("尚未报告"));
    let form = "#report-form";
    browser.type_into(&format!("{form} textarea[name=current_state_and_causes]"), "3 台报警器未投用，联锁切除").await;
    browser.type_into(&format!("{form} textarea[name=harm_and_difficulty]"), "泄漏无法报警，整改需停罐").await;
    browser.type_into(&format!("{form} textarea[name=remediation_plan]"), "更换报警器，恢复联锁").await;
    set(&browser, &format!("{form} input[name=congress_reported_on]"), "2026-11-20").await;
    browser.click("#file-report").await;
    let started = std::time::Instant::now();
    while !browser.source().await.contains("已报告") {
        assert!(started.elapsed().as_secs() < 10, "the report was not filed\n{}", browser.source().await);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    sign_in(&app, &browser, "reg").await;
    browser.goto(&app.url("/major-hazards")).await;
    let row = browser.text("#major-table tbody tr").await;
    assert!(row.contains("储罐区可燃气体报警器失效"), "{row}");
    let cell = browser.text("#major-table .report-cell").await;
    assert!(cell.contains("已报告") && cell.contains("职代会 2026-11-20"), "{cell}");
    browser.resize(1366, 900).await;
    browser.screenshot("ledger-major-list").await;
    browser.resize(390, 844).await;
    browser.screenshot("ledger-major-list-phone").await;
    browser.close().await;
}
