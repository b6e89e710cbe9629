//! The major-hazard list (一单) as a workbook: one row per hazard with its
//! sector, region, 判定依据, 交办 (交办单位 is the assigning body; the
//! responsible unit has its own column), 治理方案 (五定), funds, suspension,
//! 双报告, 台账, 销号 and 通报. Rows are appended a batch at a time. Text is
//! cut to what an Excel cell holds (`limits::cell`), so older, longer rows export.

use super::major::MajorHazardRow;
use crate::limits::cell;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

const HEADERS: [&str; 29] = [
    "编号",
    "隐患",
    "企业",
    "状态",
    "行业",
    "所在地区",
    "隐患类别",
    "判定依据",
    "交办单位",
    "督办级别",
    "督办文号",
    "责任单位",
    "责任人",
    "治理措施",
    "治理责任人",
    "治理资金（元）",
    "治理时限",
    "应急预案",
    "已投入资金（元）",
    "停产停业、停止使用",
    "双报告",
    "报告日期",
    "报告职代会日期",
    "台账条数",
    "销号",
    "通报",
    "整改期限",
    "剩余/逾期天数",
    "是否逾期",
];

fn level_zh(level: Option<&str>) -> &'static str {
    level.and_then(|l| l.parse::<super::domain::SupervisionLevel>().ok()).map_or("", |l| l.zh())
}

fn text(sheet: &mut Worksheet, r: u32, c: u16, v: Option<&str>) -> Result<(), XlsxError> {
    sheet.write_string(r, c, cell(v.unwrap_or_default()))?;
    Ok(())
}

fn number(sheet: &mut Worksheet, r: u32, c: u16, v: Option<f64>) -> Result<(), XlsxError> {
    if let Some(v) = v {
        sheet.write_number(r, c, v)?;
    }
    Ok(())
}

/// The 一单 workbook being written.
pub struct MajorSheet {
    book: Workbook,
    next: u32,
}

impl MajorSheet {
    pub fn new() -> Result<Self, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("重大事故隐患清单")?;
        let bold = Format::new().set_bold();
        for (c, h) in (0_u16..).zip(HEADERS) {
            sheet.write_string_with_format(0, c, h, &bold)?;
        }
        Ok(Self { book, next: 1 })
    }

    /// Writes these rows after the ones written so far.
    pub fn append(&mut self, rows: &[MajorHazardRow]) -> Result<(), XlsxError> {
        let sheet = self.book.worksheet_from_index(0)?;
        for row in rows {
            write_row(sheet, self.next, row)?;
            self.next += 1;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        self.book.worksheet_from_index(0)?.autofit();
        self.book.save_to_buffer()
    }
}

#[allow(clippy::cast_precision_loss)]
fn write_row(sheet: &mut Worksheet, r: u32, row: &MajorHazardRow) -> Result<(), XlsxError> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let plan = row.plan.as_ref();
    sheet.write_number(r, 0, row.id as f64)?;
    text(sheet, r, 1, Some(&row.title))?;
    text(sheet, r, 2, Some(row.enterprise_name.as_deref().unwrap_or("未登记主体")))?;
    text(sheet, r, 3, Some(row.status.zh()))?;
    text(sheet, r, 4, row.sector.map(crate::enterprise::domain::Sector::zh))?;
    text(sheet, r, 5, Some(row.region_name.as_deref().unwrap_or(&row.region_code)))?;
    text(sheet, r, 6, Some(row.category_name.as_deref().unwrap_or(&row.category)))?;
    text(sheet, r, 7, row.checklist_item_code.as_deref())?;
    text(sheet, r, 8, Some(row.assigning_body.as_deref().unwrap_or("未交办")))?;
    text(sheet, r, 9, Some(level_zh(row.supervision_level.as_deref())))?;
    text(sheet, r, 10, row.notice_no.as_deref())?;
    text(sheet, r, 11, row.assigned_to.as_deref())?;
    text(sheet, r, 12, row.responsible_person.as_deref())?;
    text(sheet, r, 13, plan.map(|p| p.measures.as_str()))?;
    text(sheet, r, 14, plan.map(|p| p.responsible_person.as_str()))?;
    number(sheet, r, 15, plan.map(|p| p.funds))?;
    text(sheet, r, 16, date(plan.map(|p| p.deadline)).as_deref())?;
    text(sheet, r, 17, plan.map(|p| p.emergency_plan.as_str()))?;
    number(sheet, r, 18, row.funds_spent)?;
    text(sheet, r, 19, Some(if row.suspended { "是" } else { "否" }))?;
    text(sheet, r, 20, Some(if row.report_filed { "已报告" } else { "未报告" }))?;
    text(sheet, r, 21, date(row.reported_at.map(crate::clock::china_date)).as_deref())?;
    text(sheet, r, 22, date(row.congress_reported_on).as_deref())?;
    sheet.write_number(r, 23, row.ledger_entries as f64)?;
    text(sheet, r, 24, Some(if row.closed { "已销号" } else { "未销号" }))?;
    let notified = row.notified_in.as_ref().map(|b| format!("已通报（{}）", b.period()));
    text(sheet, r, 25, notified.as_deref())?;
    text(sheet, r, 26, date(row.deadline).as_deref())?;
    number(sheet, r, 27, row.days_left.map(|d| d as f64))?;
    text(sheet, r, 28, Some(if row.overdue { "逾期" } else { "否" }))?;
    Ok(())
}
