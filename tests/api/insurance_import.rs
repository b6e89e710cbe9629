//! 安责险 policies imported from a workbook: every row of a good file, every
//! problem of a bad one with nothing stored, an insurer limited to its own
//! policies, duplicates refused, a second run idempotent, the shipped sample, and
//! the pages (upload, preview, confirm).

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::{Value, json};

const HEADER: [&str; 8] = [
    "统一社会信用代码*",
    "保险机构*",
    "保单号*",
    "起保日期*",
    "终止日期*",
    "保费*（元）",
    "参保人数*",
    "每人死亡伤残限额*（元）",
];
const IMPORT: &str = "/api/v1/insurance-policies/import";

/// A workbook: `=n` a number cell, `@date` a date cell, anything else text.
fn workbook(rows: &[[&str; 8]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in (0_u32..).zip(std::iter::once(&HEADER).chain(rows)) {
        for (c, v) in (0_u16..).zip(row.iter()) {
            if let Some(n) = v.strip_prefix('=') {
                sheet.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
            } else if let Some(d) = v.strip_prefix('@') {
                let day = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
                sheet.write_datetime_with_format(r, c, day, &date).unwrap();
            } else if !v.is_empty() {
                sheet.write_string(r, c, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

async fn import(app: &TestApp, u: &TestUser, bytes: Vec<u8>, dry_run: bool) -> (StatusCode, Value) {
    let path = if dry_run { format!("{IMPORT}?dry_run=true") } else { IMPORT.to_owned() };
    app.upload(&u.token, &path, "保单.xlsx", bytes).await
}

async fn policy_count(app: &TestApp, u: &TestUser) -> u64 {
    let (status, v) = app.get(&u.token, "/api/v1/insurance-policies").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["total"].as_u64().unwrap()
}

/// (row, column, code) of a rejection.
fn problems(v: &Value) -> Vec<(u64, String, String)> {
    assert_eq!(v["error"]["code"], "import_rejected", "{v}");
    v["error"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap().into(), e["code"].as_str().unwrap().into()))
        .collect()
}

/// A regulator of 江汉区 with two enterprises, and two registered insurers (each with a user).
struct World {
    reg: TestUser,
    pingan: TestUser,
    renbao: TestUser,
    codes: [String; 2],
    ids: Vec<i64>,
}

async fn world(app: &TestApp) -> World {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let codes = [code("420103", 1), code("420103", 2)];
    let mut ids = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        let name = format!("化工{i}号");
        ids.push(
            app.enterprise(&reg.token, enterprise_body(c, &name, "hazardous_chemicals", "hc_production", "420103"))
                .await,
        );
    }
    let pingan = app.user("pingan").role(Role::Insurer).insurer("平安财险").create().await;
    let renbao = app.user("renbao").role(Role::Insurer).insurer("人保财险").create().await;
    World { reg, pingan, renbao, codes, ids }
}

#[tokio::test]
async fn a_good_file_imports_every_row_and_a_second_run_adds_nothing() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let [a, b] = [w.codes[0].as_str(), w.codes[1].as_str()];
        let bytes = workbook(&[
            [a, "平安财险", "PA-1", "@2027-01-01", "@2027-12-31", "=12000", "=50", "=400000"],
            [b, "平安财险", "PA-2", "2027/3/1", "2028-02-29", "9,600", "32人", "500000元"],
            [a, "人保财险", "PA-1", "2026-01-01", "2026-12-31", "=8000", "=50", "=400000"],
        ]);
        let (status, v) = import(&app, &w.reg, bytes.clone(), true).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["dry_run"].as_bool(), v["imported"].as_u64()), (Some(true), Some(3)), "{v}");
        assert_eq!(v["rows"][1]["enterprise_name"], "化工1号");
        assert_eq!(v["rows"][1]["premium_yuan"], 9600);
        assert_eq!(policy_count(&app, &w.reg).await, 0, "a dry run writes nothing");

        let (status, v) = import(&app, &w.reg, bytes.clone(), false).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["imported"].as_u64(), v["already_recorded"].as_u64()), (Some(3), Some(0)));
        assert_eq!(policy_count(&app, &w.reg).await, 3);
        let (_, list) = app.get(&w.pingan.token, "/api/v1/insurance-policies").await;
        assert_eq!(list["total"], 2, "{list}");

        let (status, v) = import(&app, &w.reg, bytes, false).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["imported"].as_u64(), v["already_recorded"].as_u64()), (Some(0), Some(3)));
        assert_eq!(policy_count(&app, &w.reg).await, 3, "importing the same file again adds nothing");
    })
    .await;
}

