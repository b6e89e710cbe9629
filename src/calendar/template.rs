//! The blank holiday import template, `imports/holidays.xlsx`
//! (`anjian gen holiday-template FILE`): the header row, a 休/班 drop-down on
//! 类型, and a sheet of instructions for the clerk.

use super::import::{DATE, KIND, LIMITS, NAME};
use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DocProperties, Format, Workbook, XlsxError};

/// The template's bytes; the same on every run.
pub fn workbook() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation date, so regenerating gives the same bytes.
    let created = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("节假日")?;
    for (col, (header, width)) in (0_u16..).zip([(DATE, 14), (KIND, 8), (NAME, 24)]) {
        sheet.write_string_with_format(0, col, header, &bold)?;
        sheet.set_column_width(col, width)?;
    }
    sheet.set_column_format(0, &Format::new().set_num_format("yyyy-mm-dd"))?;
    let kinds = DataValidation::new().allow_list_strings(&["休", "班"])?.set_error_message("类型应为“休”或“班”")?;
    sheet.add_data_validation(1, 1, LIMITS.max_rows, 1, &kinds)?;
    sheet.set_freeze_panes(1, 0)?;
    let notes = book.add_worksheet().set_name("填写说明")?;
    let lines = [
        "每行一个与常规不同的日期：日期、类型（休 或 班）、名称（可不填）。列的顺序可以调整，按表头识别。",
        "休：放假的日期（法定节假日，调休、补休的周一至周五）；班：调休上班的周六、周日。",
        "未列出的日期按常规：周一至周五上班，周六、周日休息。",
        "日期：2027-01-01 或 2027/1/1，也可用 Excel 日期单元格；可导入 2000 年至次年的日期，同一日期只能出现一次。",
        "导入的日期优先于系统内置的国务院节假日安排；同一日期再次导入以最后一次为准。请导入全年的完整安排。",
        "整改期限按工作日计算时，超出已发布节假日安排的日期按仅周末休息计算。",
    ];
    for (row, line) in (0_u32..).zip(lines) {
        notes.write_string(row, 0, line)?;
    }
    notes.set_column_width(0, 100)?;
    book.save_to_buffer()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::calendar::import::parse;
    use crate::xlsx::read::read_first_sheet;

    #[test]
    fn the_template_is_blank_and_reads_back_with_its_columns() {
        let bytes = workbook().unwrap();
        assert_eq!(parse(&bytes, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()).unwrap(), vec![]);
        let sheet = read_first_sheet(&bytes, &LIMITS).unwrap();
        assert_eq!(sheet.headers, vec![DATE, KIND, NAME]);
    }

    #[test]
    fn the_committed_template_is_current() {
        let committed = include_bytes!("../../imports/holidays.xlsx");
        let read = |b: &[u8]| format!("{:?}", read_first_sheet(b, &LIMITS));
        assert_eq!(
            read(committed),
            read(&workbook().unwrap()),
            "run `anjian gen holiday-template imports/holidays.xlsx`"
        );
    }
}
