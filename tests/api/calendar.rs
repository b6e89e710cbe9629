//! The working-day calendar: importing holiday overrides (province regulators
//! only, all or nothing, dry run), the calendar and deadline endpoints, and the
//! CLI import a running server sees.

use crate::helpers::{TestApp, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use anjian::entities::holiday;
use chrono::NaiveDate;
use reqwest::StatusCode;
use rust_xlsxwriter::{Format, Workbook};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use std::process::{Command, Output};

const IMPORT: &str = "/api/v1/calendar/holidays/import";

/// A holiday workbook: 日期 as a real date cell when it is one, else as text.
fn workbook(rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in (0_u16..).zip(["日期", "类型", "名称"]) {
        sheet.write_string(0, c, h).unwrap();
    }
    for (r, (day, kind, name)) in (1_u32..).zip(rows) {
        match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            Ok(d) if r % 2 == 0 => sheet.write_datetime_with_format(r, 0, d, &date).unwrap(),
            _ if day.is_empty() => sheet,
            _ => sheet.write_string(r, 0, *day).unwrap(),
        };
        sheet.write_string(r, 1, *kind).unwrap();
        if !name.is_empty() {
            sheet.write_string(r, 2, *name).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// A made-up 2027 Spring Festival: Saturday 02-06 worked, 02-08..02-13 off, Saturday 02-20 worked.
fn spring_festival_2027() -> Vec<u8> {
    workbook(&[
        ("2027-02-06", "班", "春节"),
        ("2027-02-08", "休", "春节"),
        ("2027-02-09", "休", "春节"),
        ("2027-02-10", "休", "春节"),
        ("2027-02-11", "休", "春节"),
        ("2027-02-12", "休", "春节"),
        // A weekend marked 休: redundant, accepted.
        ("2027-02-13", "休", "春节"),
        ("2027-02-20", "班", ""),
    ])
}

async fn stored(app: &TestApp) -> u64 {
    holiday::Entity::find().count(app.state.db.conn()).await.unwrap()
}

async fn deadline(app: &TestApp, token: &str, start: &str, days: u32) -> Value {
    let (status, v) = app.get(token, &format!("/api/v1/calendar/working-days?start={start}&days={days}")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn a_province_regulator_imports_holidays_and_deadlines_follow_them() {
    on_each_backend(|app| async move {
        let reg = app.user("hubei").role(Role::Regulator).region("420000").create().await;
        // 2027 has no published arrangement: weekends only, and the answer says so.
        assert_eq!(
            deadline(&app, &reg.token, "2027-02-05", 2).await,
            json!({"date": "2027-02-09", "beyond_calendar": true})
        );

        let (status, v) =
            app.upload(&reg.token, &format!("{IMPORT}?dry_run=true"), "h.xlsx", spring_festival_2027()).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let expect = json!({"dry_run": true, "new": 8, "changed": 0, "unchanged": 0, "covered_until": "2027-12-31"});
        assert_eq!(v, expect);
        assert_eq!(stored(&app).await, 0, "a dry run writes nothing");
        assert_eq!(deadline(&app, &reg.token, "2027-02-05", 2).await["beyond_calendar"], json!(true));

        let (status, v) = app.upload(&reg.token, IMPORT, "h.xlsx", spring_festival_2027()).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v, json!({"dry_run": false, "new": 8, "changed": 0, "unchanged": 0, "covered_until": "2027-12-31"}));
        let rows = holiday::Entity::find().all(app.state.db.conn()).await.unwrap();
        assert_eq!(rows.len(), 8);
        assert!(rows.iter().all(|r| r.imported_by == Some(reg.id)));
        assert_eq!(rows.iter().filter(|r| r.kind == "work").count(), 2);

        // Saturday 02-06 is worked (1st); 02-07..02-14 are off; Monday 02-15 is the 2nd.
        assert_eq!(
            deadline(&app, &reg.token, "2027-02-05", 1).await,
            json!({"date": "2027-02-06", "beyond_calendar": false})
        );
        assert_eq!(
            deadline(&app, &reg.token, "2027-02-05", 2).await,
            json!({"date": "2027-02-15", "beyond_calendar": false})
        );
        assert_eq!(deadline(&app, &reg.token, "2027-02-05", 7).await["date"], json!("2027-02-20"));
        assert_eq!(
            deadline(&app, &reg.token, "2027-12-30", 2).await,
            json!({"date": "2028-01-03", "beyond_calendar": true})
        );

        // The same file again changes nothing.
        let (status, v) = app.upload(&reg.token, IMPORT, "h.xlsx", spring_festival_2027()).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["new"].clone(), v["unchanged"].clone()), (json!(0), json!(8)));
    })
    .await;
}

#[tokio::test]
async fn a_bad_file_lists_every_error_at_once_and_imports_nothing() {
    on_each_backend(|app| async move {
        let reg = app.user("hubei").role(Role::Regulator).region("420000").create().await;
        let bad = workbook(&[
            ("2027-02-30", "休", ""),
            ("2027-02-08", "放个假", ""),
            ("", "班", ""),
            ("2027-02-09", "休", ""),
            ("2027-02-09", "班", ""),
            ("2029-01-01", "休", ""),
            ("2027-02-10", "休", "春节"),
        ]);
        for path in [format!("{IMPORT}?dry_run=true"), IMPORT.to_owned()] {
            let (status, v) = app.upload(&reg.token, &path, "bad.xlsx", bad.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            assert_eq!(v["error"]["code"], "import_rejected");
            let rows: Vec<(u64, &str, &str)> = v["error"]["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| (r["row"].as_u64().unwrap(), r["column"].as_str().unwrap(), r["code"].as_str().unwrap()))
                .collect();
            assert_eq!(
                rows,
                vec![
                    (2, "日期", "invalid_date"),
                    (3, "类型", "invalid_kind"),
                    (4, "日期", "missing_required"),
                    (5, "日期", "duplicate_in_file"),
                    (6, "日期", "duplicate_in_file"),
                    (7, "日期", "date_out_of_range"),
                ]
            );
        }
        assert_eq!(stored(&app).await, 0);
        let (status, v) = app.upload(&reg.token, IMPORT, "x.xlsx", b"not a workbook".to_vec()).await;
        assert_eq!((status, v["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("not_spreadsheet")));
    })
    .await;
}

#[tokio::test]
async fn only_regulators_of_a_province_bureau_may_import() {
    on_each_backend(|app| async move {
        let county = app.user("jianghan").role(Role::Regulator).region("420103").create().await;
        let city = app.user("wuhan").role(Role::Regulator).region("420100").create().await;
        let inspector = app.user("hubei-inspector").role(Role::Inspector).region("420000").create().await;
        let own = app
            .enterprise(
                &county.token,
                enterprise_body(&code("420103", 1), "本企业", "fireworks", "fw_retail", "420103"),
            )
            .await;
        let boss = app.user("boss").role(Role::Principal).enterprise(own).create().await;
        for (who, token) in [
            ("county", &county.token),
            ("city", &city.token),
            ("inspector", &inspector.token),
            ("enterprise", &boss.token),
        ] {
            let (status, v) = app.upload(token, IMPORT, "h.xlsx", spring_festival_2027()).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {v}");
            // Everyone signed in may read the calendar.
            assert_eq!(deadline(&app, token, "2026-09-30", 1).await["date"], "2026-10-08", "{who}");
        }
        assert_eq!(stored(&app).await, 0);
        let anonymous =
            reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(spring_festival_2027()));
        let res = app.client.post(app.url(IMPORT)).multipart(anonymous).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn an_imported_date_wins_over_the_shipped_table() {
    on_each_backend(|app| async move {
        let reg = app.user("hubei").role(Role::Regulator).region("420000").create().await;
        let range = "/api/v1/calendar?from=2026-09-30&to=2026-10-10";
        let working = |v: &Value| -> Vec<bool> {
            v["days"].as_array().unwrap().iter().map(|d| d["working"].as_bool().unwrap()).collect()
        };
        let (status, before) = app.get(&reg.token, range).await;
        assert_eq!(status, StatusCode::OK, "{before}");
        // 2026 国庆: 10-01..10-07 off, Thursday 10-08 and Friday 10-09 worked, Saturday 10-10 worked (班).
        let shipped = [true, false, false, false, false, false, false, false, true, true, true];
        assert_eq!(working(&before), shipped);
        assert_eq!(before["covered_until"], "2026-12-31");
        assert_eq!(
            before["days"][1],
            json!({"date": "2026-10-01", "working": false, "kind": "off", "name": "国庆节", "beyond_calendar": false})
        );
        assert_eq!(
            before["days"][8],
            json!({"date": "2026-10-08", "working": true, "kind": null, "name": null, "beyond_calendar": false})
        );

        let file = workbook(&[("2026-10-08", "休", "地方调休"), ("2026-10-01", "班", "")]);
        let (status, v) = app.upload(&reg.token, IMPORT, "h.xlsx", file).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["covered_until"], "2026-12-31");
        let (_, after) = app.get(&reg.token, range).await;
        let mut expect = shipped;
        (expect[1], expect[8]) = (true, false);
        assert_eq!(working(&after), expect);
        assert_eq!(after["days"][8]["name"], "地方调休");
    })
    .await;
}

#[tokio::test]
async fn calendar_queries_are_checked() {
    on_each_backend(|app| async move {
        let u = app.user("reader").role(Role::GridWorker).region("420103").create().await;
        for path in [
            "/api/v1/calendar",
            "/api/v1/calendar?from=2026-01-01",
            "/api/v1/calendar?from=2026-13-01&to=2026-12-31",
            "/api/v1/calendar?from=2026-01-01&to=2027-02-05",
            "/api/v1/calendar?from=2026-02-01&to=2026-01-01",
            "/api/v1/calendar/working-days?start=2026-01-01",
            "/api/v1/calendar/working-days?start=2026-01-01&days=-1",
            "/api/v1/calendar/working-days?start=2026-01-01&days=3651",
            "/api/v1/calendar/working-days?start=tomorrow&days=1",
        ] {
            let (status, v) = app.get(&u.token, path).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {v}");
            assert_eq!(v["error"]["code"], "validation_failed", "{path}");
        }
        // 400 days, both ends included, is the most.
        let (status, v) = app.get(&u.token, "/api/v1/calendar?from=2026-01-01&to=2027-02-04").await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["days"].as_array().unwrap().len(), 400);
        assert_eq!(v["days"][399]["beyond_calendar"], true);
        assert_eq!(
            deadline(&app, &u.token, "2026-11-22", 0).await,
            json!({"date": "2026-11-22", "beyond_calendar": false})
        );
    })
    .await;
}

fn anjian(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anjian"))
        .arg("--database-url")
        .arg(db)
        .args(args)
        .env_remove("ANJIAN_DATABASE_URL")
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_cli_imports_holidays_and_a_running_server_sees_them_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db").display().to_string();
    let text = |o: &Output| format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let out = anjian(&db, &["migrate"]);
    assert!(out.status.success(), "{}", text(&out));
    // The server's connection, opened before the import.
    let server = anjian::db::Db::connect(&db).await.unwrap();
    let feb_8 = NaiveDate::from_ymd_opt(2027, 2, 8).unwrap();
    assert!(anjian::calendar::load(server.conn()).await.unwrap().is_working_day(feb_8));

    let good = dir.path().join("good.xlsx");
    std::fs::write(&good, spring_festival_2027()).unwrap();
    let good = good.display().to_string();
    let out = anjian(&db, &["import", "holidays", &good, "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("预检通过：新增 8，变更 0，不变 0"), "{}", text(&out));
    assert!(anjian::calendar::load(server.conn()).await.unwrap().is_working_day(feb_8));

    let out = anjian(&db, &["import", "holidays", &good]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("覆盖至 2027-12-31"), "{}", text(&out));
    let cal = anjian::calendar::load(server.conn()).await.unwrap();
    assert!(!cal.is_working_day(feb_8));
    let rows = holiday::Entity::find().all(server.conn()).await.unwrap();
    assert!(rows.iter().all(|r| r.imported_by.is_none()), "the operator imports as nobody");

    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, workbook(&[("2027-02-30", "休", ""), ("2027-03-01", "假", "")])).unwrap();
    let out = anjian(&db, &["import", "holidays", &bad.display().to_string()]);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("第 2 行 [日期] invalid_date") && said.contains("第 3 行 [类型] invalid_kind"), "{said}");

    let template = dir.path().join("holidays.xlsx");
    let out = anjian(&db, &["gen", "holiday-template", &template.display().to_string()]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read(&template).unwrap(), anjian::calendar::template::workbook().unwrap());
}
