//! Penalty cases in the pages. In real Chromium (SQLite, like the other browser
//! tests): from a hazard found in an inspection (checklist item HC-16) the handler
//! opens a case prefilled from it, and each person takes their steps in the case
//! page — 立案 (approver), 调查取证, 呈批 with fines, 事先告知, 陈述申辩 (waived),
//! 法制审核 (reviewer), 决定 (approver), 送达, 缴纳, 结案 (approver) — and every
//! document's print page shows its title and number; then the bureau's 行政处罚统计
//! shows the decided case's figures and fits a phone, a tablet and a desktop (the
//! page audit's checks; the tables scroll in their own box). The case list shows
//! the 90-day clock's colours. Without a browser (reqwest):
//! a failed 立案 form comes back 422 with what was typed, and a separation-of-duties
//! refusal shows its message on the case page.

use crate::helpers::{Backend, TestApp, TestUser, code, enterprise_body};
use crate::page_steps::{run, set, sign_in, until};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Office {
    enterprise: i64,
    zf1: TestUser,
    zf2: TestUser,
    fuze: TestUser,
}

async fn office(app: &TestApp) -> Office {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let body = enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    app.user("fashen").role(Role::LegalReviewer).region("420103").create().await;
    Office {
        enterprise: app.enterprise(&reg.token, body).await,
        zf1: app.user("zf1").role(Role::Inspector).region("420103").create().await,
        zf2: app.user("zf2").role(Role::Inspector).region("420103").create().await,
        fuze: app.user("fuze").role(Role::Approver).region("420103").create().await,
    }
}

