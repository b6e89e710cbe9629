//! Reading the inputs workbooks without the database: the committed templates, and
//! every problem of every row.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::xlsx::testing::book;

fn jianghan() -> Enterer {
    let bureau = crate::entities::bureau::Model {
        id: 1,
        code: "420103".to_owned(),
        name: "江汉区应急管理局".to_owned(),
        kind: "county".to_owned(),
        parent_id: None,
        region_code: "420103".to_owned(),
        path: "/1/".to_owned(),
        created_at: chrono::DateTime::default(),
    };
    Enterer { user_id: 1, bureau }
}

#[test]
fn the_committed_templates_are_current_and_read_clean() {
    let hint = "run `anjian gen denominators-template imports/denominators.xlsx` and \
                `anjian gen indicator-targets-template imports/indicator-targets.xlsx`";
    let read = |b: &[u8]| format!("{:?}", read_first_sheet(b, &LIMITS));
    let committed: [(&[u8], Vec<u8>, Kind); 2] = [
        (
            include_bytes!("../../../../imports/denominators.xlsx"),
            templates::denominators().unwrap(),
            Kind::Denominators,
        ),
        (include_bytes!("../../../../imports/indicator-targets.xlsx"), templates::targets().unwrap(), Kind::Targets),
    ];
    for (bytes, generated, kind) in committed {
        assert_eq!(read(bytes), read(&generated), "{hint}");
        let parsed = parse(kind, &jianghan(), bytes).unwrap();
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors.into_rejection());
        assert_eq!(parsed.rows.len(), 2);
    }
}

#[test]
fn every_problem_of_every_row_is_found() {
    let header = ["地区代码*", "地区名称", "年份*", "地区生产总值*（亿元）", "工矿商贸就业人员*（人）", "来源*"];
    let bytes = book(&[
        &header,
        &["420103", "江汉区", "=2020", "1,300.5亿元", "160000人", "公报"],
        &["420111", "洪山区", "abc", "=-1", "=1.5", ""],
        &["420103", "", "=2020", "=1", "", "又一次"],
        &["420103", "", "=2021", "", "", "公报"],
    ]);
    let parsed = parse(Kind::Denominators, &jianghan(), &bytes).unwrap();
    assert_eq!(parsed.rows.len(), 1);
    let r = parsed.errors.into_rejection();
    let got: Vec<(u32, &str, &str)> = r.rows.iter().map(|e| (e.row, e.column.as_str(), e.code.as_str())).collect();
    assert_eq!(
        got,
        [
            (3, "年份*", "invalid_number"),
            (3, "工矿商贸就业人员*（人）", "invalid_number"),
            (3, "地区生产总值*（亿元）", "invalid_value"),
            (3, "地区代码*", "unknown_region"),
            (3, "来源*", "missing_required"),
            (4, "地区代码*", "duplicate_in_file"),
            (5, "地区生产总值*（亿元）", "invalid_value"),
        ],
        "{r:?}"
    );
}
