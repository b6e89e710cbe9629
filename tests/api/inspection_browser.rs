//! The whole inspection in real Chromium at 1024×768 (a tablet): the inspection
//! is created through the API with the hazchem checklist pinned (20 items); the
//! approver approves it in its page; an inspector of the team starts it, walks
//! the 20 items (18 符合, 2 不符合) with a photo on one, records two findings with
//! deadlines, signs with both inspectors and the enterprise's 负责人 on the
//! canvases (and attaches a video to the 执法全过程记录), completes and prints the 责令限期整改指令书; the enterprise sees the two
//! hazards in its ledger and submits their rectification; the team's 复查 passes
//! both and they are closed. SQLite only, like the other browser tests.

use crate::helpers::{Backend, TestApp, TestUser, world};
use crate::inspection_support::inspector;
use crate::page_steps::{expect_status, run, set, sign_in, until};
use crate::webdriver::{Browser, ELEMENT, browser_installed, start_chromedriver};
use anjian::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Screenshot `name`, scrolled to `css` first when given.
async fn shot(browser: &Browser, name: &str, css: Option<&str>) {
    if let Some(css) = css {
        run(browser, "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});", json!([css])).await;
    }
    browser.screenshot(name).await;
}

/// Draws a stroke on the canvas of form `form` with WebDriver pointer actions.
pub(crate) async fn draw(browser: &Browser, form: &str) {
    let css = format!("{form} canvas");
    run(browser, "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});", json!([css])).await;
    let el = browser.wait_for(&css).await;
    let origin = json!({ ELEMENT: el });
    let mut moves = vec![
        json!({"type": "pointerMove", "origin": origin, "x": -150, "y": 10}),
        json!({"type": "pointerDown", "button": 0}),
    ];
    for (x, y) in [(-90, -30), (-30, 30), (30, -30), (90, 30), (150, -10)] {
        moves.push(json!({"type": "pointerMove", "origin": origin, "x": x, "y": y, "duration": 40}));
    }
    moves.push(json!({"type": "pointerUp", "button": 0}));
    let actions = json!({"actions": [{"type": "pointer", "id": "pen", "parameters": {"pointerType": "mouse"}, "actions": moves}]});
    browser.command(Method::POST, "/actions", Some(actions)).await.unwrap();
    browser.command(Method::DELETE, "/actions", None).await.unwrap();
}

