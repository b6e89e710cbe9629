//! 一图一牌三清单: the site plan and the points placed on it, the public notice boards,
//! the three lists as workbooks, the risk-point import (every bad row at once, all or
//! nothing), scope, and the four-colour map drawn in Chromium with each point where it
//! was placed. SQLite and PostgreSQL for the API; the browser on SQLite.

use crate::helpers::{TestApp, TestUser, World, code, enterprise_body, on_each_backend, sheet_rows, world};
use crate::page_steps::{run, sign_in, until};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn lec(name: &str, l: f64, e: f64, c: f64) -> Value {
    json!({"name": name, "location": "罐区", "hazard_factors": "易燃液体泄漏", "method": "lec", "l": l, "e": e, "c": c,
        "control_measures": "可燃气体报警、巡检", "emergency_measures": "切断、疏散", "owning_level": "workshop",
        "responsible_person": "王工"})
}

/// A point of the world's enterprise; its id.
async fn point(app: &TestApp, w: &World, body: &Value) -> i64 {
    let (status, v) =
        app.post(&w.officer.token, &format!("/api/v1/enterprises/{}/risk-points", w.enterprise), body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

/// An 800 × 600 PNG plan (a grid), made once per test run.
fn plan_png() -> Vec<u8> {
    static PLAN: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
        let path = crate::tablet_browser::png_with("site-plan", (800, 600), |x, y| {
            if x % 100 == 0 || y % 100 == 0 { [120, 120, 120] } else { [250, 250, 245] }
        });
        std::fs::read(path).unwrap()
    });
    PLAN.clone()
}

async fn put_plan(app: &TestApp, token: &str, enterprise: i64, bytes: Vec<u8>) -> (StatusCode, Value) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name("plan.png");
    let form = reqwest::multipart::Form::new().part("file", part);
    let url = app.url(&format!("/api/v1/enterprises/{enterprise}/site-plan"));
    app.send(app.client.put(url).bearer_auth(token).multipart(form)).await
}

async fn place(app: &TestApp, token: &str, id: i64, body: &Value) -> (StatusCode, Value) {
    app.send(app.client.put(app.url(&format!("/api/v1/risk-points/{id}/position"))).bearer_auth(token).json(body)).await
}

async fn bytes(app: &TestApp, token: &str, path: &str) -> (StatusCode, Vec<u8>) {
    let res = app.client.get(app.url(path)).bearer_auth(token).send().await.unwrap();
    (res.status(), res.bytes().await.unwrap().to_vec())
}

/// Another enterprise's principal, a far regulator and an inspector of the county.
async fn outsiders(app: &TestApp, w: &World) -> (TestUser, TestUser, TestUser) {
    let other = app
        .enterprise(&w.reg.token, enterprise_body(&code("420103", 2), "乙公司", "fireworks", "fw_retail", "420103"))
        .await;
    let stranger = app.user("qt_fzr").role(Role::Principal).enterprise(other).create().await;
    let far = app.user("far").role(Role::Regulator).region("420102").create().await;
    let zf = app.user("zf01").role(Role::Inspector).region("420103").create().await;
    (stranger, far, zf)
}

#[tokio::test]
async fn an_enterprise_uploads_its_plan_and_places_its_points_in_scope() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let red = point(&app, &w, &lec("储罐区", 6.0, 6.0, 15.0)).await;
        let at = json!({"plan_x": 0.25, "plan_y": 0.5});
        let (status, v) = place(&app, &w.officer.token, red, &at).await;
        assert_eq!((status, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("no_site_plan")), "{v}");

        let (status, bad) = put_plan(&app, &w.officer.token, w.enterprise, b"GIF89a not a plan".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let (status, plan) = put_plan(&app, &w.officer.token, w.enterprise, plan_png()).await;
        assert_eq!(status, StatusCode::OK, "{plan}");
        assert_eq!((plan["width"].as_i64(), plan["height"].as_i64()), (Some(800), Some(600)));
        let image = format!("/api/v1/enterprises/{}/site-plan", w.enterprise);
        let (status, png) = bytes(&app, &w.principal.token, &image).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(anjian::risk::site_plan::dimensions(&png), Some(("image/png", 800, 600)));

        let (status, v) = place(&app, &w.officer.token, red, &at).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["plan_x"].as_f64(), v["plan_y"].as_f64()), (Some(0.25), Some(0.5)));
        let (status, v) = place(&app, &w.officer.token, red, &json!({"plan_x": 1.5, "plan_y": -0.1})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = v["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(fields, ["plan_x", "plan_y"]);
        // Replacing the plan keeps the points' places (fractions of the plan).
        assert_eq!(put_plan(&app, &w.reg.token, w.enterprise, plan_png()).await.0, StatusCode::OK);
        let (_, one) = app.get(&w.reg.token, &format!("/api/v1/risk-points/{red}")).await;
        assert_eq!(one["plan_x"].as_f64(), Some(0.25));

        let (stranger, far, zf) = outsiders(&app, &w).await;
        for token in [&stranger.token, &far.token] {
            assert_eq!(place(&app, token, red, &at).await.0, StatusCode::NOT_FOUND);
            assert_eq!(bytes(&app, token, &image).await.0, StatusCode::NOT_FOUND);
            assert_eq!(put_plan(&app, token, w.enterprise, plan_png()).await.0, StatusCode::NOT_FOUND);
            let lists = format!("/api/v1/enterprises/{}/risk-points.xlsx?list=risk", w.enterprise);
            assert_eq!(bytes(&app, token, &lists).await.0, StatusCode::NOT_FOUND);
        }
        // An inspector sees the plan but does not place the enterprise's points.
        assert_eq!(bytes(&app, &zf.token, &image).await.0, StatusCode::OK);
        assert_eq!(place(&app, &zf.token, red, &at).await.0, StatusCode::FORBIDDEN);

        let (_, verify) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
    })
    .await;
}

