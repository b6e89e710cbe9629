//! Reading a ledger workbook on its own (no database): columns by header in any
//! order, every problem of every row at once.

use super::columns::{self as col, Columns};
use crate::enterprise::domain::CreditCode;
use crate::error::RowError;
use crate::hazard::domain::{Level, Source};
use crate::limits;
use crate::xlsx::read::{Cell, Row};
use chrono::{Days, NaiveDate};

/// Whether the hazard is still open in the old ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Open,
    Closed,
}

/// A row that passed every check that needs no database.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedHazard {
    pub row: u32,
    pub credit_code: String,
    pub title: String,
    pub description: String,
    pub level: Level,
    pub source: Source,
    /// As written: a category code or name, resolved against the dictionary later.
    pub category: String,
    pub location: Option<String>,
    pub found_on: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub state: State,
    pub closed_on: Option<NaiveDate>,
    pub funds_fen: Option<i64>,
    pub original_ref: Option<String>,
}

pub fn row_error(row: u32, column: &str, code: &str, message: impl Into<String>) -> RowError {
    RowError { row, column: column.to_owned(), code: code.to_owned(), message: message.into() }
}

/// The words clerks use for a level, source or state, besides the system's names.
fn level_of(t: &str) -> Option<Level> {
    match t {
        "一般" | "一般隐患" | "一般事故隐患" => Some(Level::General),
        "重大" | "重大隐患" | "重大事故隐患" => Some(Level::Major),
        other => other.parse().ok(),
    }
}

fn source_of(t: &str) -> Option<Source> {
    match t {
        "自查" | "企业自查" | "自查自改" => Some(Source::SelfCheck),
        "检查" | "执法检查" | "监督检查" | "执法检查发现" => Some(Source::Inspection),
        "举报" | "群众举报" | "12350" | "12350举报" => Some(Source::TipOff),
        other => Source::ALL.iter().copied().find(|s| s.zh() == other).or_else(|| other.parse().ok()),
    }
}

fn state_of(t: &str) -> Option<State> {
    match t {
        "整改中" | "未整改" | "正在整改" => Some(State::Open),
        "已销号" | "已整改" | "已完成" | "已闭环" | "销号" => Some(State::Closed),
        _ => None,
    }
}

/// A whole number typed into a date column (`20261101`) or a serial date whose
/// cell lost its format; otherwise the cell's own date reading (also used by
/// the insurance-policy import).
#[allow(clippy::result_unit_err)]
pub fn cell_date(cell: &Cell) -> Result<Option<NaiveDate>, ()> {
    match cell {
        Cell::Number(n) => {
            let whole: u64 = n.to_string().parse().map_err(|_| ())?;
            if (19_000_101..=99_991_231).contains(&whole) {
                NaiveDate::parse_from_str(&whole.to_string(), "%Y%m%d").map(Some).map_err(|_| ())
            } else {
                NaiveDate::from_ymd_opt(1899, 12, 30)
                    .and_then(|d| d.checked_add_days(Days::new(whole)))
                    .map(Some)
                    .ok_or(())
            }
        }
        other => other.as_date(),
    }
}

/// Reads the cells of one row in turn, collecting problems.
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
        let header = self.cols.header(name);
        self.errors.push(row_error(self.row.number, &header, code, message));
    }

    /// Whether the cell is longer than `max` characters or holds control
    /// characters: then that is its one error (`too_long`, naming the limit
    /// but not quoting the whole value) and it is read no further.
    fn unreadable(&mut self, name: &str, max: usize) -> bool {
        let Some(t) = self.cell(name).and_then(Cell::as_text) else { return false };
        let Some(p) = limits::problem(&t, max) else { return false };
        self.fail(name, p.code(), p.cell_message(&t));
        true
    }

    /// Text, trimmed; `None` when empty (with an error when required) or unreadable.
    fn text(&mut self, name: &str, required: bool, max: usize) -> Option<String> {
        if self.unreadable(name, max) {
            return None;
        }
        let t = self.cell(name).and_then(Cell::as_text).map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        if t.is_none() && required {
            self.fail(name, "missing_required", "必填项为空");
        }
        t
    }

    fn date(&mut self, name: &str, required: bool) -> Option<NaiveDate> {
        if self.unreadable(name, limits::SHORT) {
            return None;
        }
        match self.cell(name).map_or(Ok(None), cell_date) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                if required {
                    self.fail(name, "missing_required", "必填项为空");
                }
                None
            }
            Err(()) => {
                let t = self.cell(name).and_then(Cell::as_text).unwrap_or_default();
                self.fail(
                    name,
                    "invalid_date",
                    format!("日期格式不正确：“{t}”（应为 2026-11-01、2026/11/1 或 Excel 日期）"),
                );
                None
            }
        }
    }

    fn choice<T>(&mut self, name: &str, parse: fn(&str) -> Option<T>, allowed: &str) -> Option<T> {
        let t = self.text(name, true, limits::SHORT)?;
        let v = parse(&t);
        if v.is_none() {
            self.fail(name, "invalid_value", format!("“{t}”不是可选的值（{allowed}）"));
        }
        v
    }

    fn money(&mut self, name: &str) -> Option<i64> {
        if self.unreadable(name, limits::SHORT) {
            return None;
        }
        let yuan = match self.cell(name) {
            None | Some(Cell::Empty) => return None,
            Some(Cell::Number(n)) => Some(*n),
            Some(c) => c.as_text().and_then(|t| t.trim().trim_end_matches('元').replace(',', "").parse::<f64>().ok()),
        };
        if let Some(y) = yuan.filter(|y| y.is_finite() && (0.0..=1e12).contains(y)) {
            #[allow(clippy::cast_possible_truncation)]
            return Some((y * 100.0).round() as i64);
        }
        self.fail(name, "invalid_number", "整改资金应为 0 到 10¹² 之间的金额（元）");
        None
    }
}

