//! What the browser tests do on the app's pages, written once: sign in as a
//! user, set a control the way a picker would, open a folded step form, run a
//! script, and wait for a hazard's status.

use crate::helpers::{PASSWORD, TestApp};
use crate::webdriver::{Browser, ELEMENT};
use reqwest::Method;
use serde_json::{Value, json};

/// Signs in as `username` (signing out whoever is signed in first).
pub(crate) async fn sign_in(app: &TestApp, browser: &Browser, username: &str) {
    browser.goto(&app.url("/login")).await;
    if browser.source().await.contains("退出登录") {
        // Signing out lands on the sign-in page; wait for it rather than racing the POST.
        browser.click(".who form button").await;
        browser.wait_for("input[name=username]").await;
    }
    browser.type_into("input[name=username]", username).await;
    browser.type_into("input[name=password]", PASSWORD).await;
    browser.click("form button[type=submit]").await;
    browser.wait_for(".who-name").await;
}

/// Runs `script` in the page with `args`; its result.
pub(crate) async fn run(browser: &Browser, script: &str, args: Value) -> Value {
    browser.command(Method::POST, "/execute/sync", Some(json!({"script": script, "args": args}))).await.unwrap()
}

/// Whether `script` (an expression) becomes true within `secs` seconds; the page is read
/// afresh each time, so a page still being replaced after a click is never read half-way.
pub(crate) async fn eventually(browser: &Browser, script: &str, secs: u64) -> bool {
    let started = std::time::Instant::now();
    loop {
        if run(browser, &format!("return !!({script});"), json!([])).await == json!(true) {
            return true;
        }
        if started.elapsed().as_secs() >= secs {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Waits (at most `secs`) until `script` is true in the page; fails with the page otherwise.
pub(crate) async fn until_within(browser: &Browser, what: &str, script: &str, secs: u64) {
    let ok = eventually(browser, script, secs).await;
    assert!(ok, "{what}\n--- page ---\n{}", browser.source().await);
}

/// [`until_within`] ten seconds.
pub(crate) async fn until(browser: &Browser, what: &str, script: &str) {
    until_within(browser, what, script, 10).await;
}

/// Sets a form control's value (selects and date inputs) the way a picker would.
pub(crate) async fn set(browser: &Browser, css: &str, value: &str) {
    browser.wait_for(css).await;
    let script = "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                  e.dispatchEvent(new Event('change', {bubbles: true}));";
    run(browser, script, json!([css, value])).await;
}

/// Opens the folded form of step `code` on a hazard's page (a no-op for the primary form).
pub(crate) async fn unfold(browser: &Browser, code: &str) {
    browser.wait_for(&format!("#form-{code}")).await;
    let script = "const d = document.getElementById(arguments[0]); if (d) { d.open = true; }";
    run(browser, script, json!([format!("action-{code}")])).await;
}

/// The text of `#hazard-status`, or "" while the page has none.
async fn status_text(browser: &Browser) -> String {
    let found =
        browser.command(Method::POST, "/element", Some(json!({"using": "css selector", "value": "#hazard-status"})));
    let Ok(el) = found.await else { return String::new() };
    let id = el[ELEMENT].as_str().unwrap_or_default().to_owned();
    let text = browser.command(Method::GET, &format!("/element/{id}/text"), None).await;
    text.ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Waits (at most 10 s) until the hazard page shows `expected` as the status:
/// after a form is posted the old page may still be on screen for a moment.
pub(crate) async fn expect_status(browser: &Browser, expected: &str) {
    let started = std::time::Instant::now();
    let mut seen = String::new();
    while started.elapsed() < std::time::Duration::from_secs(10) {
        seen = status_text(browser).await;
        if seen == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("status stayed “{seen}”, expected “{expected}”\n{}", browser.source().await);
}

/// The sizes the pages are looked at: a phone, a tablet and a desk.
pub(crate) const SIZES: [(u32, u32); 3] = [(390, 844), (1024, 768), (1366, 900)];

/// Screenshots the page as `{name}-{width}` at each of [`SIZES`], ending at the desk's,
/// and checks that it never scrolls sideways.
pub(crate) async fn shots(browser: &Browser, name: &str) {
    for (w, h) in SIZES {
        browser.resize(w, h).await;
        browser.screenshot(&format!("{name}-{w}")).await;
        let wide = run(browser, "return document.documentElement.scrollWidth;", json!([])).await;
        assert!(wide.as_u64().unwrap_or_default() <= u64::from(w) + 1, "{name} at {w}: scrolls sideways ({wide})");
    }
}