#[tokio::test]
async fn the_three_lists_are_workbooks_red_first_in_chinese() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        point(&app, &w, &lec("装卸站", 3.0, 6.0, 7.0)).await;
        point(&app, &w, &lec("储罐区", 6.0, 6.0, 15.0)).await;
        let base = format!("/api/v1/enterprises/{}/risk-points.xlsx", w.enterprise);
        for (list, sheet, column, want) in [
            ("risk", "风险分级管控清单", 10, "重大风险（红）"),
            ("control", "管控措施清单", 5, "可燃气体报警、巡检"),
            ("emergency", "应急处置措施清单", 5, "切断、疏散"),
        ] {
            let (status, book) = bytes(&app, &w.principal.token, &format!("{base}?list={list}")).await;
            assert_eq!(status, StatusCode::OK, "{list}");
            let rows = sheet_rows(book, sheet);
            assert!(rows[0][0].starts_with("甲化工有限公司 ") && rows[0][0].contains(sheet), "{:?}", rows[0]);
            assert_eq!(rows[1][0], "序号");
            assert_eq!((rows[2][1].as_str(), rows[3][1].as_str()), ("储罐区", "装卸站"), "red first");
            assert_eq!(rows[2][column], want, "{list}: {:?}", rows[2]);
            assert_eq!(rows.len(), 4);
        }
        let (status, _) = bytes(&app, &w.principal.token, &format!("{base}?list=other")).await;
        assert!(status.is_client_error(), "{status}");
    })
    .await;
}

/// A workbook of rows under the sample's headers.
fn workbook(rows: &[[&str; 12]]) -> Vec<u8> {
    let headers = [
        "风险点名称*",
        "位置*",
        "危险有害因素*",
        "评价方法*",
        "L*",
        "E",
        "C",
        "S",
        "管控措施",
        "管控层级*",
        "责任人*",
        "复核日期",
    ];
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in (0_u16..).zip(headers) {
        sheet.write_string(0, c, h).unwrap();
    }
    for (r, row) in (1_u32..).zip(rows) {
        for (c, v) in (0_u16..).zip(row) {
            match v.parse::<f64>() {
                Ok(n) => sheet.write_number(r, c, n).map(|_| ()).unwrap(),
                Err(_) if !v.is_empty() => sheet.write_string(r, c, *v).map(|_| ()).unwrap(),
                Err(_) => {}
            }
        }
    }
    book.save_to_buffer().unwrap()
}

async fn import(app: &TestApp, token: &str, enterprise: i64, book: Vec<u8>, dry_run: bool) -> (StatusCode, Value) {
    let path = format!("/api/v1/enterprises/{enterprise}/risk-points/import?dry_run={dry_run}");
    let part = reqwest::multipart::Part::bytes(book).file_name("risk-points.xlsx");
    let form = reqwest::multipart::Form::new().part("file", part);
    app.send(app.client.post(app.url(&path)).bearer_auth(token).multipart(form)).await
}

