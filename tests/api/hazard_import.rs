//! Importing an existing hazard ledger from a workbook: every bad row at once
//! and nothing written; a dry run writes nothing; the import is all or nothing;
//! a second run adds nothing; the API, the CLI and the pages share one service.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

const HEADER: [&str; 11] = [
    "统一社会信用代码*",
    "隐患名称*",
    "隐患描述*",
    "隐患等级*",
    "隐患来源*",
    "隐患类别*",
    "发现日期*",
    "整改状态*",
    "整改期限",
    "销号日期",
    "整改资金（元）",
];

fn workbook(rows: &[[&str; 11]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in (0_u32..).zip(std::iter::once(&HEADER).chain(rows)) {
        for (c, v) in (0_u16..).zip(row.iter()) {
            if !v.is_empty() {
                sheet.write_string(r, c, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

async fn import(app: &TestApp, u: &TestUser, bytes: Vec<u8>, dry_run: bool) -> (StatusCode, Value) {
    let path = if dry_run { "/api/v1/hazards/import?dry_run=true" } else { "/api/v1/hazards/import" };
    app.upload(&u.token, path, "台账.xlsx", bytes).await
}

async fn hazard_count(app: &TestApp, u: &TestUser) -> u64 {
    let (_, v) = app.get(&u.token, "/api/v1/hazards").await;
    v["total"].as_u64().unwrap()
}

#[tokio::test]
async fn a_ledger_imports_all_or_nothing_and_a_second_run_adds_nothing() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let other = app.user("other").role(Role::Regulator).region("420111").create().await;
        let jia = code("420103", 1);
        let e = app
            .enterprise(
                &reg.token,
                enterprise_body(&jia, "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103"),
            )
            .await;
        let elsewhere = code("420111", 2);
        app.enterprise(
            &other.token,
            enterprise_body(&elsewhere, "洪山某厂", "industry_trade", "it_machinery", "420111"),
        )
        .await;
        let fzr = app.user("fzr").role(Role::Principal).enterprise(e).create().await;
        let unknown = code("420103", 99);

        let good: [[&str; 11]; 3] = [
            [
                &jia,
                "配电箱未接地",
                "二车间配电箱",
                "一般",
                "企业自查",
                "物的危险状态",
                "2026-09-01",
                "已销号",
                "2026-09-15",
                "2026-09-10",
                "800",
            ],
            [
                &jia,
                "消防通道堵塞",
                "仓库东侧",
                "一般",
                "执法检查",
                "管理缺陷",
                "2026-10-08",
                "整改中",
                "2026-11-15",
                "",
                "",
            ],
            [
                &jia,
                "罐区报警器失效",
                "3 台报警器未投用",
                "重大",
                "群众举报",
                "物的危险状态",
                "2026-11-01",
                "整改中",
                "2026-12-31",
                "",
                "",
            ],
        ];
        let mut bad = good.to_vec();
        bad.push([
            &unknown,
            "未登记企业的隐患",
            "d",
            "一般",
            "企业自查",
            "物的危险状态",
            "2026-11-01",
            "整改中",
            "",
            "",
            "",
        ]);
        bad.push([
            &elsewhere,
            "外区企业的隐患",
            "d",
            "一般",
            "企业自查",
            "物的危险状态",
            "2026-11-01",
            "整改中",
            "",
            "",
            "",
        ]);
        bad.push([&jia, "类别不存在", "d", "一般", "企业自查", "天气原因", "2026-11-01", "整改中", "", "", ""]);

        let (status, err) = import(&app, &reg, workbook(&bad), false).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("import_rejected")),
            "{err}"
        );
        let rows: Vec<(u64, &str)> = err["error"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["row"].as_u64().unwrap(), r["code"].as_str().unwrap()))
            .collect();
        assert_eq!(rows, vec![(5, "unknown_enterprise"), (6, "out_of_jurisdiction"), (7, "unknown_category")], "{err}");
        let outside = err["error"]["rows"].as_array().unwrap().iter().find(|r| r["row"] == 6).unwrap();
        let message = outside["message"].as_str().unwrap();
        assert!(message.contains("应急管理局") && message.contains("应由"), "names the supervising bureau: {message}");
        assert_eq!(hazard_count(&app, &reg).await, 0, "nothing written");

        let (status, s) = import(&app, &reg, workbook(&good), true).await;
        assert_eq!(status, StatusCode::OK, "{s}");
        assert_eq!(s, json!({"dry_run": true, "imported": 3, "open": 2, "already_recorded": 0}));
        assert_eq!(hazard_count(&app, &reg).await, 0, "a dry run writes nothing");

        let (status, _) = import(&app, &fzr, workbook(&good), true).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "enterprises do not import ledgers");

        let (status, s) = import(&app, &reg, workbook(&good), false).await;
        assert_eq!((status, s["imported"].as_u64()), (StatusCode::OK, Some(3)), "{s}");
        let (_, list) = app.get(&reg.token, "/api/v1/hazards").await;
        let mut got: Vec<(String, String, String)> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["title"].as_str().unwrap().to_owned(),
                    h["status"].as_str().unwrap().to_owned(),
                    h["closure"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        got.sort();
        let titles: Vec<(&str, &str)> = got.iter().map(|g| (g.0.as_str(), g.1.as_str())).collect();
        assert_eq!(
            titles,
            vec![("消防通道堵塞", "rectifying"), ("罐区报警器失效", "confirmed"), ("配电箱未接地", "closed")]
        );
        let id = list["items"].as_array().unwrap().iter().find(|h| h["title"] == "消防通道堵塞").unwrap()["id"]
            .as_i64()
            .unwrap();
        let (_, h) = app.get(&reg.token, &format!("/api/v1/hazards/{id}")).await;
        assert_eq!(
            (h["closure"].as_str(), h["timeline"][0]["action"].as_str()),
            (Some("inspector"), Some("import")),
            "{h}"
        );
        let (_, todos) = app.get(&reg.token, "/api/v1/todos").await;
        assert!(todos["items"][0]["title"].as_str().unwrap().starts_with("待交办：罐区报警器失效"), "{todos}");
        let (_, overdue) = app.get(&reg.token, "/api/v1/hazards?overdue=true").await;
        assert_eq!(overdue["total"], 1, "the imported inspection finding is past its deadline: {overdue}");

        let (status, s) = import(&app, &reg, workbook(&good), false).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (s["imported"].as_u64(), s["already_recorded"].as_u64()),
            (Some(0), Some(3)),
            "a second run adds nothing"
        );
        assert_eq!(hazard_count(&app, &reg).await, 3);
        let (_, report) = app.get(&reg.token, "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "{report}");

        // The operator's CLI imports into the same file (SQLite).
        if let Some(db) = app.sqlite_path() {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("台账.xlsx");
            let more =
                [[&jia, "安全培训记录缺失", "d", "一般", "企业自查", "管理缺陷", "2026-11-02", "整改中", "", "", ""]];
            std::fs::write(&file, workbook(&more)).unwrap();
            let run = |extra: &[&str]| {
                let mut args = vec!["--database-url", db.as_str(), "import", "hazards", file.to_str().unwrap()];
                args.extend_from_slice(extra);
                std::process::Command::new(env!("CARGO_BIN_EXE_anjian"))
                    .args(args)
                    .env_remove("ANJIAN_DATABASE_URL")
                    .output()
                    .unwrap()
            };
            let out = run(&["--dry-run"]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert!(String::from_utf8_lossy(&out.stdout).contains("未写入任何数据"));
            let out = run(&["--as", "reg"]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            // Straight from the database: the server caches list totals for 30 s against other processes.
            assert_eq!(anjian::entities::hazard::Entity::find().count(app.state.db.conn()).await.unwrap(), 4);
        }
    })
    .await;
}

#[tokio::test]
async fn the_import_page_checks_then_imports_the_kept_file() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let jia = code("420103", 1);
        app.enterprise(
            &reg.token,
            enterprise_body(&jia, "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103"),
        )
        .await;
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let cookie = format!("anjian_session={}", reg.token);

        let html = http.get(app.url("/hazards")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"import-link\""), "regulators see the import link");
        let res = http.get(app.url("/hazards/import/template.xlsx")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let rows = crate::helpers::sheet_rows(res.bytes().await.unwrap().to_vec(), "隐患台账");
        assert_eq!(rows[0][0], "统一社会信用代码*");

        let rows = [[
            &jia,
            "配电箱未接地",
            "d",
            "一般",
            "企业自查",
            "物的危险状态",
            "2026-11-01",
            "整改中",
            "2026-12-01",
            "",
            "",
        ]];
        let form = |bytes: Vec<u8>| {
            reqwest::multipart::Form::new()
                .text("csrf_token", reg.csrf.clone())
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name("台账.xlsx"))
        };
        let res = http
            .post(app.url("/hazards/import"))
            .header("cookie", &cookie)
            .multipart(form(workbook(&rows)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("id=\"count-imported\">1<") && html.contains("id=\"confirm-button\""), "{html}");
        let start = html.find("name=\"upload_id\" value=\"").unwrap() + "name=\"upload_id\" value=\"".len();
        let upload_id = &html[start..start + html[start..].find('"').unwrap()];
        let res = http
            .post(app.url("/hazards/import/confirm"))
            .header("cookie", &cookie)
            .form(&[("csrf_token", reg.csrf.as_str()), ("upload_id", upload_id)])
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("已导入") && html.contains("id=\"count-imported\">1<"), "{html}");
        assert_eq!(hazard_count(&app, &reg).await, 1);

        let bad = [[&jia, "", "d", "一般", "企业自查", "物的危险状态", "2026-11-01", "整改中", "", "", ""]];
        let res = http
            .post(app.url("/hazards/import"))
            .header("cookie", &cookie)
            .multipart(form(workbook(&bad)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("missing_required"));
    })
    .await;
}
