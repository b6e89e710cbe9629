//! Roster import end to end with the committed spreadsheets under
//! `imports/samples/` (its README says how each was made): every good file
//! imports, the bad one lists every error and writes nothing, dry runs preview
//! field diffs, an import never touches status or supervising bureau, an export
//! imports back unchanged, broken uploads are clear 400s, only regulators
//! import, and `anjian import enterprises` does the same from the command line.

mod cli;
mod files;
mod rules;

#[path = "../../../imports/samples/generate.rs"]
pub(super) mod generate;

use crate::helpers::{TestApp, TestUser, enterprise_body, on_each_backend};
use anjian::auth::Role;
use anjian::xlsx::read::{Limits, read_first_sheet};
use generate::{GOOD_ROWS, TEMPLATE, typed_workbook};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::process::Output;

pub(super) const IMPORT: &str = "/api/v1/enterprises/import";
pub(super) const DRY_RUN: &str = "/api/v1/enterprises/import?dry_run=true";

pub(super) const TEMPLATE_FILE: &[u8] = include_bytes!("../../../imports/enterprises.xlsx");
pub(super) const GOOD_RUST: &[u8] = include_bytes!("../../../imports/samples/good-rust_xlsxwriter.xlsx");
pub(super) const GOOD_LIBREOFFICE: &[u8] = include_bytes!("../../../imports/samples/good-libreoffice.xlsx");
pub(super) const GOOD_V1: &[u8] = include_bytes!("../../../imports/samples/good-v1.xlsx");
pub(super) const LEGACY_XLS: &[u8] = include_bytes!("../../../imports/samples/legacy.xls");
pub(super) const BAD: &[u8] = include_bytes!("../../../imports/samples/bad-every-error.xlsx");
pub(super) const BAD_XLS: &[u8] = include_bytes!("../../../imports/samples/bad-every-error.xls");
pub(super) const ABSURD: &[u8] = include_bytes!("../../../imports/samples/absurd-dimension.xlsx");
pub(super) const TRUNCATED: &[u8] = include_bytes!("../../../imports/samples/malformed-truncated.xlsx");
pub(super) const NOT_SPREADSHEET: &[u8] = include_bytes!("../../../imports/samples/not-a-spreadsheet.xlsx");
pub(super) const WORD_DOCUMENT: &[u8] = include_bytes!("../../../imports/samples/word-document.xlsx");

/// (Excel row, column header, code) of every error in `bad-every-error.xlsx`
/// when a 武汉市 (420100) regulator imports it.
pub(super) const BAD_ERRORS: [(u64, &str, &str); 13] = [
    (3, "统一社会信用代码", "invalid_credit_code"),
    (4, "统一社会信用代码", "invalid_check_digit"),
    (6, "统一社会信用代码", "duplicate_in_file"),
    (7, "行业", "unknown_sector"),
    (8, "细分类别", "unknown_sub_type"),
    (10, "涉及专项", "unknown_topic"),
    (11, "行政区划代码", "invalid_region"),
    (12, "从业人员数", "invalid_number"),
    (13, "许可证有效期至", "invalid_date"),
    (14, "企业名称", "missing_required"),
    (15, "统一社会信用代码", "duplicate_in_file"),
    (17, "行政区划代码", "out_of_jurisdiction"),
    (18, "涉及专项", "unknown_topic"),
];

pub(super) type RowErrors = BTreeSet<(u64, String, String)>;

pub(super) fn expected(errors: &[(u64, &str, &str)]) -> RowErrors {
    errors.iter().map(|(r, c, k)| (*r, (*c).to_owned(), (*k).to_owned())).collect()
}

/// A regulator of 湖北省应急管理厅, whose territory covers every sample.
pub(super) async fn province_regulator(app: &TestApp) -> TestUser {
    app.user("sheng_jg").role(Role::Regulator).region("420000").create().await
}

/// A real import that must succeed; returns `(imported, updated, unchanged)`.
pub(super) async fn import(app: &TestApp, token: &str, name: &str, bytes: &[u8]) -> (u64, u64, u64) {
    let (status, v) = app.upload(token, IMPORT, name, bytes.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "importing {name}: {v}");
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("no {k} in {v}"));
    (n("imported"), n("updated"), n("unchanged"))
}

/// A dry run that must pass; returns the preview.
pub(super) async fn preview(app: &TestApp, token: &str, name: &str, bytes: &[u8]) -> Value {
    let (status, v) = app.upload(token, DRY_RUN, name, bytes.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "previewing {name}: {v}");
    assert_eq!(v["dry_run"], true, "{v}");
    v
}