#[tokio::test]
async fn every_bad_row_is_reported_at_once_and_nothing_is_stored() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let other = app.user("other").role(Role::Regulator).region("420111").create().await;
        let far = code("420111", 3);
        app.enterprise(&other.token, enterprise_body(&far, "洪山某厂", "industry_trade", "it_machinery", "420111"))
            .await;
        let (a, unknown) = (w.codes[0].as_str(), code("420103", 99));
        let bytes = workbook(&[
            [a, "平安财险", "OK-1", "2027-01-01", "2027-12-31", "=1000", "=10", "=400000"],
            [&unknown, "平安财险", "X-2", "2027-01-01", "2027-12-31", "=1000", "=10", "=400000"],
            [&far, "平安财险", "X-3", "2027-01-01", "2027-12-31", "=1000", "=10", "=400000"],
            [a, "无名保险", "X-4", "2027-01-01", "2027-12-31", "=1000", "=10", "=400000"],
            [a, "平安财险", "X-5", "2027-13-01", "2026-12-31", "=0", "=10", "=400000"],
            [a, "平安财险", "OK-1", "2027-01-01", "2027-12-31", "=1000", "=10", "=400000"],
            ["91420103", "平安财险", "X-7", "2027-01-01", "2031-12-31", "=1000", "=10", "=400000"],
        ]);
        let (status, v) = import(&app, &w.reg, bytes, false).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let got = problems(&v);
        let want = [
            (3, "统一社会信用代码*", "unknown_enterprise"),
            (4, "统一社会信用代码*", "unknown_enterprise"),
            (5, "保险机构*", "unknown_insurer"),
            (6, "起保日期*", "invalid_date"),
            (6, "保费*（元）", "invalid_value"),
            (7, "保单号*", "duplicate_in_file"),
            (8, "统一社会信用代码*", "invalid_credit_code"),
            (8, "终止日期*", "invalid_value"),
        ];
        let want: Vec<(u64, String, String)> = want.iter().map(|(r, c, k)| (*r, (*c).into(), (*k).into())).collect();
        assert_eq!(got, want, "{v}");
        let messages = v["error"]["rows"].to_string();
        assert!(messages.contains("保费须在 1 到 10000000000 元之间"), "the form's own words: {messages}");
        assert!(messages.contains("保险期间不能超过三年") && messages.contains("疑似被 Excel"), "{messages}");
        assert_eq!(policy_count(&app, &w.reg).await, 0, "nothing is stored");
    })
    .await;
}

#[tokio::test]
async fn an_insurer_imports_its_own_policies_only() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let a = w.codes[0].as_str();
        let mixed = workbook(&[
            [a, "平安财险", "PA-1", "2027-01-01", "2027-12-31", "=1000", "=50", "=400000"],
            [a, "人保财险", "RB-1", "2027-01-01", "2027-12-31", "=1000", "=50", "=400000"],
        ]);
        let (status, v) = import(&app, &w.pingan, mixed, false).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(problems(&v), [(3, "保险机构*".to_owned(), "other_insurer".to_owned())]);
        assert!(v["error"]["rows"][0]["message"].as_str().unwrap().contains("只能登记本机构（平安财险）"));
        assert_eq!(policy_count(&app, &w.reg).await, 0);

        let own = workbook(&[[a, "平安财险", "PA-1", "2027-01-01", "2027-12-31", "=1000", "=50", "=400000"]]);
        let (status, v) = import(&app, &w.pingan, own.clone(), false).await;
        assert_eq!((status, v["imported"].as_u64()), (StatusCode::OK, Some(1)), "{v}");
        let (_, list) = app.get(&w.pingan.token, "/api/v1/insurance-policies").await;
        assert_eq!((list["total"].as_u64(), list["items"][0]["insurer"].as_str()), (Some(1), Some("平安财险")));
        let (_, list) = app.get(&w.renbao.token, "/api/v1/insurance-policies").await;
        assert_eq!(list["total"], 0, "{list}");

        let e = app.user("fzr").role(Role::Principal).enterprise(w.ids[0]).create().await;
        let (status, _) = import(&app, &e, own, true).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "an enterprise does not import policies");
    })
    .await;
}

#[tokio::test]
async fn a_policy_number_already_stored_with_other_details_is_refused() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = app.enterprise(&w.reg.token, enterprise_body(&code("420103", 5), "五号厂", "fireworks", "fw_wholesale", "420103")).await;
        let body = json!({"enterprise_id": id, "insurer": "平安财险", "policy_no": "PA-9", "starts_on": "2027-01-01",
            "ends_on": "2027-12-31", "premium_yuan": 1000, "insured_headcount": 10, "death_disability_limit_yuan": 400_000});
        let (status, v) = app.post(&w.reg.token, "/api/v1/insurance-policies", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let c = code("420103", 5);
        let changed = workbook(&[[&c, "平安财险", "PA-9", "2027-01-01", "2027-12-31", "=1000", "=10", "=500000"]]);
        let (status, v) = import(&app, &w.reg, changed, true).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(problems(&v), [(2, "保单号*".to_owned(), "policy_no_taken".to_owned())]);
        assert_eq!(v["error"]["rows"][0]["message"], "该保险机构已登记此保单号");
        let same = workbook(&[[&c, "平安财险", "PA-9", "2027/1/1", "@2027-12-31", "1000", "10", "400000"]]);
        let (status, v) = import(&app, &w.reg, same, false).await;
        assert_eq!((status, v["already_recorded"].as_u64(), v["imported"].as_u64()), (StatusCode::OK, Some(1), Some(0)));
        assert_eq!(policy_count(&app, &w.reg).await, 1);
    })
    .await;
}

