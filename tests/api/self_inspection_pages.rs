//! The self-inspection pages: over plain HTTP (forms, summary, overview), and in
//! Chromium on a phone (390×844) walking a checklist to its summary.

use crate::helpers::{Backend, PASSWORD, TestApp, on_each_backend, world};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn page(app: &TestApp, token: &str, path: &str) -> String {
    let res = app.client.get(app.url(path)).bearer_auth(token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

async fn ad_hoc(app: &TestApp, token: &str) -> Value {
    let (status, t) =
        app.post(token, "/api/v1/self-inspection-tasks", &json!({"kind": "holiday", "due_on": "2026-11-30"})).await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    t
}

#[tokio::test]
async fn the_pages_take_a_plan_walk_a_checklist_and_show_the_summary() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let home = page(&app, &w.principal.token, "/self-inspection").await;
        assert!(home.contains("新建排查计划") && home.contains("日常排查") && home.contains("默认频次"), "plan form");
        assert!(!home.contains(">comprehensive<") && !home.contains(">quarterly<"), "no raw codes shown");
        // The plan form (its default frequency comes from the configuration).
        let form = [
            ("csrf_token", w.principal.csrf.as_str()),
            ("kind", "comprehensive"),
            ("level", "enterprise"),
            ("frequency", ""),
            ("title", ""),
            ("assignee_id", ""),
        ];
        let res = no_redirect
            .post(app.url("/self-inspection/plans"))
            .bearer_auth(&w.principal.token)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let home = page(&app, &w.principal.token, "/self-inspection?done=plan").await;
        assert!(
            home.contains("公司级综合性排查") && home.contains("每半年") && home.contains("排查计划已保存"),
            "the new plan is listed"
        );

        // The checklist form: the first item 不符合, the rest unrecorded; saved and completed at once.
        let t = ad_hoc(&app, &w.officer.token).await;
        let id = t["id"].as_i64().unwrap();
        let task_page = page(&app, &w.officer.token, &format!("/self-inspection/tasks/{id}")).await;
        assert!(task_page.contains("保存并完成排查") && task_page.contains("判定依据"), "the form");
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", w.officer.csrf.clone())
            .text("outcome_0", "non_conform")
            .text("note_0", "现场发现问题")
            .text("outcome_1", "not_applicable")
            .text("then", "complete");
        let res = no_redirect
            .post(app.url(&format!("/self-inspection/tasks/{id}/results")))
            .bearer_auth(&w.officer.token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let done = page(&app, &w.officer.token, &format!("/self-inspection/tasks/{id}?done=completed")).await;
        let n = t["items"].as_array().unwrap().len();
        assert!(done.contains(&format!("本次排查 {n} 项，发现隐患 1 项")), "summary: {done}");
        assert!(done.contains("不适用 1 项"), "each item keeps its own outcome: {done}");
        assert!(
            done.contains("查看隐患") && !done.contains("保存并完成排查"),
            "the record, read only, links the hazard"
        );

        // Another task with nothing found: the 无隐患也留痕 wording.
        let t = ad_hoc(&app, &w.officer.token).await;
        let id = t["id"].as_i64().unwrap();
        let res = no_redirect
            .post(app.url(&format!("/self-inspection/tasks/{id}/complete")))
            .bearer_auth(&w.officer.token)
            .form(&[("csrf_token", w.officer.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let done = page(&app, &w.officer.token, &format!("/self-inspection/tasks/{id}")).await;
        assert!(done.contains("发现隐患 0 项") && done.contains("无隐患也留痕"), "{done}");

        // The regulator's overview and navigation.
        let overview = page(&app, &w.reg.token, "/self-inspection/overview?from=2026-11-01&to=2026-11-30").await;
        assert!(overview.contains("甲化工有限公司") && overview.contains("100.0%"), "{overview}");
        assert!(overview.contains("href=\"/self-inspection/overview\""), "nav entry");
        let res =
            app.client.get(app.url("/self-inspection/overview")).bearer_auth(&w.principal.token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_the_checklist_is_walked_with_large_buttons_to_its_summary() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let t = ad_hoc(&app, &w.officer.token).await;
    let id = t["id"].as_i64().unwrap();
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    browser.resize(390, 844).await;
    browser.goto(&app.url("/login")).await;
    browser.type_into("input[name=username]", "aqy").await;
    browser.type_into("input[name=password]", PASSWORD).await;
    browser.click("form button[type=submit]").await;
    browser.wait_for(".who-name").await;
    browser.goto(&app.url("/self-inspection")).await;
    browser.wait_for("#open-tasks").await;
    browser.screenshot("self-inspection-phone").await;
    browser.click(&format!("a[href='/self-inspection/tasks/{id}']")).await;
    browser.click("#item-0 .outcome-conform input").await;
    // Each item has its own buttons (the hazchem and the general checklists give at least two items).
    // (A person scrolls the item up from behind the sticky action bar; so does the test.)
    let scroll = json!({"script": "document.querySelector('#item-1').scrollIntoView({block: 'center'})", "args": []});
    browser.command(reqwest::Method::POST, "/execute/sync", Some(scroll)).await.unwrap();
    browser.click("#item-1 .outcome-not_applicable input").await;
    browser.screenshot("self-inspection-checklist-phone").await;
    browser.click("#complete-button").await;
    let summary = browser.text("#summary").await;
    assert!(summary.contains("本次排查") && summary.contains("发现隐患 0 项"), "{summary}");
    assert!(summary.contains("符合 1 项，不适用 1 项"), "{summary}");
    browser.screenshot("self-inspection-summary-phone").await;
    for (width, name) in [(1024, "self-inspection-summary-tablet"), (1366, "self-inspection-summary-desktop")] {
        browser.resize(width, 900).await;
        browser.screenshot(name).await;
    }
    browser.close().await;
}
