//! The indicator cockpit in real Chromium (SQLite, like the other browser tests): a
//! province's regulator opens 指标驾驶舱 at a desk's width, recomputes, follows
//! 安责险投保率 from the province down to 武汉市 and 江汉区 and to the enterprises
//! behind the number, and prints the A4 report to PDF; the pages are also looked at
//! on a tablet and a phone. Set `ANJIAN_SCREENSHOT_DIR` to keep the screenshots and
//! the PDF.

use crate::helpers::{Backend, TestApp};
use crate::indicators::territory;
use crate::page_steps::{run, shots, sign_in, until};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use anjian::auth::Role;
use serde_json::json;

/// How many pages a PDF has, from its page objects (the dictionaries are not compressed).
fn pdf_pages(pdf: &[u8]) -> usize {
    let count = |needle: &[u8]| {
        pdf.windows(needle.len() + 1).filter(|w| w.starts_with(needle) && w[needle.len()] != b's').count()
    };
    count(b"/Type /Page") + count(b"/Type/Page")
}

async fn texts(browser: &Browser, css: &str) -> Vec<String> {
    let script = "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim());";
    let v = run(browser, script, json!([css])).await;
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_bureau_head_follows_a_number_down_and_prints_the_report() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    territory(&app).await;
    app.user("sheng").role(Role::Regulator).region("420000").create().await;

    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "sheng").await;
    browser.resize(1366, 900).await;
    browser.goto(&app.url("/indicators")).await;
    browser.wait_for("#indicators").await;
    assert!(browser.text("#as-of").await.contains("尚未计算"), "{}", browser.text("#as-of").await);
    browser.click("#recompute").await;
    until(&browser, "the run is reported", "document.querySelector('.alert-info')").await;
    assert_eq!(texts(&browser, ".indicator-card").await.len(), 15);
    assert!(browser.text("h1").await.contains("湖北省"));
    let insurance = browser.text("#ind-insurance_coverage").await;
    assert!(insurance.contains("66.7") && insurance.contains("2 / 3"), "{insurance}");
    shots(&browser, "indicators-overview").await;

    browser.click("#ind-insurance_coverage").await;
    browser.wait_for("#trend svg").await;
    let regions = texts(&browser, "#by-region td[data-label=地区] a").await;
    assert!(regions.contains(&"武汉市".to_owned()), "{regions:?}");
    run(&browser, "document.getElementById('by-region').scrollIntoView();", json!([])).await;
    shots(&browser, "indicators-detail-province").await;
    run(
        &browser,
        "[...document.querySelectorAll('#by-region a')].find(a => a.textContent === '武汉市').click();",
        json!([]),
    )
    .await;
    until(
        &browser,
        "武汉市's page",
        "document.querySelector('h1') && document.body.textContent.includes('武汉市 2026年')",
    )
    .await;
    run(
        &browser,
        "[...document.querySelectorAll('#by-region a')].find(a => a.textContent === '江汉区').click();",
        json!([]),
    )
    .await;
    until(&browser, "江汉区's page", "document.body.textContent.includes('江汉区 2026年')").await;
    let rows = texts(&browser, ".record-row").await;
    assert_eq!(rows.len(), 3, "three mandatory enterprises: {rows:?}");
    assert!(rows[0].contains('否'), "the one not insured comes first: {rows:?}");
    assert!(rows[1..].iter().all(|r| r.contains('是')), "{rows:?}");
    run(&browser, "document.getElementById('records').scrollIntoView();", json!([])).await;
    shots(&browser, "indicators-detail-county").await;
    let first = browser.attr(".record-row a", "href").await;
    assert!(first.contains("/enterprises/"), "each record links to its page: {first}");

    browser.goto(&app.url("/indicators/print?region=420000")).await;
    browser.wait_for("#indicator-report").await;
    let head = browser.text("#report-meta").await;
    assert!(head.contains("打印日期：2026-11-22") && head.contains("数据截至"), "{head}");
    assert_eq!(texts(&browser, ".report-table tbody tr").await.len(), 15);
    browser.screenshot("indicators-print-1366").await;
    let pdf = browser.print_pdf("indicators-report").await;
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let pages = pdf_pages(&pdf);
    assert!((1..=4).contains(&pages), "the report prints on a few A4 pages, not {pages}");
    browser.close().await;
}