/// A general hazard found in an inspection on checklist item HC-16.
async fn finding(app: &TestApp, o: &Office) -> i64 {
    let body = json!({"enterprise_id": o.enterprise, "source": "inspection", "level": "general",
        "category": "unsafe_condition", "title": "隐患排查治理制度未建立", "description": "企业未建立事故隐患排查治理制度",
        "location": "安全管理部", "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-12-10", "checklist_item_code": "HC-16"});
    let (status, v) = app.post(&o.zf1.token, "/api/v1/hazards", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

/// Posts the form of `step` on the case page and waits for the page to say it was done.
async fn take(browser: &Browser, step: &str, shot: Option<&str>) {
    let form = format!("#form-{step}");
    browser.wait_for(&form).await;
    if let Some(name) = shot {
        run(browser, "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});", json!([form])).await;
        browser.screenshot(name).await;
    }
    // The page before may show the last step's message: it goes, and the next page brings its own.
    run(browser, "const f = document.getElementById('flash'); if (f) { f.remove(); }", json!([])).await;
    browser.click(&format!("{form} button[type=submit]")).await;
    until(browser, &format!("{step} is recorded"), "!!document.getElementById('flash')").await;
}

async fn open_case(app: &TestApp, browser: &Browser, o: &Office, hazard: i64) -> String {
    sign_in(app, browser, "zf1").await;
    browser.goto(&app.url(&format!("/hazards/{hazard}"))).await;
    browser.click("#open-case").await;
    browser.wait_for("#case-form").await;
    assert!(browser.text("#suggested").await.contains("安全生产法"), "violations are suggested from HC-16");
    assert_eq!(browser.attr("input[name=enterprise_q]", "value").await, "甲化工有限公司");
    browser.type_into("input[name=p1_name]", "张三").await;
    set(browser, "select[name=p1_role]", "principal").await;
    browser.type_into("input[name=p1_id]", "420103198001011234").await;
    set(browser, "select[name=co_handler_id]", &o.zf2.id.to_string()).await;
    browser.screenshot("case-new").await;
    browser.click("#case-form button[type=submit]").await;
    until(browser, "the case is proposed", "!!document.getElementById('case-status')").await;
    assert_eq!(browser.text("#case-status").await, "待立案审批");
    browser.command(reqwest::Method::GET, "/url", None).await.unwrap().as_str().unwrap().to_owned()
}

async fn report(browser: &Browser) {
    let ids = run(
        browser,
        "return Array.from(document.querySelectorAll('.fine-row')).map(e => e.dataset.violation);",
        json!([]),
    )
    .await;
    let ids: Vec<String> = serde_json::from_value(ids).unwrap();
    assert_eq!(ids.len(), 2, "both suggested violations were charged");
    for (id, fine) in ids.iter().zip(["20000", "10000"]) {
        set(browser, &format!("select[name=f{id}_step]"), "slight").await;
        browser.type_into(&format!("input[name=f{id}_fine]"), fine).await;
    }
    browser.type_into("#form-report textarea[name=note]", "建议给予罚款处罚").await;
    take(browser, "report", Some("case-report-form")).await;
}

async fn print_pages(app: &TestApp, browser: &Browser, o: &Office, url: &str) {
    let id: i64 = url.rsplit('/').next().unwrap().split(['?', '#']).next().unwrap().parse().unwrap();
    let (_, c) = app.get(&o.zf1.token, &format!("/api/v1/cases/{id}")).await;
    let docs = c["documents"].as_array().unwrap();
    assert!(docs.len() >= 7, "{c}");
    for (n, d) in docs.iter().enumerate() {
        browser.goto(&app.url(&format!("/cases/{id}/documents/{}", d["id"]))).await;
        assert_eq!(browser.text("#doc-title").await, d["title"].as_str().unwrap());
        assert_eq!(browser.text("#doc-number").await, d["number"].as_str().unwrap());
        if d["kind"] == "penalty_decision" {
            browser.screenshot("case-doc-decision").await;
            let body = browser.source().await;
            assert!(body.contains("指定银行") && body.contains("人民政府申请行政复议"), "notices are filled");
            assert!(!body.contains('{') || !body.contains("{region}"), "no placeholder is left");
        }
        assert!(n < 20);
    }
}

#[tokio::test]
async fn a_case_runs_through_the_pages_from_an_inspection_finding_to_closing() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let o = office(&app).await;
    let hazard = finding(&app, &o).await;
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    let url = open_case(&app, &browser, &o, hazard).await;

    sign_in(&app, &browser, "fuze").await;
    browser.goto(&url).await;
    take(&browser, "file", None).await;
    assert!(browser.text("#case-number").await.contains("应急立案〔2026〕"));
    sign_in(&app, &browser, "zf1").await;
    browser.goto(&url).await;
    browser.type_into("#form-investigate textarea[name=note]", "询问张三，承认未建立隐患排查治理制度").await;
    take(&browser, "investigate", None).await;
    report(&browser).await;
    take(&browser, "notify", None).await;
    browser.screenshot("case-mid").await;
    run(&browser, "document.querySelector('#form-statement input[name=waive]').checked = true;", json!([])).await;
    browser.type_into("#form-statement textarea[name=note]", "当事人书面放弃陈述申辩和听证").await;
    take(&browser, "statement", None).await;

    sign_in(&app, &browser, "fashen").await;
    browser.goto(&url).await;
    set(&browser, "#form-review select[name=opinion]", "approve").await;
    browser.type_into("#form-review textarea[name=note]", "事实清楚，证据确凿，程序合法").await;
    take(&browser, "review", None).await;
    sign_in(&app, &browser, "fuze").await;
    browser.goto(&url).await;
    take(&browser, "decide", None).await;
    sign_in(&app, &browser, "zf2").await;
    browser.goto(&url).await;
    take(&browser, "serve", None).await;
    assert!(browser.text("#money-owed").await.contains("30,000 元"));
    take(&browser, "pay", None).await;
    sign_in(&app, &browser, "fuze").await;
    browser.goto(&url).await;
    take(&browser, "close", None).await;
    assert_eq!(browser.text("#case-status").await, "已结案");
    let timeline = browser.text("#timeline").await;
    assert!(timeline.contains("当事人放弃陈述申辩") && timeline.contains("审核意见：同意"), "{timeline}");
    print_pages(&app, &browser, &o, &url).await;
    statistics(&app, &browser).await;
    browser.close().await;
}

/// The bureau's figures after the case was decided and paid (30,000 yuan on the two
/// violations suggested from HC-16), checked like every main page at 390, 1024 and
/// 1366 px, with each table shown on screen for the screenshots.
async fn statistics(app: &TestApp, browser: &Browser) {
    browser.goto(&app.url("/cases/statistics?year=2026")).await;
    for (id, shown) in [
        ("#cases-filed", "1"),
        ("#decisions", "1"),
        ("#no-penalty", "0"),
        ("#fines-decided", "3.00 万元"),
        ("#fines-decided-exact", "30,000 元"),
        ("#fines-collected", "3.00 万元"),
        ("#fines-collected-exact", "30,000 元"),
    ] {
        assert_eq!(browser.text(id).await, shown, "{id}");
    }
    let sector = browser.text("#by-sector tbody").await;
    assert!(sector.contains("危险化学品") && sector.contains("1 件"), "{sector}");
    let articles = browser.text("#by-article tbody").await;
    assert_eq!(articles.matches("《安全生产法》").count(), 2, "{articles}");
    let pages = [("case-statistics", "/cases/statistics?year=2026".to_owned())];
    let problems = crate::page_audit::audit(app, browser, "approver", &pages).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The narrowest cell still holds a few characters: the tables scroll rather than squeeze.
    let narrowest = "return Math.min(...Array.from(document.querySelectorAll('#by-sector td, #by-article td')).map(td => td.getBoundingClientRect().width));";
    for (w, h, size) in [(390, 844, "phone"), (1024, 768, "tablet"), (1366, 900, "desktop")] {
        browser.resize(w, h).await;
        browser.goto(&app.url("/cases/statistics?year=2026")).await;
        let width = run(browser, narrowest, json!([])).await.as_f64().unwrap();
        assert!(width >= 56.0, "{size}: a table cell is squeezed to {width} px");
        for table in ["by-sector", "by-article"] {
            run(browser, "document.getElementById(arguments[0]).scrollIntoView({block: 'start'});", json!([table]))
                .await;
            browser.screenshot(&format!("case-statistics-{table}-{size}")).await;
        }
    }
    browser.goto(&app.url("/cases/statistics?year=2025")).await;
    assert!(browser.text("#no-cases").await.contains("本年度暂无案件"));
    browser.screenshot("case-statistics-empty-desktop").await;
    browser.resize(1280, 900).await;
}

/// The list's clock colours as Chromium computes them, on the cases of
/// `case_pages::clock_cases`: none below 60 days, amber from 60, light red from 80,
/// solid red with white text once overdue.
#[tokio::test]
async fn the_case_list_colours_the_clock_at_60_and_80_days_and_once_overdue() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let o = crate::case_pages::office(&app).await;
    let ids = crate::case_pages::clock_cases(&app, &o).await;
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "reg").await;
    browser.goto(&app.url("/cases?tab=all")).await;
    browser.wait_for("#case-table").await;
    let script = "return arguments[0].map(id => { \
        const cell = document.querySelector(`#case-table a[href='/cases/${id}']`).closest('tr').querySelector('td.clock'); \
        const tag = cell.querySelector('.tag'); const s = getComputedStyle(tag || cell); \
        return [tag ? tag.className : '', s.backgroundColor, s.color, cell.innerText.trim()]; });";
    let seen = run(&browser, script, json!([ids])).await;
    let expected = json!([
        ["tag tag-overdue", "rgb(179, 38, 30)", "rgb(255, 255, 255)", "已超期 1 天（期限 2027-02-20）"],
        ["tag tag-danger", "rgb(253, 236, 234)", "rgb(179, 38, 30)", "已用 80 天，剩余 10 天"],
        ["tag tag-warn", "rgb(255, 244, 224)", "rgb(122, 77, 0)", "已用 60 天，剩余 30 天"],
        ["", "rgba(0, 0, 0, 0)", "rgb(31, 41, 51)", "已用 59 天，剩余 31 天"],
    ]);
    assert_eq!(seen, expected);
    browser.screenshot("case-clock-colours-desktop").await;
    browser.resize(390, 844).await;
    browser.goto(&app.url("/cases?tab=all")).await;
    browser.wait_for("#case-table").await;
    browser.screenshot("case-clock-colours-phone").await;
    browser.close().await;
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn post_page(app: &TestApp, u: &TestUser, path: &str, form: &[(&str, String)]) -> (StatusCode, String) {
    let mut pairs: Vec<(&str, String)> = vec![("csrf_token", u.csrf.clone())];
    pairs.extend(form.iter().cloned());
    let res = http()
        .post(app.url(path))
        .header("cookie", format!("anjian_session={}", u.token))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn case_pages_keep_what_was_typed_and_show_refusals() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let o = office(&app).await;
    let form = vec![
        ("enterprise_id", o.enterprise.to_string()),
        ("p1_name", "李四".to_owned()),
        ("p1_id", "42010319900101567X".to_owned()),
        ("facts", "仓库消防通道被堵塞".to_owned()),
        ("v1_code", "no-such-entry".to_owned()),
        ("v2_code", "wsl-101-5".to_owned()),
        ("v2_party", "p2".to_owned()),
    ];
    let (status, page) = post_page(&app, &o.zf1, "/cases/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("value=\"李四\"") && page.contains("仓库消防通道被堵塞"), "typed values are kept");
    assert!(page.contains("所选当事人没有填写"), "{page}");

    let form = vec![
        ("enterprise_id", o.enterprise.to_string()),
        ("facts", "仓库消防通道被堵塞".to_owned()),
        ("v1_code", "wsl-94".to_owned()),
        ("v1_party", "unit".to_owned()),
        ("co_handler_id", String::new()),
    ];
    let (status, page) = post_page(&app, &o.zf1, "/cases/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("不适用于单位") && page.contains("请选择协办人"), "the API's problems show: {page}");

    let body = json!({"parties": [{"kind": "unit", "enterprise_id": o.enterprise},
            {"kind": "person", "name": "张三", "id_number": "420103198001011234", "role": "principal"}],
        "facts": "报警器未投用", "procedure": "general", "co_handler_id": o.zf2.id,
        "violations": [{"catalogue_code": "wsl-94", "party": 1}]});
    let (_, c) = app.post(&o.zf1.token, "/api/v1/cases", &body).await;
    let id = c["id"].as_i64().unwrap();
    let post = |who: &TestUser, step: &str, b: Value| {
        let (app, token, step) = (&app, who.token.clone(), step.to_owned());
        async move { app.post(&token, &format!("/api/v1/cases/{id}/{step}"), &b).await }
    };
    post(&o.fuze, "file", json!({})).await;
    let (_, c) = app.get(&o.zf1.token, &format!("/api/v1/cases/{id}")).await;
    let fines = json!([{"violation_id": c["violations"][0]["id"], "step": "slight", "fine_yuan": 20000}]);
    post(&o.zf1, "report", json!({"decision": "penalty", "fines": fines})).await;
    post(&o.zf1, "notify", json!({})).await;
    let form = vec![("hearing_officer_id", o.zf2.id.to_string()), ("note", "张三申请听证".to_owned())];
    let (status, page) = post_page(&app, &o.zf1, &format!("/cases/{id}/act/hearing_request"), &form).await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("职能分离") && page.contains("张三申请听证"), "the refusal and what was typed: {page}");
    assert!(!page.contains("separation_of_duties"), "no raw codes");
}
