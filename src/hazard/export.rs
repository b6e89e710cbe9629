//! The major-hazard list (一单) as a workbook: one row per hazard with its
//! 交办 / 台账 / 销号 / 通报 columns, as the list page shows them. Text is cut
//! to what an Excel cell holds (`limits::cell`), so older, longer rows export.

use super::json::MajorHazardRow;
use crate::limits::cell;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const HEADERS: [&str; 12] = [
    "编号",
    "隐患",
    "企业",
    "状态",
    "交办单位（责任单位）",
    "督办级别",
    "督办文号",
    "台账条数",
    "销号",
    "通报",
    "整改期限",
    "剩余/逾期天数",
];

fn level_zh(level: Option<&str>) -> &'static str {
    match level {
        Some("province") => "省级",
        Some("city") => "市级",
        Some("county") => "县级",
        Some("none") => "不挂牌",
        _ => "",
    }
}

pub fn workbook(rows: &[MajorHazardRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("重大事故隐患清单")?;
    let bold = Format::new().set_bold();
    for (c, h) in (0_u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, c, h, &bold)?;
    }
    for (r, row) in (1_u32..).zip(rows) {
        sheet.write_number(r, 0, f64::from(u32::try_from(row.id).unwrap_or(u32::MAX)))?;
        sheet.write_string(r, 1, cell(&row.title))?;
        sheet.write_string(r, 2, cell(row.enterprise_name.as_deref().unwrap_or("未登记主体")))?;
        sheet.write_string(r, 3, row.status.zh())?;
        sheet.write_string(r, 4, cell(row.assigned_to.as_deref().unwrap_or("未交办")))?;
        sheet.write_string(r, 5, level_zh(row.supervision_level.as_deref()))?;
        sheet.write_string(r, 6, cell(row.notice_no.as_deref().unwrap_or_default()))?;
        sheet.write_number(r, 7, f64::from(u32::try_from(row.ledger_entries).unwrap_or(u32::MAX)))?;
        sheet.write_string(r, 8, if row.closed { "已销号" } else { "未销号" })?;
        sheet.write_string(r, 9, if row.notified { "已通报" } else { "" })?;
        sheet.write_string(r, 10, row.deadline.map(|d| d.to_string()).unwrap_or_default())?;
        if let Some(d) = row.days_left {
            sheet.write_number(r, 11, f64::from(i32::try_from(d).unwrap_or(i32::MIN)))?;
        }
    }
    sheet.autofit();
    book.save_to_buffer()
}