#[tokio::test]
async fn the_import_lists_every_bad_row_at_once_and_writes_all_or_nothing() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let good = ["储罐区", "罐区", "泄漏", "LEC", "6", "6", "15", "", "巡检", "公司级", "王工", ""];
        let book = workbook(&[
            good,
            ["", "仓库", "车辆伤害", "LEC", "5", "6", "7", "", "", "岗位级", "李", ""],
            ["配电室", "一楼", "触电", "HAZOP", "3", "", "", "", "", "车间级", "", ""],
            ["叉车", "仓库", "车辆伤害", "LS", "2", "", "", "7", "", "班组", "赵", "明年"],
            ["储罐区", "罐区", "泄漏", "LEC", "6", "6", "15", "", "巡检", "公司级", "王工", ""],
            ["装卸站", "平台", "静电", "LEC", "3", "6", "", "", "", "部门级", "李", ""],
        ]);
        let (status, v) = import(&app, &w.officer.token, w.enterprise, book, false).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let got: Vec<(u64, &str, &str)> = v["error"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["row"].as_u64().unwrap(), r["column"].as_str().unwrap(), r["code"].as_str().unwrap()))
            .collect();
        for want in [
            (3, "风险点名称*", "missing_required"),
            (3, "L*", "invalid_value"),
            (4, "评价方法*", "invalid_value"),
            (4, "责任人*", "missing_required"),
            (5, "S", "invalid_value"),
            (5, "复核日期", "invalid_date"),
            (6, "风险点名称*", "duplicate_in_file"),
            (7, "C", "missing_required"),
            (7, "管控层级*", "invalid_value"),
        ] {
            assert!(got.contains(&want), "missing {want:?} in {got:?}");
        }
        assert!(got.iter().all(|g| g.0 != 2), "the good row has no problem: {got:?}");
        let off_table =
            v["error"]["rows"].as_array().unwrap().iter().find(|r| r["row"] == 3 && r["column"] == "L*").unwrap();
        assert!(off_table["message"].as_str().unwrap().contains("10、6、3、1、0.5、0.2、0.1"), "{v}");
        assert_eq!(got.len(), 9, "nothing else: {got:?}");
        let list = format!("/api/v1/enterprises/{}/risk-points", w.enterprise);
        assert_eq!(app.get(&w.officer.token, &list).await.1["total"], 0, "nothing written");

        // The committed sample imports: a dry run writes nothing, then all three, then none again.
        let sample = include_bytes!("../../imports/risk-points.xlsx").to_vec();
        let (status, v) = import(&app, &w.officer.token, w.enterprise, sample.clone(), true).await;
        assert_eq!((status, v["imported"].as_u64(), v["red"].as_u64()), (StatusCode::OK, Some(3), Some(1)), "{v}");
        assert_eq!(app.get(&w.officer.token, &list).await.1["total"], 0);
        let (_, v) = import(&app, &w.officer.token, w.enterprise, sample.clone(), false).await;
        assert_eq!((v["dry_run"].as_bool(), v["imported"].as_u64()), (Some(false), Some(3)), "{v}");
        let (_, v) = import(&app, &w.reg.token, w.enterprise, sample.clone(), false).await;
        assert_eq!((v["imported"].as_u64(), v["already_recorded"].as_u64()), (Some(0), Some(3)), "{v}");
        let (_, points) = app.get(&w.officer.token, &list).await;
        assert_eq!(points["counts"], json!({"red": 1, "orange": 0, "yellow": 1, "blue": 1}));

        let (stranger, _, zf) = outsiders(&app, &w).await;
        assert_eq!(import(&app, &stranger.token, w.enterprise, sample.clone(), true).await.0, StatusCode::NOT_FOUND);
        assert_eq!(import(&app, &zf.token, w.enterprise, sample, true).await.0, StatusCode::FORBIDDEN);
        let (_, verify) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
    })
    .await;
}

/// The public link printed on a point's board, read from the board page.
async fn public_link(app: &TestApp, w: &World, id: i64) -> String {
    let page = format!("/enterprises/{}/risk-points/{id}/board", w.enterprise);
    let res = app.client.get(app.url(&page)).header("cookie", format!("anjian_session={}", w.officer.token));
    let html = res.send().await.unwrap().text().await.unwrap();
    assert!(html.contains("岗位风险告知牌") && html.contains("<svg") && html.contains("王工"), "{html}");
    let at = html.find("/public/risk-boards/").unwrap();
    html[at..at + "/public/risk-boards/".len() + 64].to_owned()
}