#[tokio::test]
async fn the_shipped_sample_imports_once_its_enterprises_and_insurer_exist() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        for (i, body) in ["91420103MA4K00001", "91420103MA4K00002"].iter().enumerate() {
            let c = anjian::enterprise::domain::CreditCode::from_body(body).unwrap().as_str().to_owned();
            let name = format!("示例{i}号");
            app.enterprise(&reg.token, enterprise_body(&c, &name, "hazardous_chemicals", "hc_production", "420103"))
                .await;
        }
        app.user("sample").role(Role::Insurer).insurer("示例财产保险股份有限公司").create().await;
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/imports/insurance-policies.xlsx")).unwrap();
        let (status, v) = import(&app, &reg, bytes, true).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["imported"], 2, "{v}");
    })
    .await;
}

#[tokio::test]
async fn the_pages_check_then_confirm_and_list_each_rows_problems() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let cookie = format!("anjian_session={}", w.reg.token);
        let html =
            http.get(app.url("/insurance")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"import-policies\""), "the insurance page links the import");
        let res = http.get(app.url("/insurance/policies/import")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let form = |bytes: Vec<u8>| {
            reqwest::multipart::Form::new()
                .text("csrf_token", w.reg.csrf.clone())
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name("保单.xlsx"))
        };
        let a = w.codes[0].as_str();
        let good = workbook(&[[a, "平安财险", "PA-1", "2027-01-01", "2027-12-31", "=1000", "=50", "=400000"]]);
        let res =
            http.post(app.url("/insurance/policies/import")).header("cookie", &cookie).multipart(form(good)).send();
        let html = res.await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"count-imported\">1<") && html.contains("PA-1"), "{html}");
        let start = html.find("name=\"upload_id\" value=\"").unwrap() + "name=\"upload_id\" value=\"".len();
        let upload_id = &html[start..start + html[start..].find('"').unwrap()];
        let res = http
            .post(app.url("/insurance/policies/import/confirm"))
            .header("cookie", &cookie)
            .form(&[("csrf_token", w.reg.csrf.as_str()), ("upload_id", upload_id)])
            .send()
            .await
            .unwrap();
        assert!(res.text().await.unwrap().contains("已导入"));
        assert_eq!(policy_count(&app, &w.reg).await, 1);

        let bad = workbook(&[
            [a, "无名保险", "X-1", "2027-01-01", "2027-12-31", "=1000", "=50", "=400000"],
            [a, "平安财险", "X-2", "2027-01-01", "2027-12-31", "=0", "=50", "=400000"],
        ]);
        let res =
            http.post(app.url("/insurance/policies/import")).header("cookie", &cookie).multipart(form(bad)).send();
        let res = res.await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("保险机构未登记") && html.contains("保费须在 1 到"), "{html}");
        let principal = app.user("fzr").role(Role::Principal).enterprise(w.ids[0]).create().await;
        let res = http
            .get(app.url("/insurance/policies/import"))
            .header("cookie", format!("anjian_session={}", principal.token))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[test]
fn the_cli_generates_the_sample_and_imports_as_a_named_user() {
    use crate::process::anjian;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db").display().to_string();
    let sample = dir.path().join("policies.xlsx").display().to_string();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    for args in [&["migrate"][..], &["gen", "insurance-template", &sample]] {
        let out = anjian(&db, args, "");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
    let committed = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/imports/insurance-policies.xlsx")).unwrap();
    assert_eq!(
        std::fs::read(&sample).unwrap(),
        committed,
        "run `anjian gen insurance-template imports/insurance-policies.xlsx`"
    );
    let add = ["user", "add", "--username", "ins", "--role", "insurer", "--insurer", "示例财产保险股份有限公司"];
    let out = anjian(&db, &add, "long-enough-password-1\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The sample's enterprises are not in this register: each row says so, nothing is written.
    let out = anjian(&db, &["import", "insurance-policies", &sample, "--dry-run", "--as", "ins"], "");
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("第 2 行 [统一社会信用代码*] unknown_enterprise"), "{err}");
    assert!(err.contains("第 3 行 [统一社会信用代码*] unknown_enterprise"), "{err}");
    let out = anjian(&db, &["import", "insurance-policies", &sample, "--as", "nobody"], "");
    assert!(!out.status.success() && text(&out.stderr).contains("nobody"), "{}", text(&out.stderr));
}
