//! The pages in real Chromium, plus page-level checks over plain HTTP
//! (redirects, CSRF, roles) that need no browser. Chromium tests run on SQLite
//! only; without Chromium or chromedriver they fail under `CI=true` and are
//! skipped (with a note) otherwise. Set `ANJIAN_SCREENSHOT_DIR` to keep a
//! screenshot of every step for review.
//!
//! Chromium is driven through chromedriver over the W3C WebDriver protocol with
//! reqwest, not fantoccini: fantoccini's rustls connector needs a process-wide
//! rustls crypto provider, and this dependency graph enables both `ring`
//! (reqwest) and `aws-lc-rs` (hyper-rustls), so none is chosen automatically
//! and installing one needs `rustls` as a direct dev-dependency.

use crate::helpers::{Backend, PASSWORD, TestApp, code, enterprise_body};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use anjian::auth::Role;
use anjian::enterprise::domain::{RegionCode, Sector, SubType};
use anjian::enterprise::import::columns::COLUMNS;
use anjian::entities::{enterprise, licence};
use std::collections::HashMap;

async fn sign_in(app: &TestApp, browser: &Browser, username: &str) {
    browser.goto(&app.url("/login")).await;
    browser.type_into("input[name=username]", username).await;
    browser.type_into("input[name=password]", PASSWORD).await;
    browser.click("form button[type=submit]").await;
    browser.wait_for(".who-name").await;
}

/// Rows as the roster template has them, from synthetic enterprises in 江汉区.
fn roster(n: usize) -> Vec<enterprise::Model> {
    let region = RegionCode::parse("420103").unwrap();
    let mut rng = anjian::demo::Rng::new(7);
    (0..n).map(|i| anjian::demo::synthetic_model(i, &region, &mut rng, crate::helpers::start_time())).collect()
}

