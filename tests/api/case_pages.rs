//! Penalty-case pages over plain HTTP, on SQLite and PostgreSQL: the case list's
//! 90-day clock at 59, 60, 80 and 91 days on the fixed clock (its class and words on
//! each row); the bureau's 行政处罚统计 page (the figures, the sector and article
//! tables in Chinese, the empty year, who may read it); and 立案处罚 on an inspection
//! once it has a finding. The colours themselves are checked in Chromium
//! (`case_browser`), from the same cases (`clock_cases`).

use crate::helpers::{PASSWORD, TestApp, TestUser, code, enterprise_body, on_each_backend, start_time, world};
use crate::inspection_support::{approved_inspection, inspector};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub(crate) struct Office {
    pub reg: TestUser,
    pub enterprise: i64,
    pub h1: TestUser,
    pub h2: TestUser,
    pub reviewer: TestUser,
    pub approver: TestUser,
}

pub(crate) async fn office(app: &TestApp) -> Office {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let body = enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    Office {
        enterprise: app.enterprise(&reg.token, body).await,
        h1: app.user("cb1").role(Role::Inspector).region("420103").create().await,
        h2: app.user("cb2").role(Role::Inspector).region("420103").create().await,
        reviewer: app.user("fashen").role(Role::LegalReviewer).region("420103").create().await,
        approver: app.user("fuze").role(Role::Approver).region("420103").create().await,
        reg,
    }
}

