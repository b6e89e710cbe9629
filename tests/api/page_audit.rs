//! The screenshot audit: the main pages in Chromium at a phone (390×844), a
//! tablet (1024×768) and a desktop (1366×900), as a regulator and as an
//! enterprise's safety officer. A page fails on horizontal overflow of the
//! body, on a raw code visible to the user (the coded enums' codes and the API
//! field names), on a visible input without the app's border and padding, and
//! on a header taller than a sixth of the screen. Set `ANJIAN_SCREENSHOT_DIR`
//! to keep the screenshots. Also: a bureau user picks an enterprise on the
//! report form by typing part of its name. SQLite only, like the other
//! browser tests.

use crate::helpers::{Backend, TestApp, code, enterprise_body};
use crate::page_steps::{run, sign_in};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use anjian::auth::Role;
use anjian::enterprise::domain::Sector;
use anjian::hazard::domain::{Closure, Level, Source, Status, SupervisionLevel};
use reqwest::StatusCode;
use serde_json::json;

const SIZES: [(u32, u32, &str); 3] = [(390, 844, "phone"), (1024, 768, "tablet"), (1366, 900, "desktop")];

/// What a user must never read: the stored codes and the API's field names.
fn raw_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Vec::new();
    codes.extend(Sector::ALL.iter().map(|s| s.as_str()));
    codes.extend(Source::ALL.iter().map(|s| s.as_str()));
    codes.extend(Status::ALL.iter().map(|s| s.as_str()));
    codes.extend(Level::ALL.iter().map(|s| s.as_str()));
    codes.extend(Closure::ALL.iter().map(|s| s.as_str()));
    codes.extend(SupervisionLevel::ALL.iter().map(|s| s.as_str()));
    codes.extend(anjian::inspection::domain::Kind::ALL.iter().map(|s| s.as_str()));
    codes.extend(anjian::inspection::domain::Status::ALL.iter().map(|s| s.as_str()));
    codes.extend(anjian::draw::domain::Status::ALL.iter().map(|s| s.as_str()));
    codes.extend(anjian::draw::domain::SpecialtyRule::ALL.iter().map(|s| s.as_str()));
    codes.extend(["inspector_ids", "plan_text", "planned_date"]);
    codes.extend(["sample", "team_size", "public_entropy", "redraw_reason", "secret_mode"]);
    codes.extend(["after", "before", "enterprise_id", "subject_id", "fixed_on_spot", "deadline_working_days"]);
    codes
}

/// The problems of the page on screen, as sentences.
const AUDIT: &str = r"
const codes = arguments[0], problems = [];
const root = document.documentElement;
if (root.scrollWidth > window.innerWidth) problems.push('横向溢出 ' + root.scrollWidth + ' > ' + window.innerWidth);
const text = document.body.innerText;
for (const c of codes) {
  // A code inside a hyphenated identifier (a checklist's id such as hazchem-major) is a name, not a raw code.
  if (new RegExp('(^|[^A-Za-z0-9_-])' + c + '($|[^A-Za-z0-9_-])').test(text)) problems.push('原始代码 ' + c);
}
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (['hidden', 'checkbox', 'radio', 'submit', 'button'].includes(el.type)) continue;
  if (!el.getClientRects().length) continue;
  const cs = getComputedStyle(el);
  if (cs.borderTopStyle === 'none' || cs.borderTopWidth === '0px' || parseFloat(cs.paddingLeft) < 4)
    problems.push('未设置样式的输入框 ' + el.tagName.toLowerCase() + '[name=' + el.name + '][type=' + el.type + ']');
}
const bar = document.querySelector('.topbar');
if (bar && bar.getBoundingClientRect().height > window.innerHeight / 6)
  problems.push('页头过高 ' + Math.round(bar.getBoundingClientRect().height) + 'px');
const nav = document.querySelector('.mainnav');
if (nav && window.innerWidth >= 1366 && nav.scrollWidth > nav.clientWidth) problems.push('菜单不在一行');
return problems;
";