/// A roster with the template's required columns, where row 3 has a wrong check
/// digit and row 5 an unknown 行业.
fn bad_roster(rows: &[enterprise::Model]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, col) in (0_u16..).zip(COLUMNS.iter().filter(|c| c.required)) {
        sheet.write_string(0, c, col.header).unwrap();
    }
    for (r, e) in (1_u32..).zip(rows) {
        let mut credit_code = e.credit_code.clone();
        if r == 2 {
            let last = credit_code.pop().unwrap();
            credit_code.push(if last == '0' { '1' } else { '0' });
        }
        let sector: Sector = e.sector;
        let sector = if r == 4 { "造船" } else { sector.zh() };
        let sub: SubType = e.sub_types.parse().unwrap();
        for (c, v) in (0_u16..).zip([credit_code.as_str(), &e.name, sector, sub.zh(), &e.region_code]) {
            sheet.write_string(r, c, v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn write_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

async fn upload(browser: &Browser, path: &str) {
    browser.type_into("#file", path).await;
    browser.click("#upload-button").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_regulator_fixes_a_bad_roster_previews_the_good_one_and_imports_it() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let rows = roster(5);
    // One enterprise is already registered under another name: it will show as changed.
    let first = &rows[0];
    app.enterprise(
        &reg.token,
        enterprise_body(&first.credit_code, "旧名称有限公司", first.sector.as_str(), &first.sub_types, "420103"),
    )
    .await;
    let files = tempfile::tempdir().unwrap();
    let bad = write_file(&files, "bad.xlsx", &bad_roster(&rows));
    let good_bytes = anjian::enterprise::export::workbook(&rows, &HashMap::<i64, licence::Model>::new()).unwrap();
    let good = write_file(&files, "good.xlsx", &good_bytes);

    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "reg").await;
    // 名录导入 is in the 企业名录 group: the main menu, then the group's second row.
    browser.click(".mainnav a[href='/enterprises']").await;
    browser.click(".subnav a[href='/enterprises/import']").await;

    upload(&browser, &bad).await;
    let errors = browser.text("#error-table").await;
    browser.screenshot("import-errors").await;
    let row_has =
        |row: &str, kind: &str| errors.lines().any(|l| l.split_whitespace().next() == Some(row) && l.contains(kind));
    assert!(row_has("3", "信用代码校验位错误") && row_has("5", "行业无效"), "{errors}");
    assert!(browser.text("#import-problem").await.contains("未导入任何数据"));

    upload(&browser, &good).await;
    assert_eq!(browser.text("#count-new").await, "4");
    assert_eq!(browser.text("#count-changed").await, "1");
    assert_eq!(browser.text("#count-unchanged").await, "0");
    let changed = browser.text("#changed-table").await;
    assert!(changed.contains("旧名称有限公司") && changed.contains(&first.name), "{changed}");
    let png = browser.screenshot("import-preview").await;
    let shot = write_file(&files, "preview.png", &png);
    let saved = std::fs::read(&shot).unwrap();
    assert!(saved.len() > 1000 && saved.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG screenshot");

    browser.click("#confirm-button").await;
    assert_eq!(browser.text("#import-done").await, "导入完成：新增 4、更新 1、不变 0");
    browser.screenshot("import-done").await;

    browser.goto(&app.url("/enterprises?region=420103")).await;
    assert_eq!(browser.text("#total").await, "5");
    let list = browser.text("#enterprise-table").await;
    browser.screenshot("enterprise-list").await;
    for e in &rows {
        assert!(list.contains(&e.name), "{} missing from the list:\n{list}", e.name);
    }
    browser.click("#enterprise-table tbody a").await;
    assert!(browser.text(".grid-3").await.contains("WGS-84"));
    browser.screenshot("enterprise-detail").await;
    browser.close().await;
}

/// The template's required columns, then `n` rows with only a wrong credit code:
/// five problems a row.
fn flood_roster(n: u32) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, col) in (0_u16..).zip(COLUMNS.iter().filter(|c| c.required)) {
        sheet.write_string(0, c, col.header).unwrap();
    }
    for r in 1..=n {
        sheet.write_string(r, 0, format!("坏代码{r}")).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flood_of_bad_rows_shows_the_first_thousand_and_counts_the_rest_at_every_width() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.user("reg").role(Role::Regulator).region("420103").create().await;
    let files = tempfile::tempdir().unwrap();
    let flood = write_file(&files, "flood.xlsx", &flood_roster(300));
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "reg").await;
    browser.goto(&app.url("/enterprises/import")).await;
    upload(&browser, &flood).await;
    assert!(browser.text("#import-problem").await.contains("文件中有 1500 处错误"));
    let counts = browser.text("#error-counts").await;
    assert!(counts.contains("必填项为空 1200 处") && counts.contains("信用代码无效 300 处"), "{counts}");
    let unlisted = browser.text("#errors-unlisted").await;
    assert!(unlisted.contains("另有 500 处未列出"), "{unlisted}");
    assert!(!browser.text("#error-table").await.contains("missing_required"), "raw codes shown");
    for (width, name) in [(390, "import-flood-phone"), (1024, "import-flood-tablet"), (1366, "import-flood-desktop")] {
        browser.resize(width, 900).await;
        browser.screenshot(name).await;
    }
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_enterprise_activates_its_account_with_the_code_from_the_printed_letter() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let credit_code = code("420103", 1);
    let body = enterprise_body(&credit_code, "江汉化工有限公司", "hazardous_chemicals", "hc_storage", "420103");
    app.enterprise(&reg.token, body).await;
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "reg").await;
    browser.click(".mainnav a[href='/enterprises']").await;
    browser.click(".subnav a[href='/enterprises/accounts']").await;
    browser.click("#accounts-form button[type=submit]").await;
    assert_eq!(browser.text("#count-issued").await, "1");
    browser.screenshot("accounts-result").await;

    let letters = browser.attr("#letters-link", "href").await;
    browser.goto(&app.url(&letters)).await;
    let activation_code = browser.text(".activation-code").await;
    assert!(browser.text(".letter").await.contains(&credit_code));
    browser.screenshot("accounts-letter").await;

    browser.goto(&app.url("/activate")).await;
    browser.type_into("input[name=code]", &activation_code).await;
    browser.type_into("input[name=new_password]", "Enterprise-new-pass-2026").await;
    browser.type_into("input[name=confirm_password]", "Enterprise-new-pass-2026").await;
    browser.click("form button[type=submit]").await;
    // Signed in as the enterprise's principal now, on the to-do page.
    assert!(browser.text(".who-name").await.contains("江汉化工有限公司"));
    assert_eq!(browser.text("h1").await, "待办事项");
    browser.close().await;
}
