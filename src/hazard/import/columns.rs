//! The columns of `imports/hazards.xlsx`, matched by header in any order (a
//! `*`, spaces or a bracketed hint in a header are ignored), and the blank
//! template itself (`anjian gen hazard-template FILE`).

use crate::error::RowError;
use crate::hazard::domain::Source;
use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DocProperties, Format, Workbook, XlsxError};

pub const CREDIT_CODE: &str = "统一社会信用代码";
pub const TITLE: &str = "隐患名称";
pub const DESCRIPTION: &str = "隐患描述";
pub const LEVEL: &str = "隐患等级";
pub const SOURCE: &str = "隐患来源";
pub const CATEGORY: &str = "隐患类别";
pub const LOCATION: &str = "隐患部位";
pub const FOUND_ON: &str = "发现日期";
pub const DEADLINE: &str = "整改期限";
pub const STATE: &str = "整改状态";
pub const CLOSED_ON: &str = "销号日期";
pub const FUNDS: &str = "整改资金";
pub const ORIGINAL_REF: &str = "原台账编号";

/// The category dictionary as shipped (the migration's defaults), for the
/// committed template; a download from the pages names the bureau's own.
pub const DEFAULT_CATEGORY_NAMES: [&str; 4] = ["人的不安全行为", "物的危险状态", "管理缺陷", "环境因素"];

/// Every column, required ones first: (header, required, width).
pub const ALL: [(&str, bool, u16); 13] = [
    (CREDIT_CODE, true, 22),
    (TITLE, true, 30),
    (DESCRIPTION, true, 40),
    (LEVEL, true, 10),
    (SOURCE, true, 14),
    (CATEGORY, true, 14),
    (FOUND_ON, true, 12),
    (STATE, true, 10),
    (LOCATION, false, 16),
    (DEADLINE, false, 12),
    (CLOSED_ON, false, 12),
    (FUNDS, false, 12),
    (ORIGINAL_REF, false, 14),
];

/// A header as meant: no spaces, no `*`, nothing from a bracket on (`整改资金（元）`).
fn normalise(header: &str) -> String {
    let cut = header.find(['（', '(']).unwrap_or(header.len());
    header[..cut].chars().filter(|c| !c.is_whitespace() && *c != '*').collect()
}

/// Where each column sits, and its header as written.
pub struct Columns {
    found: Vec<(&'static str, usize, String)>,
}

impl Columns {
    /// Finds the columns; a missing required one is an error on row 1.
    pub fn find(headers: &[String]) -> Result<Self, Vec<RowError>> {
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for (name, required, _) in ALL {
            match headers.iter().position(|h| normalise(h) == name) {
                Some(i) => found.push((name, i, headers[i].clone())),
                None if required => {
                    missing.push(super::parse::row_error(1, name, "missing_column", format!("缺少必需的列“{name}”")));
                }
                None => {}
            }
        }
        if missing.is_empty() { Ok(Self { found }) } else { Err(missing) }
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.found.iter().find(|f| f.0 == name).map(|f| f.1)
    }

    /// The header as the file wrote it (the canonical name when absent).
    pub fn header(&self, name: &str) -> String {
        self.found.iter().find(|f| f.0 == name).map_or_else(|| name.to_owned(), |f| f.2.clone())
    }
}

/// The blank template: headers (required ones marked `*`), drop-downs for the
/// coded columns, and a sheet of instructions. The same bytes on every run.
pub fn template(categories: &[String]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("隐患台账")?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, (name, required, width)) in (0_u16..).zip(ALL) {
        let header = match (name, required) {
            (FUNDS, _) => "整改资金（元）".to_owned(),
            (_, true) => format!("{name}*"),
            _ => name.to_owned(),
        };
        sheet.write_string_with_format(0, c, &header, &bold)?;
        sheet.set_column_width(c, width)?;
        if matches!(name, FOUND_ON | DEADLINE | CLOSED_ON) {
            sheet.set_column_format(c, &date)?;
        }
    }
    let sources: Vec<&str> = Source::ALL.iter().map(|s| s.zh()).collect();
    // Categories get no drop-down: a bureau may have added its own.
    let lists: [(&str, Vec<&str>); 3] =
        [(LEVEL, vec!["一般", "重大"]), (SOURCE, sources.clone()), (STATE, vec!["整改中", "已销号"])];
    for (name, values) in lists {
        let Some(c) = ALL.iter().position(|a| a.0 == name).and_then(|i| u16::try_from(i).ok()) else { continue };
        let v = DataValidation::new().allow_list_strings(&values)?.ignore_blank(true);
        sheet.add_data_validation(1, c, super::LIMITS.max_rows, c, &v)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let notes = book.add_worksheet().set_name("填写说明")?;
    let lines = [
        "每行一条隐患。带 * 的列必填；列的顺序可以调整，按表头识别。整个文件检查通过后才会一次性导入，有任何错误都不写入。".to_owned(),
        "统一社会信用代码：隐患所属企业，须已在企业名录中且在您的监管范围内。请将该列设为文本格式。".to_owned(),
        "隐患等级：一般 或 重大。整改状态：整改中 或 已销号；已销号的须填写销号日期。".to_owned(),
        format!("隐患来源：{}。", sources.join("、")),
        format!("隐患类别：{}（或系统中的类别代码）。", categories.join("、")),
        "日期：2026-11-01 或 2026/11/1，也可用 Excel 日期单元格；发现日期、销号日期不能晚于导入当天，整改期限不能早于发现日期。".to_owned(),
        "执法检查发现、仍在整改的一般隐患须填写整改期限。整改资金以元为单位。".to_owned(),
        "同一企业、同一隐患名称、同一发现日期视为同一条隐患：文件中重复的会报错；系统中已有的会跳过，因此同一文件可以放心重复导入。".to_owned(),
        "导入后：一般隐患按来源由企业、执法人员或监管部门验收销号；仍在整改的重大隐患记为“已认定”，请在系统中补办交办（一单四制）。举报人信息不从表格导入。".to_owned(),
    ];
    for (row, line) in (0_u32..).zip(lines) {
        notes.write_string(row, 0, line)?;
    }
    notes.set_column_width(0, 110)?;
    book.save_to_buffer()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::xlsx::read::read_first_sheet;

    fn defaults() -> Vec<String> {
        DEFAULT_CATEGORY_NAMES.map(str::to_owned).to_vec()
    }

    #[test]
    fn the_template_is_blank_and_its_headers_are_found() {
        let bytes = template(&defaults()).unwrap();
        let sheet = read_first_sheet(&bytes, &super::super::LIMITS).unwrap();
        assert!(sheet.rows.is_empty());
        let cols = Columns::find(&sheet.headers).unwrap();
        for (name, _, _) in ALL {
            assert!(cols.index(name).is_some(), "{name}");
        }
        assert_eq!(cols.header(FUNDS), "整改资金（元）");
        assert_eq!(cols.header(TITLE), "隐患名称*");
    }

    #[test]
    fn the_committed_template_is_current() {
        let committed = include_bytes!("../../../imports/hazards.xlsx");
        let read = |b: &[u8]| format!("{:?}", read_first_sheet(b, &super::super::LIMITS));
        assert_eq!(
            read(committed),
            read(&template(&defaults()).unwrap()),
            "run `anjian gen hazard-template imports/hazards.xlsx`"
        );
    }
}