pub(super) fn preview_counts(v: &Value) -> (u64, u64, u64) {
    (v["new"].as_u64().unwrap(), v["changed"].as_u64().unwrap(), v["unchanged"].as_u64().unwrap())
}

/// An upload that must be rejected as a whole; returns its row errors.
pub(super) async fn rejected(app: &TestApp, token: &str, path: &str, name: &str, bytes: &[u8]) -> RowErrors {
    let (status, v) = app.upload(token, path, name, bytes.to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {v}");
    assert_eq!(v["error"]["code"], "import_rejected", "{v}");
    let rows = v["error"]["rows"].as_array().unwrap();
    for r in rows {
        assert!(!r["message"].as_str().unwrap().is_empty(), "{r}");
    }
    rows.iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap().to_owned();
            (r["row"].as_u64().unwrap(), text("column"), text("code"))
        })
        .collect()
}

/// An upload that must fail before any row is read; returns the error code.
pub(super) async fn bad_request(app: &TestApp, token: &str, path: &str, name: &str, bytes: &[u8]) -> String {
    let (status, v) = app.upload(token, path, name, bytes.to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {v}");
    assert!(!v["error"]["message"].as_str().unwrap().is_empty(), "{v}");
    v["error"]["code"].as_str().unwrap().to_owned()
}

/// The one enterprise with this credit code, in detail.
pub(super) async fn by_code(app: &TestApp, token: &str, code: &str) -> Value {
    let (status, list) = app.get(token, &format!("/api/v1/enterprises?q={code}")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1, "{code}: {list}");
    let id = list["items"][0]["id"].as_i64().unwrap();
    let (status, e) = app.get(token, &format!("/api/v1/enterprises/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{e}");
    e
}

pub(super) async fn total(app: &TestApp, token: &str) -> u64 {
    let (status, list) = app.get(token, "/api/v1/enterprises").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["total"].as_u64().unwrap()
}

/// Checks the change log and returns its length.
pub(super) async fn audit_ok(app: &TestApp, token: &str) -> u64 {
    let (status, report) = app.get(token, "/api/v1/audit/verify").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["ok"], true, "{report}");
    report["entries"].as_u64().unwrap()
}

/// Codes of the bureaus the user may see (its own and those below), by path.
pub(super) async fn bureau_codes(app: &TestApp, token: &str) -> Vec<(String, Value)> {
    let (status, bureaus) = app.get(token, "/api/v1/bureaus").await;
    assert_eq!(status, StatusCode::OK, "{bureaus}");
    bureaus.as_array().unwrap().iter().map(|b| (b["code"].as_str().unwrap().to_owned(), b["id"].clone())).collect()
}

/// The id of a visible bureau.
pub(super) async fn bureau_id(app: &TestApp, token: &str, code: &str) -> Value {
    let found = bureau_codes(app, token).await.into_iter().find(|(c, _)| c == code);
    found.unwrap_or_else(|| panic!("no bureau {code}")).1
}

/// Kinds of the user's open to-dos.
pub(super) async fn todo_kinds(app: &TestApp, token: &str) -> Vec<String> {
    let (status, todos) = app.get(token, "/api/v1/todos").await;
    assert_eq!(status, StatusCode::OK, "{todos}");
    todos["items"].as_array().unwrap().iter().map(|t| t["kind"].as_str().unwrap().to_owned()).collect()
}

pub(super) fn licence(e: &Value) -> (&str, &str) {
    let l = &e["licences"][0];
    assert_eq!(l["licence_type"], "safety_production", "{e}");
    (l["number"].as_str().unwrap(), l["valid_to"].as_str().unwrap_or(""))
}

/// A row with only the required columns, then `extra` replacing or adding cells.
pub(super) fn minimal(code: &str, region: &str, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let base = [("统一社会信用代码", code), ("企业名称", "某某化工有限公司"), ("行业", "危险化学品")];
    let mut row: Vec<(&'static str, String)> = base
        .into_iter()
        .chain([("细分类别", "生产"), ("行政区划代码", region)])
        .map(|(h, v)| (h, v.to_owned()))
        .collect();
    for (h, v) in extra {
        match row.iter_mut().find(|(k, _)| k == h) {
            Some(cell) => (*v).clone_into(&mut cell.1),
            None => row.push((h, (*v).to_owned())),
        }
    }
    row
}

/// A workbook of rows that share their headers.
pub(super) fn file_of(rows: &[Vec<(&'static str, String)>]) -> Vec<u8> {
    let headers: Vec<&str> = rows[0].iter().map(|(h, _)| *h).collect();
    let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(|(_, v)| v.as_str()).collect()).collect();
    typed_workbook(&headers, &rows).unwrap()
}

pub(super) use crate::process::anjian;

pub(super) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(super) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