/// A small PNG written to a temporary file; its path (WebDriver types paths into file inputs).
fn photo_file(name: &str) -> String {
    let path = std::env::temp_dir().join(format!("anjian-{}-{name}.png", std::process::id()));
    std::fs::write(&path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02").unwrap();
    path.to_string_lossy().into_owned()
}

/// The hash of the current version of the shipped hazchem checklist.
pub(crate) async fn hazchem_hash(app: &TestApp, u: &TestUser) -> String {
    let (status, v) = app.get(&u.token, "/api/v1/checklists").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let list = v["items"].as_array().unwrap().clone();
    let entry = list.iter().find(|c| c["checklist_id"] == "hazchem-major").expect("the hazchem checklist ships");
    entry["versions"][0]["hash"].as_str().unwrap().to_owned()
}

/// The approver approves inspection `id` in its page; the numbers are reserved.
async fn approve_in_page(app: &TestApp, browser: &Browser, id: i64) {
    sign_in(app, browser, "pzr").await;
    browser.goto(&app.url(&format!("/inspections/{id}"))).await;
    browser.wait_for("#inspection-actions").await;
    shot(browser, "flow-01-approval", None).await;
    browser.click("form[action$='/act/approve'] button[type=submit]").await;
    until(browser, "the numbers are reserved on approval", "document.body.innerText.includes('责令限期整改指令书') && !document.querySelector(\"form[action$='/act/approve']\")").await;
    shot(browser, "flow-02-approved", None).await;
}

/// Starts the record and walks the 20 items: the first two 不符合 (one with a photo), the rest 符合.
async fn walk_checklist(app: &TestApp, browser: &Browser, id: i64) -> Vec<String> {
    sign_in(app, browser, "zf1").await;
    browser.goto(&app.url(&format!("/inspections/{id}/record"))).await;
    browser.type_into("#start-form textarea[name=people_present]", "张三（主要负责人）、李四（安全管理人员）").await;
    shot(browser, "flow-03-start", None).await;
    browser.click("#start-form button[type=submit]").await;
    browser.wait_for("#results-form").await;
    let codes = run(
        browser,
        "return Array.from(document.querySelectorAll('[data-item]')).map(e => e.dataset.item);",
        json!([]),
    )
    .await;
    let codes: Vec<String> = serde_json::from_value(codes).unwrap();
    assert_eq!(codes.len(), 20, "the hazchem checklist has 20 items: {codes:?}");
    for (n, code) in codes.iter().enumerate() {
        let pick = if n < 2 { "non_conform" } else { "conform" };
        let label = format!("[data-item='{code}'] input[value={pick}] + span");
        run(browser, "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});", json!([label])).await;
        browser.click(&label).await;
    }
    browser.type_into(&format!("[data-item='{}'] input[name=note]", codes[0]), "罐区可燃气体报警器未投用").await;
    browser.type_into(&format!("[data-item='{}'] input[type=file]", codes[0]), &photo_file("item")).await;
    shot(browser, "flow-04-checklist", Some(&format!("[data-item='{}']", codes[0]))).await;
    browser.click("#save-results").await;
    until(browser, "the photo is saved with the results", "document.body.innerText.includes('已上传照片 1 张')").await;
    let checked =
        run(browser, "return document.querySelectorAll('[data-item] input[type=radio]:checked').length;", json!([]))
            .await;
    assert_eq!(checked, json!(20), "every outcome is kept after the save");
    codes
}

/// Another tablet (zf2's) sends item `code` from before the page's save: the page shows
/// the kept conflict on the item, and zf1 takes the other tablet's outcome.
async fn settle_conflict(app: &TestApp, browser: &Browser, other: &TestUser, id: i64, code: &str) {
    let body = json!([{"code": code, "outcome": "not_applicable", "note": "该储罐已停用", "base_version": 0}]);
    let (status, v) =
        crate::inspection_record::put(app, &other.token, &format!("/api/v1/inspections/{id}/results"), &body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    browser.goto(&app.url(&format!("/inspections/{id}/record"))).await;
    let css = format!("[data-item='{code}'] [data-conflict]");
    browser.wait_for(&css).await;
    let text = browser.text(&css).await;
    assert!(text.contains("不适用") && text.contains("该储罐已停用"), "the kept outcome is shown: {text}");
    assert_eq!(
        run(
            browser,
            "return document.querySelector(arguments[0]).checked;",
            json!([format!("[data-item='{code}'] input[value=conform]")])
        )
        .await,
        json!(true),
        "the stored outcome stays until someone chooses"
    );
    shot(browser, "flow-04b-conflict", Some(&css)).await;
    browser.click(&format!("{css} [data-resolve=took_incoming]")).await;
    until(browser, "the other tablet's outcome is taken", &format!("!document.querySelector(\"{css}\") && document.querySelector(\"[data-item='{code}'] input[value=not_applicable]\").checked")).await;
}

/// Attaches a short video to the 执法全过程记录 through the chunked upload; the page lists it.
async fn attach_video(browser: &Browser) {
    let path = std::env::temp_dir().join(format!("anjian-{}-执法记录仪.mp4", std::process::id()));
    let mut bytes = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2".to_vec();
    bytes.resize(4096, 0);
    std::fs::write(&path, bytes).unwrap();
    browser.type_into("#media-form input[name=media]", &path.to_string_lossy()).await;
    browser.click("#media-form button[type=submit]").await;
    until(browser, "the video is listed", "document.querySelectorAll('#media .media-file').length === 1").await;
    assert!(browser.text("#media").await.contains("执法记录仪.mp4"), "the file is named");
    assert_eq!(browser.text("#flash").await, "录音录像已上传", "the page says it was saved");
}

/// Records one finding on item `code` with `deadline`; waits until `count` findings show.
async fn finding(browser: &Browser, code: &str, description: &str, deadline: &str, count: usize) {
    let form = "#finding-form";
    set(browser, &format!("{form} select[name=item_code]"), code).await;
    // Judged a general hazard on site: a major one would wait for the bureau's 认定 and 治理方案 first.
    set(browser, &format!("{form} select[name=severity]"), "general").await;
    browser.type_into(&format!("{form} textarea[name=description]"), description).await;
    browser.type_into(&format!("{form} input[name=location]"), "一号罐区").await;
    set(browser, &format!("{form} input[name=deadline]"), deadline).await;
    run(
        browser,
        "document.querySelector(arguments[0]).checked = true;",
        json!([format!("{form} input[name=basis_confirmed]")]),
    )
    .await;
    browser.click(&format!("{form} button[type=submit]")).await;
    until(browser, "the finding is listed", &format!("document.querySelectorAll('.finding-row').length === {count}"))
        .await;
}

/// Signs for both inspectors and the enterprise's 负责人, then completes the record.
async fn sign_and_complete(browser: &Browser, team: &[&TestUser]) {
    for (n, u) in team.iter().enumerate() {
        let form = format!("#sign-{}", u.id);
        draw(browser, &form).await;
        if n == 0 {
            shot(browser, "flow-06-signing", Some(&form)).await;
        }
        browser.click(&format!("{form} button[type=submit]")).await;
        until(browser, "the inspector's signature is kept", &format!("!document.querySelector('{form}')")).await;
    }
    browser.type_into("#sign-enterprise input[name=name]", "张三").await;
    draw(browser, "#sign-enterprise").await;
    browser.click("#sign-enterprise button[type=submit]").await;
    until(browser, "the enterprise's signature is kept", "!document.querySelector('#sign-enterprise')").await;
    assert_eq!(
        run(browser, "return document.querySelectorAll('img.rec-signature').length;", json!([])).await,
        json!(3)
    );
    shot(browser, "flow-07-signed", Some("img.rec-signature")).await;
    browser.click("#complete-form button[type=submit]").await;
    until(browser, "the record is completed", "document.getElementById('rec-status').innerText === '已完成'").await;
    shot(browser, "flow-08-completed", None).await;
}

/// The 责令限期整改指令书 prints its reserved number and both findings with their deadlines.
async fn check_order(app: &TestApp, browser: &Browser, u: &TestUser, id: i64) {
    let (_, v) = app.get(&u.token, &format!("/api/v1/inspections/{id}")).await;
    let docs = v["documents"].as_array().unwrap();
    let order = docs.iter().find(|d| d["type"] == "rectification_order").expect("an order number is reserved");
    browser.goto(&app.url(&format!("/inspections/{id}/documents/rectification_order"))).await;
    assert_eq!(browser.text("#doc-number").await, order["number"].as_str().unwrap());
    assert_eq!(browser.text("#doc-title").await, "责令限期整改指令书");
    let body = browser.text("#doc-body").await;
    for expected in ["可燃气体报警器未投用", "紧急切断阀失效", "2026年12月15日前", "2026年12月20日前"]
    {
        assert!(body.contains(expected), "the order prints “{expected}”: {body}");
    }
    assert!(!body.contains("依据待核实"), "the confirmed bases are printed: {body}");
    assert!(!browser.text("#doc-relief").await.is_empty(), "the 救济告知 is printed");
    shot(browser, "flow-09-order", None).await;
}

/// The enterprise sees both hazards in its ledger and submits each with a photo.
async fn enterprise_submits(app: &TestApp, browser: &Browser, hazards: &[i64]) {
    sign_in(app, browser, "fzr").await;
    browser.goto(&app.url("/hazards")).await;
    let ledger = browser.source().await;
    for id in hazards {
        assert!(ledger.contains(&format!("/hazards/{id}\"")), "the ledger lists hazard {id}");
    }
    shot(browser, "flow-10-ledger", None).await;
    let photo = photo_file("after");
    for id in hazards {
        browser.goto(&app.url(&format!("/hazards/{id}"))).await;
        expect_status(browser, "整改中").await;
        browser.type_into("#form-submit input[name=photo]", &photo).await;
        browser.type_into("#form-submit input[name=rectifier_name]", "王五").await;
        browser.click("#do-submit").await;
        expect_status(browser, "待验收").await;
    }
    shot(browser, "flow-11-submitted", None).await;
}

/// The team's 复查: a re-inspection from the record page, both hazards passed.
async fn reinspect(app: &TestApp, browser: &Browser, id: i64) {
    sign_in(app, browser, "zf2").await;
    browser.goto(&app.url(&format!("/inspections/{id}/record"))).await;
    browser.click("#reinspect-form button[type=submit]").await;
    browser.wait_for("#verdicts-form").await;
    let rows = run(browser, "return document.querySelectorAll('[data-hazard]').length;", json!([])).await;
    assert_eq!(rows, json!(2), "both hazards are up for 复查");
    for n in 1..=2 {
        browser.click(&format!("[data-hazard]:nth-of-type({n}) input[value=pass] + span")).await;
    }
    shot(browser, "flow-12-reinspection", Some("#verdicts-form")).await;
    browser.click("#verdicts-form button[type=submit]").await;
    until(browser, "the 复查 is completed", "document.getElementById('rec-status').innerText === '已完成'").await;
    let closed = browser.text("#reinspected").await;
    assert_eq!(closed.matches("已销号").count(), 2, "the 复查 page shows both hazards closed: {closed}");
    shot(browser, "flow-13-reinspected", None).await;
}

/// The ids of the hazards the record's findings became.
async fn hazards_of(app: &TestApp, u: &TestUser, id: i64) -> Vec<i64> {
    let (status, v) = app.get(&u.token, &format!("/api/v1/inspections/{id}/record")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["findings"].as_array().unwrap().iter().filter_map(|f| f["hazard_id"].as_i64()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approved_inspection_is_recorded_signed_printed_rectified_and_closed_by_reinspection_in_the_pages() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let (a, b) = (inspector(&app, "zf1", "420103").await, inspector(&app, "zf2", "420103").await);
    app.user("pzr").role(Role::Approver).region("420103").create().await;
    let mut body = crate::inspection_support::new_inspection(&app, &[&a, &b], w.enterprise);
    body["checklist_hashes"] = json!([hazchem_hash(&app, &w.reg).await]);
    let (status, v) = app.post(&w.reg.token, "/api/v1/inspections", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();

    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    browser.resize(1024, 768).await;
    approve_in_page(&app, &browser, id).await;
    let codes = walk_checklist(&app, &browser, id).await;
    settle_conflict(&app, &browser, &b, id, &codes[2]).await;
    attach_video(&browser).await;
    finding(&browser, &codes[0], "可燃气体报警器未投用", "2026-12-15", 1).await;
    finding(&browser, &codes[1], "紧急切断阀失效", "2026-12-20", 2).await;
    shot(&browser, "flow-05-findings", Some(".finding-row")).await;
    sign_and_complete(&browser, &[&a, &b]).await;
    check_order(&app, &browser, &a, id).await;

    let hazards = hazards_of(&app, &a, id).await;
    assert_eq!(hazards.len(), 2, "two findings, two hazards");
    enterprise_submits(&app, &browser, &hazards).await;
    reinspect(&app, &browser, id).await;
    for h in &hazards {
        let (_, v) = app.get(&w.reg.token, &format!("/api/v1/hazards/{h}")).await;
        assert_eq!(v["status"], "closed", "the 复查 closed hazard {h}: {v}");
    }
    sign_in(&app, &browser, "fzr").await;
    browser.goto(&app.url(&format!("/hazards/{}", hazards[0]))).await;
    expect_status(&browser, "已销号").await;
    shot(&browser, "flow-14-closed", None).await;
    browser.close().await;
}
