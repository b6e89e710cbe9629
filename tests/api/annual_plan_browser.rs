//! The annual plan in real Chromium: a regulator drafts it in the form (an error
//! keeps what was typed and says the months do not add up), submits it; the
//! approver approves it in its page; the list, the form and the plan are shot at
//! 390×844, 1024×768 and 1366×900. SQLite only, like the other browser tests.

use crate::helpers::{Backend, TestApp, code, enterprise_body};
use crate::page_steps::{set, sign_in, until};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use anjian::auth::Role;

const SIZES: [(u32, u32); 3] = [(390, 844), (1024, 768), (1366, 900)];

async fn shots(browser: &Browser, name: &str) {
    for (w, h) in SIZES {
        browser.resize(w, h).await;
        browser.screenshot(&format!("annual-plan-{name}-{w}x{h}")).await;
    }
    browser.resize(1024, 768).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_is_drafted_in_the_form_and_approved_in_its_page() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("kezhang").role(Role::Regulator).region("420103").create().await;
    app.user("juzhang").role(Role::Approver).region("420103").create().await;
    let body = |i: u32| {
        enterprise_body(
            &code("420103", i),
            &format!("化工{i}号有限公司"),
            "hazardous_chemicals",
            "hc_production",
            "420103",
        )
    };
    for i in 1..=3 {
        app.enterprise(&reg.token, body(i)).await;
    }
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    browser.resize(1024, 768).await;
    sign_in(&app, &browser, "kezhang").await;
    browser.goto(&app.url("/annual-plans/new")).await;
    browser.wait_for("#plan-form").await;
    set(&browser, "#inspectors", "2").await;
    set(&browser, "#key-codes", &code("420103", 1)).await;
    set(&browser, "input[name=ratio_hazardous_chemicals_B]", "50").await;
    set(&browser, "input[name=m3]", "1").await;
    browser.click("#save-plan").await;
    browser.wait_for("#form-errors").await;
    let errors = browser.text("#form-errors").await;
    assert!(errors.contains("月度安排") && errors.contains("合计 1"), "{errors}");
    assert_eq!(browser.text("#key-codes").await.trim(), code("420103", 1), "what was typed is kept");
    shots(&browser, "form-error").await;
    // 1 key + ⌈2 × 50%⌉ = 2.
    set(&browser, "input[name=m3]", "2").await;
    browser.click("#save-plan").await;
    browser.wait_for("#plan-summary").await;
    assert!(browser.text("#plan-total").await.contains("= 2"), "{}", browser.text("#plan-total").await);
    browser.click("#act-submit").await;
    until(&browser, "待审批", "document.querySelector('#plan-status')?.textContent.includes('待审批')").await;
    let url = browser.command(reqwest::Method::GET, "/url", None).await.unwrap();
    let url = url.as_str().unwrap().to_owned();
    sign_in(&app, &browser, "juzhang").await;
    browser.goto(&url).await;
    browser.click("#act-approve").await;
    until(&browser, "已批准", "document.querySelector('#plan-status')?.textContent.includes('已批准')").await;
    browser.wait_for("#plan-record").await;
    shots(&browser, "plan").await;
    browser.goto(&app.url("/annual-plans")).await;
    browser.wait_for("#plan-table").await;
    assert!(browser.text("#plan-table").await.contains("已批准"));
    shots(&browser, "list").await;
    browser.close().await;
}