/// The dates of a row, for the checks across columns.
#[derive(Clone, Copy)]
struct Dates {
    found_on: Option<NaiveDate>,
    deadline: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    today: NaiveDate,
}

/// Checks across columns: nothing in the future, no deadline or closing before
/// the finding, a closing date exactly when closed, a deadline for an open
/// inspection finding.
fn check_dates(r: &mut Reader<'_>, d: Dates, state: Option<State>, inspection_general: bool) {
    let Dates { found_on, deadline, closed_on, today } = d;
    if let Some(f) = found_on.filter(|f| *f > today) {
        r.fail(col::FOUND_ON, "date_in_future", format!("发现日期 {f} 晚于今天"));
    }
    if let (Some(f), Some(d)) = (found_on, deadline)
        && d < f
    {
        r.fail(col::DEADLINE, "deadline_before_found", "整改期限早于发现日期");
    }
    match (state, closed_on) {
        (Some(State::Closed), None) => r.fail(col::CLOSED_ON, "missing_required", "已销号的隐患须填写销号日期"),
        (Some(State::Open), Some(_)) => r.fail(col::CLOSED_ON, "invalid_value", "整改中的隐患不应填写销号日期"),
        (Some(State::Closed), Some(c)) if c > today => r.fail(col::CLOSED_ON, "date_in_future", "销号日期晚于今天"),
        (Some(State::Closed), Some(c)) if found_on.is_some_and(|f| c < f) => {
            r.fail(col::CLOSED_ON, "closed_before_found", "销号日期早于发现日期");
        }
        _ => {}
    }
    if state == Some(State::Open) && inspection_general && deadline.is_none() {
        r.fail(col::DEADLINE, "missing_required", "执法检查发现的隐患须有整改期限");
    }
}

