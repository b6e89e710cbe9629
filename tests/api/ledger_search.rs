//! Finding things: the enterprise picker's search (scope, name or credit code,
//! at most 20), the ledger's filters (keyword, category, found and deadline
//! ranges, 挂牌 level), the whole ledger as xlsx with the same filters, and the
//! report and step pages as a user meets them (kept photo, Chinese field
//! names, the message after a step). SQLite and PostgreSQL.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend, sheet_rows, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn hazard(enterprise: i64, title: &str, found: &str, deadline: &str, category: &str) -> Value {
    json!({"enterprise_id": enterprise, "source": "tip_off", "level": "general", "category": category,
        "title": title, "description": "现场检查发现", "location": "二号车间", "found_at": found, "deadline": deadline})
}

async fn create(app: &TestApp, user: &TestUser, body: &Value) -> i64 {
    let (status, v) = app.post(&user.token, "/api/v1/hazards", body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

fn titles(v: &Value) -> Vec<String> {
    let mut t: Vec<String> =
        v["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_owned()).collect();
    t.sort();
    t
}

#[tokio::test]
async fn the_picker_finds_enterprises_by_part_of_the_name_or_credit_code_within_the_scope() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let other = app.user("other").role(Role::Regulator).region("420104").create().await;
        let far = enterprise_body(&code("420104", 7), "乙化工有限公司", "hazardous_chemicals", "hc_storage", "420104");
        app.enterprise(&other.token, far).await;
        for i in 2..25 {
            let name = format!("江汉机械{i:02}厂");
            app.enterprise(
                &w.reg.token,
                enterprise_body(&code("420103", i), &name, "industry_trade", "it_machinery", "420103"),
            )
            .await;
        }
        let (status, v) = app.get(&w.reg.token, "/api/v1/enterprises/search?q=化工").await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v.as_array().unwrap().len(), 1, "another county's enterprise is not found: {v}");
        assert_eq!(v[0]["id"], w.enterprise);
        assert_eq!(v[0]["name"], "甲化工有限公司");
        assert_eq!(v[0]["region_name"], "江汉区");
        // Part of the credit code, typed in lower case.
        let part = code("420103", 1)[8..17].to_lowercase();
        let (_, v) = app.get(&w.reg.token, &format!("/api/v1/enterprises/search?q={part}")).await;
        assert_eq!(v[0]["id"], w.enterprise, "{v}");
        let (_, v) = app.get(&w.reg.token, "/api/v1/enterprises/search?q=机械").await;
        assert_eq!(v.as_array().unwrap().len(), 20, "at most 20");
        let (_, v) = app.get(&w.reg.token, "/api/v1/enterprises/search?q=%25").await;
        assert_eq!(v, json!([]), "a % matches only a %");
        let (_, v) = app.get(&w.reg.token, "/api/v1/enterprises/search?q=").await;
        assert_eq!(v, json!([]));
        let (status, _) = app.get(&w.reg.token, &format!("/api/v1/enterprises/search?q={}", "甲".repeat(201))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, v) = app.get(&w.officer.token, "/api/v1/enterprises/search?q=化工").await;
        assert_eq!(v.as_array().unwrap().len(), 1, "an enterprise user finds only its own: {v}");
    })
    .await;
}

