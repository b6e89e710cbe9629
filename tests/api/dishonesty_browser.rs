//! The dishonesty-list pages in real Chromium (SQLite, like the other browser tests)
//! at a phone's, a tablet's and a desk's width: the approver's list, a proposal
//! awaiting the decision (its forms), a listing with its conditions, and the printed
//! decision; the approver decides the waiting proposal from its page. Set
//! `ANJIAN_SCREENSHOT_DIR` to keep the screenshots.

use crate::dishonesty::{bureau_with_accidents, ids_of};
use crate::helpers::{Backend, TestApp};
use crate::page_steps::{run, shots, sign_in, until};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use serde_json::json;

const LIST: &str = "/api/v1/dishonesty-list/proposals";
#[tokio::test]
async fn the_dishonesty_pages_read_well_on_a_phone_a_tablet_and_a_desk() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let office = bureau_with_accidents(&app).await;
    let (reg, approver) = (&office.reg.token, &office.approver.token);
    app.post(reg, "/api/v1/dishonesty-list/scan", &json!({})).await;
    let (_, proposals) = app.get(reg, LIST).await;
    let (unit, person) = (ids_of(&proposals, "unit")[0], ids_of(&proposals, "principal")[0]);
    for (id, by, step, body) in [
        (unit, reg, "notify", json!({})),
        (unit, reg, "statement", json!({"note": "当事人称第二起事故已整改完毕，请求从轻处理"})),
        (unit, approver, "decide", json!({})),
        (person, reg, "notify", json!({})),
        (person, reg, "statement", json!({"waive": true})),
    ] {
        let (status, v) = app.post(by, &format!("{LIST}/{id}/{step}"), &body).await;
        assert!(status.is_success(), "{step}: {v}");
    }

    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "fuze").await;
    browser.goto(&app.url("/dishonesty-list?tab=all")).await;
    browser.wait_for("#dishonesty-table").await;
    shots(&browser, "dishonesty-list").await;
    browser.goto(&app.url(&format!("/dishonesty-list/{unit}"))).await;
    browser.wait_for("#conditions").await;
    shots(&browser, "dishonesty-listed").await;
    browser.goto(&app.url(&format!("/dishonesty-list/{person}"))).await;
    browser.wait_for("#form-decide").await;
    run(&browser, "document.getElementById('actions').scrollIntoView({block: 'start'});", json!([])).await;
    shots(&browser, "dishonesty-decide").await;
    browser.click("#form-decide button[type=submit]").await;
    until(&browser, "the decision is recorded", "!!document.getElementById('flash')").await;
    assert_eq!(browser.text("#listing-status").await, "已列入");
    browser.goto(&app.url(&format!("/dishonesty-list/{unit}/documents/decision"))).await;
    browser.wait_for("#doc-number").await;
    assert!(browser.text("#doc-number").await.contains("失信决"));
    shots(&browser, "dishonesty-print-decision").await;
    browser.close().await;
}