/// Checks one row against everything but the database; `today` bounds the dates.
pub fn parse_row(cols: &Columns, row: &Row, today: NaiveDate) -> Result<ParsedHazard, Vec<RowError>> {
    let mut r = Reader { cols, row, errors: Vec::new() };
    let credit_code = r.text(col::CREDIT_CODE, true, limits::SHORT);
    let credit_code = credit_code.and_then(|c| match CreditCode::parse(&c) {
        Ok(code) => Some(code.as_str().to_owned()),
        Err(e) => {
            r.fail(col::CREDIT_CODE, "invalid_credit_code", e.to_string());
            None
        }
    });
    let title = r.text(col::TITLE, true, limits::NAME);
    let description = r.text(col::DESCRIPTION, true, limits::TEXT);
    let level = r.choice(col::LEVEL, level_of, "一般、重大");
    let source = r.choice(col::SOURCE, source_of, "企业自查、执法检查、群众举报、职工报告、媒体曝光、其他部门移送等");
    let category = r.text(col::CATEGORY, true, limits::SHORT);
    let location = r.text(col::LOCATION, false, limits::ADDRESS);
    let found_on = r.date(col::FOUND_ON, true);
    let deadline = r.date(col::DEADLINE, false);
    let state = r.choice(col::STATE, state_of, "整改中、已销号");
    let closed_on = r.date(col::CLOSED_ON, false);
    let funds_fen = r.money(col::FUNDS);
    let original_ref = r.text(col::ORIGINAL_REF, false, limits::SHORT);
    let dates = Dates { found_on, deadline, closed_on, today };
    check_dates(&mut r, dates, state, level == Some(Level::General) && source == Some(Source::Inspection));
    match (credit_code, title, description, level, source, category, found_on, state) {
        (
            Some(credit_code),
            Some(title),
            Some(description),
            Some(level),
            Some(source),
            Some(category),
            Some(found_on),
            Some(state),
        ) if r.errors.is_empty() => Ok(ParsedHazard {
            row: row.number,
            credit_code,
            title,
            description,
            level,
            source,
            category,
            location,
            found_on,
            deadline,
            state,
            closed_on,
            funds_fen,
            original_ref,
        }),
        _ => Err(r.errors),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::error::AppError;
    use crate::hazard::import::parse;
    use crate::xlsx::testing::book;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const HEADER: [&str; 11] = [
        "隐患名称*",
        "统一社会信用代码*",
        "隐患描述*",
        "隐患等级*",
        "隐患来源*",
        "隐患类别*",
        "发现日期*",
        "整改状态*",
        "整改期限",
        "销号日期",
        "整改资金（元）",
    ];

    fn code() -> String {
        crate::enterprise::domain::CreditCode::from_body("91420103MA4K00001").unwrap().as_str().to_owned()
    }

    #[test]
    fn good_rows_read_with_aliases_dates_and_money() {
        let c = code();
        let bytes = book(&[
            &HEADER,
            &[
                "配电箱未接地",
                c.as_str(),
                "车间配电箱",
                "一般",
                "自查",
                "物的危险状态",
                "@2026-10-01",
                "已整改",
                "",
                "2026-10-05",
                "=1200.5",
            ],
            &[
                "罐区报警器失效",
                c.as_str(),
                "报警器",
                "重大隐患",
                "执法检查",
                "unsafe_condition",
                "2026/11/1",
                "整改中",
                "=20261230",
                "",
                "",
            ],
        ]);
        let rows = parse(&bytes, d("2026-11-22")).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].funds_fen, rows[0].closed_on), (Some(120_050), Some(d("2026-10-05"))));
        assert_eq!((rows[1].found_on, rows[1].deadline), (d("2026-11-01"), Some(d("2026-12-30"))));
        assert_eq!(rows[1].level, crate::hazard::domain::Level::Major);
    }

    #[test]
    fn every_bad_row_is_reported_at_once() {
        let c = code();
        let bytes = book(&[
            &HEADER,
            &["", "123", "", "中等", "路人", "物的危险状态", "2026-13-01", "完成了", "", "", "=-5"],
            &[
                "未来隐患",
                c.as_str(),
                "d",
                "一般",
                "自查",
                "物的危险状态",
                "2026-12-01",
                "整改中",
                "2026-11-01",
                "2026-11-02",
                "",
            ],
            &["检查隐患", c.as_str(), "d", "一般", "执法检查", "物的危险状态", "2026-11-01", "整改中", "", "", ""],
            &["已销号无日期", c.as_str(), "d", "一般", "自查", "物的危险状态", "2026-11-01", "已销号", "", "", ""],
            &["重复", c.as_str(), "d", "一般", "自查", "物的危险状态", "2026-11-01", "已销号", "", "2026-11-02", ""],
            &["重复", c.as_str(), "d", "一般", "自查", "物的危险状态", "2026-11-01", "整改中", "", "", ""],
        ]);
        let Err(AppError::ImportRejected(errors)) = parse(&bytes, d("2026-11-22")) else {
            panic!("expected rejection")
        };
        let got: Vec<(u32, &str, &str)> =
            errors.rows.iter().map(|e| (e.row, e.column.as_str(), e.code.as_str())).collect();
        for want in [
            (2, "整改状态*", "invalid_value"),
            (2, "整改资金（元）", "invalid_number"),
            (2, "发现日期*", "invalid_date"),
            (2, "隐患名称*", "missing_required"),
            (2, "统一社会信用代码*", "invalid_credit_code"),
            (2, "隐患描述*", "missing_required"),
            (2, "隐患等级*", "invalid_value"),
            (2, "隐患来源*", "invalid_value"),
            (3, "发现日期*", "date_in_future"),
            (3, "整改期限", "deadline_before_found"),
            (3, "销号日期", "invalid_value"),
            (4, "整改期限", "missing_required"),
            (5, "销号日期", "missing_required"),
            (6, "隐患名称*", "duplicate_in_file"),
            (7, "隐患名称*", "duplicate_in_file"),
        ] {
            assert!(got.contains(&want), "missing {want:?} in {got:?}");
        }
        assert_eq!(got.len(), 15, "{got:?}");
    }

    #[test]
    fn an_over_long_cell_is_too_long_and_not_quoted_whole() {
        let (c, title) = (code(), "罐".repeat(201));
        let row = [title.as_str(), c.as_str(), "d", "一般", "自查", "物的危险状态", "2026-11-01", "整改中", "", "", ""];
        let Err(AppError::ImportRejected(errors)) = parse(&book(&[&HEADER, &row]), d("2026-11-22")) else {
            panic!("expected rejection")
        };
        let got: Vec<(&str, &str)> = errors.rows.iter().map(|e| (e.column.as_str(), e.code.as_str())).collect();
        assert_eq!(got, [("隐患名称*", "too_long")]);
        assert_eq!(errors.rows[0].message, format!("不超过 200 字（现为 201 字：“{}…”）", "罐".repeat(20)));
    }

    #[test]
    fn missing_columns_are_named() {
        let bytes = book(&[&["隐患名称", "发现日期"], &["x", "2026-11-01"]]);
        let Err(AppError::ImportRejected(errors)) = parse(&bytes, d("2026-11-22")) else {
            panic!("expected rejection")
        };
        let cols: Vec<&str> = errors.rows.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(cols, ["统一社会信用代码", "隐患描述", "隐患等级", "隐患来源", "隐患类别", "整改状态"]);
    }
}
