//! The blank checklist upload template, `imports/checklist.xlsx`: the sheet
//! 检查表信息 (header), the sheet 检查项 (items, with drop-downs for 隐患级别 and
//! 已核实) and a sheet of instructions.

use super::import::{HEADER_SHEET, ITEMS_SHEET, KEYS, LIMITS};
use super::rows::COLUMNS;
use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DocProperties, Format, Workbook, XlsxError};

/// The template's bytes; the same on every run.
pub fn workbook() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default();
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let head = book.add_worksheet().set_name(HEADER_SHEET)?;
    head.write_string_with_format(0, 0, "项目", &bold)?;
    head.write_string_with_format(0, 1, "内容", &bold)?;
    for (row, key) in (1_u32..).zip(KEYS) {
        head.write_string(row, 0, key)?;
    }
    head.set_column_width(0, 12)?;
    head.set_column_width(1, 48)?;
    let items = book.add_worksheet().set_name(ITEMS_SHEET)?;
    let widths = [16, 10, 48, 36, 10, 30, 16, 16, 16, 10];
    for (col, (header, width)) in (0_u16..).zip(COLUMNS.iter().zip(widths)) {
        let label = match *header {
            "隐患级别" => "隐患级别(重大/一般)",
            "已核实" => "已核实(是/否)",
            h => h,
        };
        items.write_string_with_format(0, col, label, &bold)?;
        items.set_column_width(col, width)?;
    }
    let severity = DataValidation::new().allow_list_strings(&["重大", "一般"])?;
    items.add_data_validation(1, 4, LIMITS.max_rows, 4, &severity)?;
    let yes_no = DataValidation::new().allow_list_strings(&["是", "否"])?;
    items.add_data_validation(1, 9, LIMITS.max_rows, 9, &yes_no)?;
    items.set_freeze_panes(1, 0)?;
    let notes = book.add_worksheet().set_name("填写说明")?;
    let lines = [
        "“检查表信息”：编号（本机构内唯一，不得与国家检查表相同）、名称、版本、施行日期（如 2026-12-01）必填；发布机关、文号可不填。",
        "“检查项”：每行一个检查项；章节、编号、检查内容、判定依据、隐患级别必填。同一章节的检查项按出现顺序归入该章节。",
        "编号在本表内不能重复，也不能与国家检查表或本机构、上级、下级机构现行检查表的编号相同。",
        "隐患级别：重大 或 一般（未通过该项时的隐患级别）。",
        "适用行业、适用企业类型、适用专项：可填多个，用“、”分隔；不填表示不限。企业类型在多个行业都有时写成“危险化学品生产”。",
        "已核实：检查内容是否已与正式文件原文核对（是/否，不填为否）；未核实的检查项在检查中显示“未核实”，须检查人员确认后才可作为文书依据。",
        "再次上传同一编号的检查表会生成新版本，旧版本保留，已使用旧版本的检查记录不受影响。",
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
    use crate::error::AppError;

    #[test]
    fn the_blank_template_is_read_and_asks_for_its_header_and_items() {
        let Err(AppError::ImportRejected(r)) = super::super::import::parse(&workbook().unwrap()) else {
            panic!("a blank template must be rejected")
        };
        let codes: Vec<_> = r.rows.iter().map(|e| e.code.as_str()).collect();
        assert!(codes.contains(&"missing_required") && codes.contains(&"no_items"), "{codes:?}");
    }

    #[test]
    fn the_committed_template_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/imports/checklist.xlsx");
        if std::env::var_os("ANJIAN_WRITE_TEMPLATES").is_some() {
            std::fs::write(path, workbook().unwrap()).unwrap();
        }
        let committed = std::fs::read(path).unwrap();
        let read = |b: &[u8]| {
            let items = crate::xlsx::read::read_named_sheet(b, &LIMITS, ITEMS_SHEET).unwrap();
            let head = crate::xlsx::read::read_named_sheet(b, &LIMITS, HEADER_SHEET).unwrap();
            format!("{items:?}{head:?}")
        };
        assert_eq!(read(&committed), read(&workbook().unwrap()), "run with ANJIAN_WRITE_TEMPLATES=1");
    }
}