#[tokio::test]
async fn the_ledger_filters_by_keyword_category_dates_and_listing_level() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let e = w.enterprise;
        create(&app, &w.reg, &hazard(e, "消防通道堵塞", "2026-11-01T02:00:00Z", "2026-11-30", "unsafe_condition"))
            .await;
        create(&app, &w.reg, &hazard(e, "配电箱未接地 100%", "2026-11-10T02:00:00Z", "2026-12-20", "environment"))
            .await;
        // Found at 00:30 on 21 November in Beijing (16:30 UTC on the 20th).
        create(
            &app,
            &w.reg,
            &hazard(e, "液氨罐区报警器失效", "2026-11-20T16:30:00Z", "2026-12-31", "unsafe_condition"),
        )
        .await;
        let get = |q: &'static str| {
            let app = &app;
            let token = w.reg.token.clone();
            async move {
                let (status, v) = app.get(&token, &format!("/api/v1/hazards?{q}")).await;
                assert_eq!(status, StatusCode::OK, "{q}: {v}");
                titles(&v)
            }
        };
        assert_eq!(get("q=%E6%8A%A5%E8%AD%A6").await, ["液氨罐区报警器失效"], "keyword 报警 in the title");
        assert_eq!(get("q=%25").await, ["配电箱未接地 100%"], "a % matches only a %");
        assert_eq!(get("q=%E4%BA%8C%E5%8F%B7%E8%BD%A6%E9%97%B4").await.len(), 3, "keyword in the location");
        assert_eq!(get("category=environment").await, ["配电箱未接地 100%"]);
        assert_eq!(get("found_from=2026-11-21").await, ["液氨罐区报警器失效"], "a Beijing date");
        assert_eq!(get("found_to=2026-11-20").await, ["消防通道堵塞", "配电箱未接地 100%"]);
        assert_eq!(get("due_after=2026-12-01&due_before=2026-12-25").await, ["配电箱未接地 100%"]);
        assert!(get("supervision_level=city").await.is_empty());
        let (status, _) = app.get(&w.reg.token, "/api/v1/hazards?found_from=2026-13-01").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = app.get(&w.reg.token, &format!("/api/v1/hazards?q={}", "词".repeat(201))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn the_whole_ledger_downloads_as_xlsx_with_the_same_filters_in_chinese() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let e = w.enterprise;
        create(&app, &w.reg, &hazard(e, "消防通道堵塞", "2026-11-01T02:00:00Z", "2026-11-30", "unsafe_condition"))
            .await;
        create(&app, &w.reg, &hazard(e, "配电箱未接地", "2026-11-10T02:00:00Z", "2026-12-20", "environment")).await;
        let res = app
            .client
            .get(app.url("/api/v1/hazards/export.xlsx?category=environment"))
            .bearer_auth(&w.reg.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let rows = sheet_rows(res.bytes().await.unwrap().to_vec(), "隐患台账");
        assert!(rows[0][0].contains("共 1 条"), "{:?}", rows[0]);
        assert_eq!(rows[1][1], "隐患");
        assert_eq!(rows.len(), 3, "{rows:?}");
        let line = rows[2].join("|");
        for expected in [
            "配电箱未接地",
            "甲化工有限公司",
            "危险化学品",
            "江汉区",
            "一般隐患",
            "群众举报",
            "2026-11-10",
            "2026-12-20",
        ] {
            assert!(line.contains(expected), "{expected} in {line}");
        }
        assert!(!line.contains("hazardous_chemicals") && !line.contains("tip_off"), "{line}");
        // The enterprise's own user gets its own hazards only; another county's regulator none.
        let other = app.user("other").role(Role::Regulator).region("420104").create().await;
        let res =
            app.client.get(app.url("/api/v1/hazards/export.xlsx")).bearer_auth(&other.token).send().await.unwrap();
        let rows = sheet_rows(res.bytes().await.unwrap().to_vec(), "隐患台账");
        assert_eq!(rows.len(), 2, "only the note and the headers: {rows:?}");
        let res = app
            .client
            .get(app.url("/api/v1/hazards/export.xlsx?found_to=x"))
            .bearer_auth(&w.officer.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

fn cookie(u: &TestUser) -> String {
    format!("anjian_session={}", u.token)
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn a_failed_report_keeps_the_photo_and_names_fields_in_chinese() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let photo =
            reqwest::multipart::Part::bytes(b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00scene".to_vec()).file_name("scene.jpg");
        // A regulator names an enterprise nobody has: the message names 企业, not enterprise_id.
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", w.reg.csrf.clone())
            .text("enterprise_q", "不存在的公司")
            .text("source", "tip_off")
            .text("level", "general")
            .text("category", "unsafe_condition")
            .text("title", "仓库堆放杂物")
            .text("description", "堵塞安全出口")
            .part("photo", photo);
        let res = no_redirects()
            .post(app.url("/hazards/new"))
            .header("cookie", cookie(&w.reg))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("没有找到这家企业"), "{html}");
        assert!(!html.contains("enterprise_id）") && !html.contains(">enterprise_id"), "no API names");
        assert!(html.contains("value=\"仓库堆放杂物\"") && html.contains("id=\"kept-photos\""), "{html}");
        let kept = html.split("name=\"kept_photo_ids\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        assert!(!kept.is_empty(), "the photo is kept as an upload");
        // Sent again with the enterprise typed by name (no script): one match is taken, the kept photo attached.
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", w.reg.csrf.clone())
            .text("enterprise_q", "甲化工")
            .text("source", "tip_off")
            .text("level", "general")
            .text("category", "unsafe_condition")
            .text("title", "仓库堆放杂物")
            .text("description", "堵塞安全出口")
            .text("deadline", "2026/12/5")
            .text("kept_photo_ids", kept);
        let res = no_redirects()
            .post(app.url("/hazards/new"))
            .header("cookie", cookie(&w.reg))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        assert!(to.ends_with("?done=report"), "{to}");
        let id: i64 = to.trim_start_matches("/hazards/").split('?').next().unwrap().parse().unwrap();
        let (_, h) = app.get(&w.reg.token, &format!("/api/v1/hazards/{id}")).await;
        assert_eq!(h["enterprise_id"], w.enterprise);
        assert_eq!(h["deadline"], "2026-12-05", "2026/12/5 read as a date");
        assert_eq!(h["attachments"][0]["purpose"], "before", "{h}");
        let html =
            app.client.get(app.url(&to)).header("cookie", cookie(&w.reg)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"flash\"") && html.contains("已上报。等待监管部门核查认定"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn after_a_step_the_page_says_who_acts_next_and_offers_one_primary_action() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = json!({"enterprise_id": w.enterprise, "source": "self_check", "level": "general", "category": "environment",
            "title": "砂轮机防护罩缺失", "description": "2 号砂轮机", "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-12-10"});
        let id = create(&app, &w.officer, &body).await;
        let html = app.client.get(app.url(&format!("/hazards/{id}"))).header("cookie", cookie(&w.officer)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"primary-action\"") && html.contains("下一步：提交验收"), "{html}");
        assert!(html.contains("<details class=\"card action\""), "the other steps are folded");
        assert!(!html.contains("监管核查") && !html.contains("<h2>企业验收</h2>"), "no internal closure names as headings");
        let photo = reqwest::multipart::Part::bytes(b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00after".to_vec()).file_name("after.jpg");
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", w.officer.csrf.clone())
            .text("rectifier_name", "王五")
            .part("photo", photo);
        let res = no_redirects()
            .post(app.url(&format!("/hazards/{id}/act/submit")))
            .header("cookie", cookie(&w.officer))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        let html = app.client.get(app.url(&to)).header("cookie", cookie(&w.principal)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("已提交验收。等待企业验收"), "{html}");
        assert!(html.contains("整改后（第 1 次提交）"), "photos per round: {html}");
        assert!(html.contains("下一步：验收"), "the principal's primary action is acceptance");
    })
    .await;
}

#[tokio::test]
async fn the_ledger_page_searches_and_links_its_download() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        create(
            &app,
            &w.reg,
            &hazard(w.enterprise, "消防通道堵塞", "2026-11-01T02:00:00Z", "2026-11-30", "unsafe_condition"),
        )
        .await;
        create(
            &app,
            &w.reg,
            &hazard(w.enterprise, "配电箱未接地", "2026-11-10T02:00:00Z", "2026-12-20", "environment"),
        )
        .await;
        let page = |u: &TestUser, q: &str| {
            let req = app.client.get(app.url(&format!("/hazards?{q}"))).header("cookie", cookie(u));
            async move { req.send().await.unwrap().text().await.unwrap() }
        };
        let html = page(&w.reg, "q=%E9%85%8D%E7%94%B5&found_from=2026%2F11%2F1").await;
        assert!(html.contains("配电箱未接地") && !html.contains("消防通道堵塞"), "{html}");
        assert!(
            html.contains("href=\"/api/v1/hazards/export.xlsx?q=%E9%85%8D%E7%94%B5&#38;found_from=2026-11-01\""),
            "{html}"
        );
        assert!(html.contains("<option value=\"420103\">江汉区</option>"), "regions by name");
        let html = page(&w.reg, "enterprise_q=%E7%94%B2%E5%8C%96%E5%B7%A5").await;
        assert!(html.contains("name=\"enterprise_id\" value=\"") && !html.contains("id=\"filter-errors\""), "{html}");
        let html = page(&w.reg, "enterprise_q=%E4%B9%99").await;
        assert!(html.contains("没有找到企业“乙”") && html.contains("id=\"total\">2<"), "{html}");
        let html = page(&w.reg, "due_before=not-a-date").await;
        assert!(html.contains("id=\"filter-errors\"") && html.contains("YYYY-MM-DD"), "{html}");
        let html = page(&w.officer, "").await;
        assert!(!html.contains("<th>企业</th>"), "an enterprise's own ledger does not name it in every row");
    })
    .await;
}