/// A page as `u` sees it.
pub(crate) async fn page(app: &TestApp, u: &TestUser, path: &str) -> (StatusCode, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = client.get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Value {
    let (status, v) = app.post(token, path, body).await;
    assert!(status.is_success(), "{path}: {status} {v}");
    v
}

/// A proposed case against the enterprise under wsl-102, opened by 承办人 cb1.
pub(crate) async fn proposed(app: &TestApp, o: &Office) -> Value {
    let body = json!({"parties": [{"kind": "unit", "enterprise_id": o.enterprise}],
        "facts": "复查发现事故隐患未消除", "procedure": "general", "co_handler_id": o.h2.id,
        "violations": [{"catalogue_code": "wsl-102", "party": 0}]});
    post(app, &o.h1.token, "/api/v1/cases", &body).await
}

/// A case filed, reported with `fine` yuan (0: 不予处罚, 轻微不罚), reviewed and decided.
pub(crate) async fn decided(app: &TestApp, o: &Office, fine: i64) -> i64 {
    let c = proposed(app, o).await;
    let p = |s: &str| format!("/api/v1/cases/{}/{s}", c["id"]);
    post(app, &o.approver.token, &p("file"), &json!({})).await;
    if fine > 0 {
        let fines = json!([{"violation_id": c["violations"][0]["id"], "step": "slight", "fine_yuan": fine}]);
        post(app, &o.h1.token, &p("report"), &json!({"decision": "penalty", "fines": fines})).await;
        post(app, &o.h1.token, &p("notify"), &json!({})).await;
        post(app, &o.h1.token, &p("statement"), &json!({"note": "放弃陈述申辩", "waive": true})).await;
    } else {
        let body = json!({"decision": "no_penalty", "no_penalty_ground": "minor",
            "note": "违法行为轻微并已当场改正，没有造成危害后果"});
        post(app, &o.h1.token, &p("report"), &body).await;
    }
    post(app, &o.reviewer.token, &p("review"), &json!({"opinion": "approve", "note": "同意"})).await;
    post(app, &o.approver.token, &p("decide"), &json!({})).await;
    c["id"].as_i64().unwrap()
}

/// Four cases filed 91, 80, 60 and 59 days before the day the clock is left at
/// (start + 91 days); the approver signs in afresh on each filing day, as sessions
/// end when the clock moves on. Users made after this see the clock on that day.
pub(crate) async fn clock_cases(app: &TestApp, o: &Office) -> [i64; 4] {
    let mut ids = [0; 4];
    for id in &mut ids {
        *id = proposed(app, o).await["id"].as_i64().unwrap();
    }
    for (id, filed) in ids.iter().zip([0, 11, 31, 32]) {
        app.clock.set(start_time() + chrono::Duration::days(filed));
        let (status, v) = app.login("fuze", PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        post(app, v["token"].as_str().unwrap(), &format!("/api/v1/cases/{id}/file"), &json!({})).await;
    }
    app.clock.set(start_time() + chrono::Duration::days(91));
    ids
}

/// The 办案期限 cell of case `id`'s row in the list.
fn clock_cell(list: &str, id: i64) -> String {
    let row = list
        .split("<tr class=\"case-row\">")
        .find(|r| r.contains(&format!("href=\"/cases/{id}\"")))
        .unwrap_or_else(|| panic!("no row of case {id}:\n{list}"));
    let cell = row.split("<td class=\"clock\"").nth(1).unwrap_or_else(|| panic!("no clock cell:\n{row}"));
    cell.split("</td>").next().unwrap().to_owned()
}

#[tokio::test]
async fn the_case_list_shows_the_clock_normal_then_yellow_red_and_overdue() {
    on_each_backend(|app| async move {
        let o = office(&app).await;
        let [over, eighty, sixty, fifty_nine] = clock_cases(&app, &o).await;
        let reader = app.user("kezhang").role(Role::Regulator).region("420103").create().await;
        let (status, list) = page(&app, &reader, "/cases?tab=all").await;
        assert_eq!(status, StatusCode::OK, "{list}");
        for (id, class, text) in [
            (over, Some("tag-overdue"), "已超期 1 天（期限 2027-02-20）"),
            (eighty, Some("tag-danger"), "已用 80 天，剩余 10 天"),
            (sixty, Some("tag-warn"), "已用 60 天，剩余 30 天"),
            (fifty_nine, None, "已用 59 天，剩余 31 天"),
        ] {
            let cell = clock_cell(&list, id);
            assert!(cell.contains(text), "case {id}: {cell}");
            match class {
                Some(c) => assert!(cell.contains(&format!("<span class=\"tag {c}\">{text}</span>")), "{c}: {cell}"),
                None => assert!(!cell.contains("tag"), "below 60 days the clock is plain: {cell}"),
            }
        }
        let (_, detail) = page(&app, &reader, &format!("/cases/{over}")).await;
        assert!(detail.contains("<span class=\"tag tag-overdue\">已超期 1 天"), "{detail}");
    })
    .await;
}

#[tokio::test]
async fn the_statistics_page_shows_the_years_figures_in_chinese_and_says_when_there_are_none() {
    on_each_backend(|app| async move {
        let o = office(&app).await;
        let (status, empty) = page(&app, &o.reg, "/cases/statistics").await;
        assert_eq!(status, StatusCode::OK, "{empty}");
        assert!(empty.contains("本年度暂无案件") && !empty.contains("id=\"by-sector\""), "{empty}");
        assert!(empty.contains("<a href=\"/cases/statistics\" class=\"active\""), "in the 行政处罚 group: {empty}");

        let fined = decided(&app, &o, 12_345).await;
        post(&app, &o.h1.token, &format!("/api/v1/cases/{fined}/serve"), &json!({"method": "直接送达"})).await;
        post(&app, &o.h1.token, &format!("/api/v1/cases/{fined}/pay"), &json!({"amount_yuan": 10_000})).await;
        decided(&app, &o, 0).await;
        proposed(&app, &o).await;
        let c = proposed(&app, &o).await;
        post(&app, &o.approver.token, &format!("/api/v1/cases/{}/file", c["id"]), &json!({})).await;

        let (status, html) = page(&app, &o.reg, "/cases/statistics?year=2026").await;
        assert_eq!(status, StatusCode::OK, "{html}");
        for part in [
            "id=\"cases-filed\">3<",
            "id=\"decisions\">1<",
            "id=\"no-penalty\">1<",
            "id=\"fines-decided\">1.23 万元<",
            "id=\"fines-decided-exact\">12,345 元<",
            "id=\"fines-collected\">1.00 万元<",
            "id=\"fines-collected-exact\">10,000 元<",
            "<td class=\"nowrap\">危险化学品</td>",
            "《安全生产法》第一百零二条",
            "<td class=\"mono\">wsl-102</td>",
            "<option value=\"2026\" selected>2026 年</option>",
        ] {
            assert!(html.contains(part), "lacks “{part}”:\n{html}");
        }
        assert!(!html.contains("hazardous_chemicals") && !html.contains("本年度暂无案件"), "{html}");
        let (_, earlier) = page(&app, &o.reg, "/cases/statistics?year=2025").await;
        assert!(earlier.contains("本年度暂无案件") && earlier.contains("<option value=\"2025\" selected>"));

        let officer = app.user("aqy").role(Role::SafetyOfficer).enterprise(o.enterprise).create().await;
        let (status, _) = page(&app, &officer, "/cases/statistics").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "enterprises do not read the bureau's figures, as in the API");
        let res = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let res = res.get(app.url("/cases/statistics")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "anonymous visitors sign in first");
    })
    .await;
}

#[tokio::test]
async fn an_inspection_with_findings_offers_its_inspectors_to_open_a_case() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let (a, b) = (inspector(&app, "zf1", "420103").await, inspector(&app, "zf2", "420103").await);
        let approver = app.user("pzr").role(Role::Approver).region("420103").create().await;
        let id = approved_inspection(&app, &w.reg, &approver, &[&a, &b], w.enterprise).await;
        let link = format!("href=\"/cases/new?inspection_id={id}\"");
        let (_, before) = page(&app, &a, &format!("/inspections/{id}")).await;
        assert!(!before.contains("立案处罚"), "no finding yet: {before}");

        post(&app, &a.token, &format!("/api/v1/inspections/{id}/start"), &json!({"people_present": "张三"})).await;
        let finding = json!({"text": "仓库消防通道堵塞", "severity": "general", "description": "成品仓库消防通道堆放货物",
            "deadline": "2026-12-15"});
        post(&app, &a.token, &format!("/api/v1/inspections/{id}/findings"), &finding).await;
        let (_, after) = page(&app, &a, &format!("/inspections/{id}")).await;
        assert!(after.contains(&link) && after.contains("立案处罚"), "{after}");
        let (_, regulator) = page(&app, &w.reg, &format!("/inspections/{id}")).await;
        assert!(!regulator.contains("立案处罚"), "only inspectors open cases: {regulator}");

        let (status, form) = page(&app, &a, &format!("/cases/new?inspection_id={id}")).await;
        assert_eq!(status, StatusCode::OK, "{form}");
        assert!(form.contains("甲化工有限公司") && form.contains("的执法检查预填"), "prefilled: {form}");
    })
    .await;
}
