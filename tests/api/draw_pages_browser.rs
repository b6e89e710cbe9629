//! The double-random draw in real Chromium at 1024×768 (a tablet): a regulator
//! commits a draw in the form with a secret of their own made by 生成随机密钥,
//! executes it — first with a wrong secret, which is refused beside the field with
//! what was typed kept, then with the right one — and sees the teams; the approver
//! approves all the draw's inspections at once and they show as approved with their
//! document numbers. Each page is also shot at 390×844 and 1366×900 and checked for
//! horizontal overflow. SQLite only, like the other browser tests.

use crate::draw_support::draw_world;
use crate::helpers::{Backend, TestApp};
use crate::page_steps::{run, set, sign_in, until};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use serde_json::json;

/// Shoots the page at the three sizes (back at the tablet's afterwards); no size scrolls sideways.
async fn shoot(browser: &Browser, name: &str) {
    for (w, h, size) in [(390, 844, "phone"), (1366, 900, "desktop"), (1024, 768, "tablet")] {
        browser.resize(w, h).await;
        let wide = run(browser, "return document.documentElement.scrollWidth - window.innerWidth;", json!([])).await;
        assert!(wide.as_i64().unwrap_or(0) <= 0, "{name} scrolls sideways at {size}: {wide}");
        browser.screenshot(&format!("draw-{name}-{size}")).await;
    }
    // The whole page at the phone's and the tablet's width, to be looked at in one piece.
    for (w, size) in [(390, "phone"), (1024, "tablet")] {
        browser.resize(w, 768).await;
        let height = run(browser, "return document.documentElement.scrollHeight;", json!([])).await;
        let height = u32::try_from(height.as_u64().unwrap_or(768).min(6000)).unwrap_or(768);
        browser.resize(w, height.max(768)).await;
        browser.screenshot(&format!("draw-{name}-{size}-whole")).await;
    }
    browser.resize(1024, 768).await;
}

/// The regulator fills the commit form with a generated secret of their own; answers the secret.
async fn commit_in_form(app: &TestApp, browser: &Browser) -> String {
    sign_in(app, browser, "reg").await;
    browser.goto(&app.url("/draws")).await;
    browser.click("#new-draw").await;
    browser.wait_for("#draw-form").await;
    browser.type_into("#title", "2026年第四季度危化品双随机抽查").await;
    browser.click("#sector-checks input[value=hazardous_chemicals]").await;
    browser.type_into("#sample-value", "4").await;
    browser.click("#secret-regulator").await;
    until(browser, "choosing 自行设定 shows the secret field", "!document.getElementById('secret-own').hidden").await;
    browser.click("#generate-secret").await;
    let secret = run(browser, "return document.getElementById('secret').value;", json!([])).await;
    let secret = secret.as_str().unwrap().to_owned();
    assert!(secret.len() >= 8, "a random secret is filled in: {secret}");
    assert!(browser.text("#secret-warning").await.contains(&secret), "the regulator is told to write it down");
    shoot(browser, "new").await;
    browser.click("#commit-button").await;
    browser.wait_for("#execute-form").await;
    secret
}

/// A wrong secret is refused beside its field, the form kept; the right one draws the teams.
async fn execute_in_page(browser: &Browser, secret: &str) {
    assert!(browser.text("#flash").await.contains("名录已固定"), "the commitment is confirmed");
    assert_eq!(browser.text("#enterprise-count").await, "6");
    shoot(browser, "committed").await;
    browser.type_into("#secret", "WRONG-SECRET-0000").await;
    browser.type_into("#public-entropy", "2026139").await;
    browser.click("#execute-button").await;
    until(
        browser,
        "the wrong secret is refused",
        "document.getElementById('error-secret') && document.getElementById('error-secret').innerText.length > 0",
    )
    .await;
    assert!(browser.text("#error-secret").await.contains("承诺值不符"), "{}", browser.text("#error-secret").await);
    let kept = run(
        browser,
        "return [document.getElementById('secret').value, document.getElementById('public-entropy').value];",
        json!([]),
    )
    .await;
    assert_eq!(kept, json!(["WRONG-SECRET-0000", "2026139"]), "what was typed is kept");
    browser.screenshot("draw-wrong-secret").await;
    set(browser, "#secret", secret).await;
    browser.click("#execute-button").await;
    browser.wait_for("#task-table").await;
    assert_eq!(browser.text("#revealed-secret").await, secret, "the secret is revealed");
    let teams = run(
        browser,
        "return Array.from(document.querySelectorAll('#task-table tbody tr')).map(r => r.querySelectorAll('.team-list li').length);",
        json!([]),
    )
    .await;
    assert_eq!(teams, json!([2, 2, 2, 2]), "four enterprises drawn, each with a team of two");
    let leaders =
        run(browser, "return document.querySelectorAll('.team-list li:first-child').length;", json!([])).await;
    assert_eq!(leaders, json!(4));
    assert!(browser.text("#task-table").await.contains("（带队）"), "the leader is marked");
    shoot(browser, "executed").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_regulator_commits_and_executes_a_draw_with_their_own_secret_and_the_approver_approves_all() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let w = draw_world(&app).await;
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    browser.resize(1024, 768).await;
    let secret = commit_in_form(&app, &browser).await;
    execute_in_page(&browser, &secret).await;
    let draw_url = run(&browser, "return location.pathname;", json!([])).await;
    let draw_url = draw_url.as_str().unwrap().to_owned();

    sign_in(&app, &browser, "pzr").await;
    browser.goto(&app.url(&draw_url)).await;
    browser.wait_for("#approve-all").await;
    browser.click("#approve-all").await;
    until(
        &browser,
        "all are approved",
        "!!document.getElementById('flash') && document.getElementById('flash').innerText.includes('已批准 4 项')",
    )
    .await;
    let statuses = run(
        &browser,
        "return Array.from(document.querySelectorAll('#task-table .inspection-link')).map(a => a.innerText);",
        json!([]),
    )
    .await;
    assert_eq!(statuses, json!(vec!["已审批待检查"; 4]), "each inspection is approved");
    let numbers = run(&browser, "return document.querySelectorAll('#task-table .doc-number').length;", json!([])).await;
    assert!(numbers.as_u64().unwrap() >= 4, "document numbers are shown: {numbers}");
    assert!(browser.text("#task-table").await.contains("号"), "a number reads as 文号");
    shoot(&browser, "approved").await;
    let (_, v) = app.get(&w.approver.token, "/api/v1/inspections?status=approved").await;
    assert_eq!(v["total"], 4, "{v}");
    browser.goto(&app.url("/draws")).await;
    browser.wait_for("#draw-table").await;
    assert!(browser.text("#draw-table").await.contains("已抽取"));
    shoot(&browser, "list").await;
    sign_in(&app, &browser, "reg").await;
    browser.goto(&app.url(&draw_url)).await;
    browser.click("#results-link").await;
    browser.wait_for("#tasks").await;
    assert!(browser.text("#tasks").await.contains("已审批待检查"), "the results page lists the drawn tasks");
    shoot(&browser, "results").await;
    browser.close().await;
}