/// Visits each page at each size; returns every problem found.
pub(crate) async fn audit(app: &TestApp, browser: &Browser, who: &str, pages: &[(&str, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (w, h, size) in SIZES {
        browser.resize(w, h).await;
        for (name, path) in pages {
            browser.goto(&app.url(path)).await;
            // The printable 执法文书 are bare A4 pages without the site's footer.
            browser.wait_for(if name.ends_with("print") { "body" } else { "footer" }).await;
            let found = run(browser, AUDIT, json!([raw_codes()])).await;
            for p in found.as_array().into_iter().flatten() {
                problems.push(format!("{who} {name} {size}: {}", p.as_str().unwrap_or_default()));
            }
            browser.screenshot(&format!("audit-{who}-{name}-{size}")).await;
        }
    }
    problems
}

/// A major hazard taken through 认定 and 交办, and a general one reported by the enterprise.
async fn records(app: &TestApp, reg: &str, officer: &str, enterprise: i64) -> (i64, i64) {
    let major = json!({"enterprise_id": enterprise, "source": "tip_off", "level": "major", "category": "unsafe_condition",
        "title": "液氨储罐区可燃气体报警器失效", "description": "3 台报警器未投用，联锁切除", "location": "罐区",
        "found_at": "2026-11-21T02:00:00Z", "reporter": {"name": "王五", "phone": "13800000000"}, "source_ref": "12350-2026-001"});
    let (status, v) = app.post(reg, "/api/v1/hazards", &major).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    for (action, body) in [
        ("confirm", json!({"outcome": "substantiated"})),
        (
            "assign",
            json!({"assignment": {"assigning_body": "江汉区安委办", "responsible_unit": "江汉化工有限公司",
            "responsible_person": "张三", "supervision_level": "county", "notice_no": "江应急督〔2026〕3号",
            "deadline": "2026-12-20"}}),
        ),
    ] {
        let (status, v) = app.post(reg, &format!("/api/v1/hazards/{id}/{action}"), &body).await;
        assert_eq!(status, StatusCode::OK, "{action}: {v}");
    }
    let general = json!({"enterprise_id": enterprise, "source": "self_check", "level": "general", "category": "environment",
        "title": "砂轮机防护罩缺失", "description": "2 号砂轮机无防护罩", "found_at": "2026-11-21T08:00:00Z",
        "deadline": "2026-11-30"});
    let (status, v) = app.post(officer, "/api/v1/hazards", &general).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    (id, v["id"].as_i64().unwrap())
}

/// A draw of the county committed and executed through the API (the second inspector
/// gets a certificate number of its own first: the pool keeps one inspector per number).
async fn executed_draw(app: &TestApp, reg: &str, second: i64) -> i64 {
    let (status, v) =
        app.patch(reg, &format!("/api/v1/inspectors/{second}"), &json!({"certificate_no": "42010300002"})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let body = json!({"title": "2026年第四季度危化品双随机抽查", "sample": {"count": 1}, "team_size": 2});
    let (status, v) = app.post(reg, "/api/v1/draws", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    let (status, v) = app.post(reg, &format!("/api/v1/draws/{id}/execute"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    id
}

#[tokio::test(flavor = "multi_thread")]
async fn the_main_pages_fit_every_screen_and_show_no_codes_or_unstyled_inputs() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let body = enterprise_body(&code("420103", 1), "江汉化工有限公司", "hazardous_chemicals", "hc_storage", "420103");
    let e = app.enterprise(&reg.token, body).await;
    let officer = app.user("aqy").role(Role::SafetyOfficer).enterprise(e).create().await;
    let (major, general) = records(&app, &reg.token, &officer.token, e).await;
    let approver = app.user("fzr").role(Role::Approver).region("420103").create().await;
    let a = crate::inspection_support::inspector(&app, "zf_a", "420103").await;
    let b = crate::inspection_support::inspector(&app, "zf_b", "420103").await;
    let inspection = crate::inspection_support::approved_inspection(&app, &reg, &approver, &[&a, &b], e).await;
    let (_, v) = app.get(&reg.token, &format!("/api/v1/inspections/{inspection}")).await;
    let hash = v["checklists"][0]["hash"].as_str().unwrap_or_default().to_owned();
    let draw = executed_draw(&app, &reg.token, b.id).await;

    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "reg").await;
    let regulator_pages = [
        ("todos", "/todos".to_owned()),
        ("ledger", "/hazards".to_owned()),
        ("ledger-filtered", "/hazards?level=major&found_from=2026-11-01&supervision_level=county".to_owned()),
        ("hazard", format!("/hazards/{major}")),
        ("new-hazard", "/hazards/new".to_owned()),
        ("majors", "/major-hazards".to_owned()),
        ("enterprises", "/enterprises".to_owned()),
        ("enterprise", format!("/enterprises/{e}")),
        ("bulletins", "/bulletins".to_owned()),
        ("statistics", "/hazard-statistics".to_owned()),
        ("import", "/enterprises/import".to_owned()),
        ("ledger-import", "/hazards/import".to_owned()),
        ("inspections", "/inspections?tab=all".to_owned()),
        ("inspection", format!("/inspections/{inspection}")),
        ("inspection-print", format!("/inspections/{inspection}/documents/approval-form")),
        ("new-inspection", format!("/inspections/new?enterprise_id={e}")),
        ("inspectors", "/inspectors".to_owned()),
        ("inspector", format!("/inspectors/{}", a.id)),
        ("checklists", "/checklists".to_owned()),
        ("checklist", format!("/checklists/{hash}")),
        ("checklist-items", format!("/enterprises/{e}/checklist-items")),
        ("self-inspection-overview", "/self-inspection/overview".to_owned()),
        ("draws", "/draws".to_owned()),
        ("new-draw", "/draws/new".to_owned()),
        ("draw", format!("/draws/{draw}")),
    ];
    let mut problems = audit(&app, &browser, "regulator", &regulator_pages).await;
    sign_in(&app, &browser, "aqy").await;
    let enterprise_pages = [
        ("todos", "/todos".to_owned()),
        ("ledger", "/hazards".to_owned()),
        ("hazard", format!("/hazards/{general}")),
        ("major", format!("/hazards/{major}")),
        ("new-hazard", "/hazards/new".to_owned()),
        ("enterprise", format!("/enterprises/{e}")),
        ("statistics", "/hazard-statistics".to_owned()),
    ];
    problems.extend(audit(&app, &browser, "enterprise", &enterprise_pages).await);
    browser.close().await;
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bureau_user_picks_the_enterprise_by_typing_part_of_its_name() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let body = enterprise_body(&code("420103", 1), "江汉化工有限公司", "hazardous_chemicals", "hc_storage", "420103");
    let e = app.enterprise(&reg.token, body).await;
    let body = enterprise_body(&code("420103", 2), "江汉机械有限公司", "industry_trade", "it_machinery", "420103");
    app.enterprise(&reg.token, body).await;

    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "reg").await;
    browser.goto(&app.url("/hazards/new")).await;
    browser.type_into("#enterprise-q", "化工").await;
    browser.click(".picker-hit").await;
    let picked = run(
        &browser,
        "return [document.querySelector('input[name=enterprise_id]').value, document.querySelector('#enterprise-q').value];",
        json!([]),
    )
    .await;
    assert_eq!(picked, json!([e.to_string(), "江汉化工有限公司"]));
    browser.screenshot("picker-picked").await;
    browser.type_into("input[name=title]", "仓库安全出口堵塞").await;
    browser.type_into("textarea[name=description]", "成品仓库安全出口堆放货物").await;
    browser.click("#report-button").await;
    browser.wait_for("#flash").await;
    let page = browser.source().await;
    assert!(page.contains("江汉化工有限公司") && page.contains("已上报"), "{page}");
    browser.close().await;
}
