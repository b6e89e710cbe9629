//! Reading one policy row on its own (no database): every problem of the row at
//! once. The cells become the same [`CreateInsurancePolicy`] the API takes and are
//! checked by the same [`service::check_body`], so a limit under 1 yuan, a term over
//! three years or an over-long policy number is a row error worded as in the form,
//! under the column it came from.

use super::columns::{self as col, Columns, column_of, row_error};
use crate::enterprise::import::parse::credit_code_of;
use crate::error::RowError;
use crate::insurance::json::CreateInsurancePolicy;
use crate::insurance::service;
use crate::xlsx::read::{Cell, Row};
use chrono::NaiveDate;

/// A row that passed every check that needs no database.
#[derive(Debug, Clone)]
pub struct ParsedPolicy {
    pub row: u32,
    pub credit_code: String,
    /// The body as the API takes it; `enterprise_id` is 0 until the register names it.
    pub body: CreateInsurancePolicy,
}

struct Reader<'a> {
    cols: &'a Columns,
    row: &'a Row,
    errors: Vec<RowError>,
}

impl Reader<'_> {
    fn cell(&self, name: &str) -> Option<&Cell> {
        self.cols.index(name).and_then(|i| self.row.cells.get(i))
    }

    fn fail(&mut self, name: &str, code: &str, message: impl Into<String>) {
        self.errors.push(row_error(self.row.number, &self.cols.header(name), code, message));
    }

    fn failed(&self, name: &str) -> bool {
        let header = self.cols.header(name);
        self.errors.iter().any(|e| e.column == header)
    }

    /// The cell as text, trimmed (empty when absent): checked by the form's own rules.
    fn text(&self, name: &str) -> String {
        self.cell(name).and_then(Cell::as_text).unwrap_or_default()
    }

    fn missing(&mut self, name: &str) -> bool {
        let empty = self.cell(name).and_then(Cell::as_text).is_none();
        if empty {
            self.fail(name, "missing_required", "必填项为空");
        }
        empty
    }

    fn credit_code(&mut self) -> Option<String> {
        if self.missing(col::CREDIT_CODE) {
            return None;
        }
        let text = self.text(col::CREDIT_CODE);
        match credit_code_of(&text) {
            Ok(code) => Some(code.as_str().to_owned()),
            Err((code, message)) => {
                self.fail(col::CREDIT_CODE, code, message);
                None
            }
        }
    }

    /// A date cell, or text 2027-01-01, 2027/1/1 (also 20270101 or a serial number).
    fn date(&mut self, name: &str) -> Option<NaiveDate> {
        if self.missing(name) {
            return None;
        }
        let read = self.cell(name).map_or(Ok(None), crate::hazard::import::parse::cell_date);
        if read.is_err() {
            let t = crate::limits::preview(&self.text(name));
            let msg = format!("日期格式不正确：“{t}”（应为 2027-01-01、2027/1/1 或 Excel 日期）");
            self.fail(name, "invalid_date", msg);
        }
        read.ok().flatten()
    }

    /// A whole number from a number cell or text (`12,000`, `12000元`); a value past
    /// the integer range saturates, so the form's bounds answer it.
    fn whole(&mut self, name: &str) -> Option<i64> {
        if self.missing(name) {
            return None;
        }
        let value = if let Some(Cell::Number(n)) = self.cell(name) {
            Some(*n)
        } else {
            let t = self.text(name);
            t.trim_end_matches(['元', '人']).replace([',', '，'], "").trim().parse::<f64>().ok()
        };
        let Some(v) = value.filter(|v| v.is_finite()) else {
            let t = crate::limits::preview(&self.text(name));
            self.fail(name, "invalid_number", format!("“{t}”不是数字"));
            return None;
        };
        if v.fract() != 0.0 {
            self.fail(name, "invalid_number", format!("{v} 不是整数"));
            return None;
        }
        #[allow(clippy::cast_possible_truncation)]
        Some(v as i64)
    }
}

/// The error code of one of the form's messages.
fn code_of(message: &str) -> &'static str {
    if message.starts_with("请填写") {
        "missing_required"
    } else if message.contains("不超过") && message.contains('字') {
        "too_long"
    } else if message.starts_with("日期须在") {
        "date_out_of_range"
    } else {
        "invalid_value"
    }
}

/// Checks one row against everything but the database.
pub fn parse_row(cols: &Columns, row: &Row) -> Result<ParsedPolicy, Vec<RowError>> {
    let mut rd = Reader { cols, row, errors: Vec::new() };
    let credit_code = rd.credit_code();
    let (starts_on, ends_on) = (rd.date(col::STARTS_ON), rd.date(col::ENDS_ON));
    let [premium, headcount, limit] = [col::PREMIUM, col::HEADCOUNT, col::LIMIT].map(|c| rd.whole(c));
    // A value that could not be read stands in as a valid one: its own error says it.
    let fallback = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let body = CreateInsurancePolicy {
        enterprise_id: 0,
        insurer: rd.text(col::INSURER),
        policy_no: rd.text(col::POLICY_NO),
        starts_on: starts_on.or(ends_on).unwrap_or(fallback),
        ends_on: ends_on.or(starts_on).unwrap_or(fallback),
        premium_yuan: premium.unwrap_or(1),
        insured_headcount: headcount
            .map_or(1, |n| i32::try_from(n.clamp(i32::MIN.into(), i32::MAX.into())).unwrap_or(1)),
        death_disability_limit_yuan: limit.unwrap_or(1),
    };
    for (field, messages) in service::check_body(&body) {
        let name = column_of(&field);
        if rd.failed(name) {
            continue;
        }
        for m in messages {
            rd.fail(name, code_of(&m), m);
        }
    }
    match credit_code {
        Some(credit_code) if rd.errors.is_empty() => Ok(ParsedPolicy { row: row.number, credit_code, body }),
        _ => Err(rd.errors),
    }
}