#[tokio::test]
async fn the_public_board_shows_what_the_board_shows_and_nothing_for_a_bad_token() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = point(&app, &w, &lec("储罐区", 6.0, 6.0, 15.0)).await;
        let link = public_link(&app, &w, id).await;
        let anonymous = reqwest::Client::new();
        let res = anonymous.get(app.url(&link)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        for shown in
            ["储罐区", "重大风险（红）", "易燃液体泄漏", "可燃气体报警、巡检", "切断、疏散", "王工", "甲化工有限公司"]
        {
            assert!(html.contains(shown), "{shown} missing");
        }
        assert!(!html.contains("540") && !html.contains("退出登录"), "no score, no session");
        let other = format!("/public/risk-boards/{}", "0".repeat(64));
        for bad in [other.as_str(), "/public/risk-boards/abc", "/public/risk-boards/%27%20or%201=1"] {
            assert_eq!(anonymous.get(app.url(bad)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "{bad}");
        }
        // Another enterprise's user does not get this enterprise's board page.
        let (stranger, _, _) = outsiders(&app, &w).await;
        let page = format!("/enterprises/{}/risk-points/{id}/board", w.enterprise);
        let res = app.client.get(app.url(&page)).header("cookie", format!("anjian_session={}", stranger.token));
        assert_eq!(res.send().await.unwrap().status(), StatusCode::NOT_FOUND);
    })
    .await;
}

/// The centre of each marker relative to the plan image, in fractions of the image's rendered size.
const CENTRES: &str = "const img = document.getElementById('plan-image').getBoundingClientRect(); \
    return Array.from(document.querySelectorAll('circle.dot')).map(c => { const r = c.getBoundingClientRect(); \
    return {id: c.id, x: (r.left + r.width / 2 - img.left) / img.width, y: (r.top + r.height / 2 - img.top) / img.height, \
    w: img.width, cls: c.getAttribute('class')}; });";

#[tokio::test(flavor = "multi_thread")]
async fn the_map_draws_each_point_where_it_was_placed_and_a_click_places_one() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let w = world(&app).await;
    let red = point(&app, &w, &lec("储罐区", 6.0, 6.0, 15.0)).await;
    let yellow = point(&app, &w, &lec("装卸站", 3.0, 6.0, 7.0)).await;
    let loose = point(&app, &w, &lec("配电室", 1.0, 1.0, 1.0)).await;
    assert_eq!(put_plan(&app, &w.officer.token, w.enterprise, plan_png()).await.0, StatusCode::OK);
    for (id, x, y) in [(red, 0.2, 0.3), (yellow, 0.75, 0.6)] {
        assert_eq!(place(&app, &w.officer.token, id, &json!({"plan_x": x, "plan_y": y})).await.0, StatusCode::OK);
    }
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "aqy").await;
    for (width, height) in [(1366, 900), (390, 844)] {
        browser.resize(width, height).await;
        browser.goto(&app.url(&format!("/enterprises/{}/risk-map", w.enterprise))).await;
        until(&browser, "the plan loads", "document.getElementById('plan-image').getBoundingClientRect().width > 0")
            .await;
        let centres = run(&browser, CENTRES, json!([])).await;
        let centres = centres.as_array().unwrap();
        assert_eq!(centres.len(), 2, "the unplaced point is not drawn: {centres:?}");
        for (id, x, y, colour) in [(red, 0.2, 0.3, "dot-red"), (yellow, 0.75, 0.6, "dot-yellow")] {
            let c = centres.iter().find(|c| c["id"] == format!("marker-{id}")).unwrap();
            let px = c["w"].as_f64().unwrap();
            // Within a pixel of where it was placed, at any width.
            let (dx, dy) = ((c["x"].as_f64().unwrap() - x) * px, (c["y"].as_f64().unwrap() - y) * px * 0.75);
            assert!(dx.abs() < 1.0 && dy.abs() < 1.0, "{width}px: {c} is off by ({dx}, {dy})");
            assert!(c["cls"].as_str().unwrap().contains(colour), "{c}");
        }
        let legend = browser.text("#risk-legend").await;
        assert!(
            legend.contains("重大风险 1 个") && legend.contains("一般风险 1 个") && legend.contains("低风险 1 个"),
            "{legend}"
        );
    }
    // Select the loose point and click the middle of the plan: it is saved there.
    crate::page_steps::set(&browser, "#place-point", &loose.to_string()).await;
    browser.click("#plan-image").await;
    until(&browser, "the page reloads with the third point", "document.querySelectorAll('circle.dot').length === 3")
        .await;
    let (_, v) = app.get(&w.officer.token, &format!("/api/v1/risk-points/{loose}")).await;
    let (x, y) = (v["plan_x"].as_f64().unwrap(), v["plan_y"].as_f64().unwrap());
    assert!((x - 0.5).abs() < 0.01 && (y - 0.5).abs() < 0.01, "{v}");
    browser.close().await;
}
