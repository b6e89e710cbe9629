//! 三清单: an enterprise's 风险分级管控清单, 管控措施清单 and 应急处置措施清单 as
//! workbooks (`GET /api/v1/enterprises/{id}/risk-points.xlsx?list=risk|control|emergency`).
//! One path with a `list` parameter, since the three are the same points seen three
//! ways. Each has a title row (the enterprise, the list, the date, the rules version),
//! a header row and one row per point, red first, at most [`super::service::MAX_LISTED`]
//! points (the cut said in the sheet). Every code is in Chinese; text is cut to what a
//! cell holds.

use super::json::{RiskPointList, RiskPointResponse};
use crate::limits::cell;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;

/// Which of the three lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// 风险分级管控清单.
    #[default]
    Risk,
    /// 管控措施清单.
    Control,
    /// 应急处置措施清单.
    Emergency,
}

impl ListKind {
    pub const ALL: [Self; 3] = [Self::Risk, Self::Control, Self::Emergency];

    pub fn zh(self) -> &'static str {
        match self {
            Self::Risk => "风险分级管控清单",
            Self::Control => "管控措施清单",
            Self::Emergency => "应急处置措施清单",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Risk => "risk",
            Self::Control => "control",
            Self::Emergency => "emergency",
        }
    }

    fn headers(self) -> &'static [&'static str] {
        match self {
            Self::Risk => &[
                "序号",
                "风险点名称",
                "位置",
                "危险有害因素",
                "评价方法",
                "L",
                "E",
                "C",
                "S",
                "风险值",
                "风险等级",
                "直接判定为重大风险的情形",
                "管控层级",
                "责任人",
                "复核日期",
            ],
            Self::Control => {
                &["序号", "风险点名称", "位置", "风险等级", "危险有害因素", "管控措施", "管控层级", "责任人"]
            }
            Self::Emergency => &["序号", "风险点名称", "位置", "风险等级", "危险有害因素", "应急处置措施", "责任人"],
        }
    }
}

/// The query of the lists' download.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `risk` (风险分级管控清单, the default), `control` (管控措施清单) or `emergency` (应急处置措施清单).
    #[serde(default)]
    #[param(inline)]
    pub list: ListKind,
}

fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() { "—" } else { s }
}

/// The cells of one point in a list, after its number.
fn cells(kind: ListKind, p: &RiskPointResponse) -> Vec<String> {
    let level = p.level_label.as_str();
    match kind {
        ListKind::Risk => {
            let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
            let why: Vec<&str> = p.direct_red.iter().map(|d| d.label.as_str()).collect();
            vec![
                p.name.clone(),
                p.location.clone(),
                p.hazard_factors.clone(),
                p.method.zh().to_owned(),
                p.l.to_string(),
                opt(p.e),
                opt(p.c),
                opt(p.s),
                p.score.to_string(),
                level.to_owned(),
                why.join("；"),
                p.owning_level.zh().to_owned(),
                p.responsible_person.clone(),
                p.review_due.to_string(),
            ]
        }
        ListKind::Control => vec![
            p.name.clone(),
            p.location.clone(),
            level.to_owned(),
            p.hazard_factors.clone(),
            or_dash(&p.control_measures).to_owned(),
            p.owning_level.zh().to_owned(),
            p.responsible_person.clone(),
        ],
        ListKind::Emergency => vec![
            p.name.clone(),
            p.location.clone(),
            level.to_owned(),
            p.hazard_factors.clone(),
            or_dash(&p.emergency_measures).to_owned(),
            p.responsible_person.clone(),
        ],
    }
}

/// The workbook of one list.
pub fn workbook(
    kind: ListKind,
    enterprise: &str,
    list: &RiskPointList,
    today: NaiveDate,
    rules_version: &str,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name(kind.zh())?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let title = format!("{enterprise} {}（{today}，评定规则 {rules_version}）", kind.zh());
    sheet.write_string_with_format(0, 0, cell(&title), &bold)?;
    for (c, h) in (0_u16..).zip(kind.headers()) {
        sheet.write_string_with_format(1, c, *h, &bold)?;
        sheet.set_column_width(c, if c == 0 { 6 } else { 18 })?;
    }
    for (r, (n, p)) in (2_u32..).zip((1_u32..).zip(&list.items)) {
        sheet.write_number(r, 0, n)?;
        let texts = cells(kind, p);
        for (c, t) in (1_u16..).zip(&texts) {
            sheet.write_string_with_format(r, c, cell(t), &wrap)?;
        }
    }
    let shown = u64::try_from(list.items.len()).unwrap_or(u64::MAX);
    if list.total > shown {
        let r = u32::try_from(list.items.len()).unwrap_or(u32::MAX).saturating_add(2);
        let note = format!("共 {} 个风险点，本表仅列出前 {shown} 个（按风险等级从高到低）。", list.total);
        sheet.write_string(r, 0, note)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    book.save_to_buffer()
}
