//! A period's statistics as a workbook: one row per enterprise that owes a
//! report in the user's scope, with its state and figures (blank when not
//! submitted), and a totals row over the submitted reports. Names are cut to
//! what an Excel cell holds (`limits::cell`), so older, longer rows export.

use super::domain::ReportStatus;
use super::period::Period;
use super::service::required;
use crate::auth::Scope;
use crate::entities::{enterprise, hazard_statistic as stat};
use crate::error::AppResult;
use crate::limits::cell;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::HashMap;

const HEADERS: [&str; 17] = [
    "统一社会信用代码",
    "企业名称",
    "报送状态",
    "报送时间",
    "排查一般隐患",
    "排查重大隐患",
    "整改一般隐患",
    "整改重大隐患",
    "未整改一般隐患",
    "未整改重大隐患",
    "逾期一般隐患",
    "逾期重大隐患",
    "当期整改率（%）",
    "整改资金（元）",
    "统计期",
    "截止日期",
    "主要负责人确认",
];

/// One line of the sheet.
pub struct Line {
    pub credit_code: String,
    pub name: String,
    pub report: Option<stat::Model>,
}

/// The enterprises that owe a report for the period, with their reports.
pub async fn lines<C: ConnectionTrait>(db: &C, scope: &Scope, period: Period) -> AppResult<Vec<Line>> {
    let ids = crate::enterprise::service::scoped(enterprise::Entity::find(), scope)
        .select_only()
        .column(enterprise::Column::Id)
        .into_query();
    let mut reports: HashMap<i64, stat::Model> = stat::Entity::find()
        .filter(stat::Column::Period.eq(period.to_string()))
        .filter(stat::Column::EnterpriseId.in_subquery(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.enterprise_id, r))
        .collect();
    let rows: Vec<(i64, String, String)> =
        required(crate::enterprise::service::scoped(enterprise::Entity::find(), scope), period)
            .select_only()
            .columns([enterprise::Column::Id, enterprise::Column::CreditCode, enterprise::Column::Name])
            .order_by_asc(enterprise::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, credit_code, name)| Line { credit_code, name, report: reports.remove(&id) })
        .collect())
}

fn state_zh(r: Option<&stat::Model>) -> &'static str {
    match r.map(|r| (r.status.as_str(), r.late)) {
        Some(("submitted", Some(true))) => "逾期报送",
        Some(("submitted", _)) => "按期报送",
        Some(("confirmed", _)) => "已确认未报送",
        Some(("draft", _)) => "草稿",
        _ => "未报送",
    }
}

#[allow(clippy::cast_precision_loss)]
fn figures(r: &stat::Model) -> [f64; 8] {
    [
        r.found_general,
        r.found_major,
        r.rectified_general,
        r.rectified_major,
        r.rectifying_general,
        r.rectifying_major,
        r.overdue_general,
        r.overdue_major,
    ]
    .map(|n| n as f64)
}

#[allow(clippy::cast_precision_loss)]
pub fn workbook(period: Period, lines: &[Line]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("隐患排查治理统计")?;
    let bold = Format::new().set_bold();
    for (c, h) in (0_u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, c, h, &bold)?;
    }
    let mut sums = [0.0_f64; 10];
    let mut r = 1_u32;
    for line in lines {
        sheet.write_string(r, 0, cell(&line.credit_code))?;
        sheet.write_string(r, 1, cell(&line.name))?;
        let report = line.report.as_ref();
        sheet.write_string(r, 2, state_zh(report))?;
        sheet.write_string(r, 14, period.zh())?;
        sheet.write_string(r, 15, period.due().to_string())?;
        if let Some(rep) = report.filter(|rep| rep.status == ReportStatus::Submitted) {
            let at = rep.submitted_at.map(crate::clock::beijing).unwrap_or_default();
            sheet.write_string(r, 3, at)?;
            for (i, v) in figures(rep).into_iter().enumerate() {
                sheet.write_number(r, 4 + u16::try_from(i).unwrap_or(0), v)?;
                sums[i] += v;
            }
            let found = (rep.found_general + rep.found_major) as f64;
            if found > 0.0 {
                sheet.write_number(r, 12, (rep.found_rectified as f64 * 1000.0 / found).round() / 10.0)?;
            }
            sheet.write_number(r, 13, rep.funds_fen as f64 / 100.0)?;
            sums[8] += rep.found_rectified as f64;
            sums[9] += rep.funds_fen as f64;
            sheet.write_string(r, 16, if rep.confirmed_at.is_some() { "已确认" } else { "" })?;
        }
        r += 1;
    }
    sheet.write_string_with_format(r, 1, "合计（已报送）", &bold)?;
    for (i, v) in sums.iter().take(8).enumerate() {
        sheet.write_number_with_format(r, 4 + u16::try_from(i).unwrap_or(0), *v, &bold)?;
    }
    let found = sums[0] + sums[1];
    if found > 0.0 {
        sheet.write_number_with_format(r, 12, (sums[8] * 1000.0 / found).round() / 10.0, &bold)?;
    }
    sheet.write_number_with_format(r, 13, sums[9] / 100.0, &bold)?;
    sheet.autofit();
    book.save_to_buffer()
}
