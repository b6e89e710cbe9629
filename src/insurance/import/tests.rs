//! Reading policy workbooks without the database: the committed sample, and every problem of every row.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::xlsx::testing::book;

#[test]
fn the_committed_sample_is_current_and_reads_clean() {
    let committed = include_bytes!("../../../imports/insurance-policies.xlsx");
    let read = |b: &[u8]| format!("{:?}", read_first_sheet(b, &LIMITS));
    let hint = "run `anjian gen insurance-template imports/insurance-policies.xlsx`";
    assert_eq!(read(committed), read(&columns::template().unwrap()), "{hint}");
    let parsed = parse(committed).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors.into_rejection());
    let numbers: Vec<&str> = parsed.rows.iter().map(|r| r.body.policy_no.as_str()).collect();
    assert_eq!(numbers, ["AZX2027420100000001", "AZX2027420100000002"]);
}

#[test]
fn every_problem_of_every_row_is_found_with_the_forms_words() {
    let code = crate::enterprise::domain::CreditCode::from_body("91420103MA4K00001").unwrap();
    let c = code.as_str();
    let header = [
        "统一社会信用代码*",
        "保险机构*",
        "保单号*",
        "起保日期*",
        "终止日期*",
        "保费*（元）",
        "参保人数*",
        "每人死亡伤残限额*（元）",
    ];
    let bytes = book(&[
        &header,
        &[c, "甲保险", "P1", "@2027-01-01", "2027/12/31", "=12000", "30人", "400,000元"],
        &["91420103000000000", "", "", "2027-13-01", "1999-01-01", "abc", "=1.5", "=0"],
        &[c, "甲保险", "P3", "2027-01-01", "2031-01-01", "=-1", "=0", "=1e20"],
    ]);
    let parsed = parse(&bytes).unwrap();
    assert_eq!(parsed.rows.len(), 1);
    let b = &parsed.rows[0].body;
    assert_eq!((b.premium_yuan, b.insured_headcount, b.death_disability_limit_yuan), (12_000, 30, 400_000));
    let r = parsed.errors.into_rejection();
    let got: Vec<(u32, &str, &str)> = r.rows.iter().map(|e| (e.row, e.column.as_str(), e.code.as_str())).collect();
    for want in [
        (3, "统一社会信用代码*", "invalid_credit_code"),
        (3, "保险机构*", "missing_required"),
        (3, "保单号*", "missing_required"),
        (3, "起保日期*", "invalid_date"),
        (3, "终止日期*", "date_out_of_range"),
        (3, "保费*（元）", "invalid_number"),
        (3, "参保人数*", "invalid_number"),
        (3, "每人死亡伤残限额*（元）", "invalid_value"),
        (4, "终止日期*", "invalid_value"),
        (4, "保费*（元）", "invalid_value"),
        (4, "参保人数*", "invalid_value"),
        (4, "每人死亡伤残限额*（元）", "invalid_value"),
    ] {
        assert!(got.contains(&want), "missing {want:?} in {got:?}");
    }
    assert_eq!(got.len(), 12, "{got:?}");
    let term = r.rows.iter().find(|e| e.row == 4 && e.column == "终止日期*").unwrap();
    assert_eq!(term.message, "保险期间不能超过三年");
    assert!(r.rows.iter().any(|e| e.message == "请填写保险机构"));
}
