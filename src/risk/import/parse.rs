//! Reading a risk-point workbook on its own (no database): every problem of every row
//! at once. A row becomes the same [`RiskPointBody`] the API takes and is graded by the
//! same [`crate::risk::service::check`], so a value off the LEC tables is a row error
//! worded as in the form, under the column it came from.

use super::columns::{self as col, Columns, row_error};
use crate::error::{AppError, RowError};
use crate::limits;
use crate::risk::domain::{Method, OwningLevel};
use crate::risk::json::RiskPointBody;
use crate::risk::{rules, service};
use crate::xlsx::read::{Cell, Row};

/// A row that passed every check that needs no database.
#[derive(Debug, Clone)]
pub struct ParsedPoint {
    pub row: u32,
    pub body: RiskPointBody,
    pub grade: crate::risk::domain::Grade,
}

fn method_of(t: &str) -> Option<Method> {
    match t.to_uppercase().as_str() {
        "LEC" | "LEC法" | "LEC 法" | "作业条件危险性评价法" => Some(Method::Lec),
        "LS" | "LS法" | "LS 法" | "风险矩阵" | "风险矩阵法" => Some(Method::Ls),
        _ => None,
    }
}

fn owning_of(t: &str) -> Option<OwningLevel> {
    OwningLevel::ALL.iter().copied().find(|o| o.zh() == t || o.zh().trim_end_matches('级') == t)
}

/// The column a field of the body came from.
fn column_of(field: &str) -> &'static str {
    match field {
        "name" => col::NAME,
        "location" => col::LOCATION,
        "hazard_factors" => col::FACTORS,
        "method" => col::METHOD,
        "l" => col::L,
        "e" => col::E,
        "c" => col::C,
        "s" => col::S,
        "control_measures" => col::CONTROL,
        "emergency_measures" => col::EMERGENCY,
        "owning_level" => col::OWNING,
        "installation_grade" => col::GRADE,
        "people_exposed" => col::PEOPLE,
        "fatal_accident_unchanged" => col::FATAL,
        "review_due" => col::REVIEW,
        _ => col::RESPONSIBLE,
    }
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

    /// Text, trimmed (empty when absent); an over-long cell is its one error.
    fn text(&mut self, name: &str, max: usize) -> String {
        let t = self.cell(name).and_then(Cell::as_text).unwrap_or_default();
        if let Some(p) = limits::problem(&t, max) {
            self.fail(name, p.code(), p.cell_message(&t));
            return String::new();
        }
        t
    }

    fn choice<T>(&mut self, name: &str, parse: fn(&str) -> Option<T>, allowed: &str) -> Option<T> {
        let t = self.text(name, limits::SHORT);
        if t.is_empty() {
            self.fail(name, "missing_required", "必填项为空");
            return None;
        }
        let v = parse(&t);
        if v.is_none() {
            self.fail(name, "invalid_value", format!("“{t}”不是可选的值（{allowed}）"));
        }
        v
    }

    fn number(&mut self, name: &str) -> Option<f64> {
        let t = self.text(name, limits::SHORT);
        if t.is_empty() {
            return None;
        }
        let v = t.parse::<f64>().ok().filter(|v| v.is_finite());
        if v.is_none() {
            self.fail(name, "invalid_number", format!("“{t}”不是数字"));
        }
        v
    }

    fn whole<T: TryFrom<i64>>(&mut self, name: &str) -> Option<T> {
        let v = self.number(name)?;
        #[allow(clippy::cast_possible_truncation)]
        let whole = (v.fract() == 0.0 && v.abs() < 1e9).then_some(v as i64).and_then(|n| T::try_from(n).ok());
        if whole.is_none() {
            self.fail(name, "invalid_number", "须为整数");
        }
        whole
    }
}

impl Reader<'_> {
    /// 是 or 否 (empty is 否).
    fn yes_no(&mut self, name: &str) -> bool {
        match self.text(name, limits::SHORT).as_str() {
            "" | "否" | "无" => false,
            "是" | "有" => true,
            other => {
                let msg = format!("“{other}”不是可选的值（是、否）");
                self.fail(name, "invalid_value", msg);
                false
            }
        }
    }

    fn date(&mut self, name: &str) -> Option<chrono::NaiveDate> {
        self.cell(name).map_or(Ok(None), Cell::as_date).unwrap_or_else(|()| {
            self.fail(name, "invalid_date", "日期格式不正确（应为 2027-12-01、2027/12/1 或 Excel 日期）");
            None
        })
    }
}

/// Checks one row against everything but the database.
pub fn parse_row(cols: &Columns, row: &Row, rules: &rules::Rules) -> Result<ParsedPoint, Vec<RowError>> {
    let mut rd = Reader { cols, row, errors: Vec::new() };
    let method = rd.choice(col::METHOD, method_of, "LEC、LS");
    let owning_level = rd.choice(col::OWNING, owning_of, "公司级、车间级、班组级、岗位级");
    let factors = [rd.number(col::L), rd.number(col::E), rd.number(col::C), rd.number(col::S)];
    let installation_grade = rd.whole::<i16>(col::GRADE);
    let people_exposed = rd.whole::<i32>(col::PEOPLE);
    let fatal_accident_unchanged = rd.yes_no(col::FATAL);
    let review_due = rd.date(col::REVIEW);
    let body = RiskPointBody {
        name: rd.text(col::NAME, limits::NAME),
        location: rd.text(col::LOCATION, limits::ADDRESS),
        hazard_factors: rd.text(col::FACTORS, limits::TEXT),
        method: method.unwrap_or(Method::Lec),
        l: factors[0].unwrap_or(f64::NAN),
        e: factors[1],
        c: factors[2],
        s: factors[3],
        control_measures: rd.text(col::CONTROL, limits::TEXT),
        emergency_measures: rd.text(col::EMERGENCY, limits::TEXT),
        owning_level: owning_level.unwrap_or(OwningLevel::Post),
        responsible_person: rd.text(col::RESPONSIBLE, limits::SHORT),
        installation_grade,
        people_exposed,
        fatal_accident_unchanged,
        review_due,
        // The import template has no column for linked checklist items.
        checklist_items: Vec::new(),
    };
    // The grading's own checks, each under its column (a column already in error is not repeated).
    let graded = service::check(&body, rules);
    let mut errors = rd.errors;
    if let Err(AppError::Validation(fields)) = &graded {
        for (field, messages) in fields {
            let name = column_of(field);
            let header = cols.header(name);
            // Without a known method the factors cannot be judged: the method's error says it.
            let factor = matches!(field.as_str(), "l" | "e" | "c" | "s");
            if errors.iter().any(|e| e.column == header) || (factor && method.is_none()) {
                continue;
            }
            for m in messages {
                let code = if m.starts_with("请填写") || m.contains("须填写") {
                    "missing_required"
                } else {
                    "invalid_value"
                };
                errors.push(row_error(row.number, &header, code, m.clone()));
            }
        }
    }
    match graded {
        Ok(grade) if errors.is_empty() => Ok(ParsedPoint { row: row.number, body, grade }),
        _ => Err(errors),
    }
}
