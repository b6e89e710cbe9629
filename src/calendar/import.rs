//! Holiday import (节假日导入) from the template `imports/holidays.xlsx` (see
//! [`super::template`]): columns 日期, 类型 (休 or 班) and the optional 名称,
//! matched by header in any order. All or nothing: every bad row is reported at
//! once and then nothing is written; a dry run checks and counts but writes
//! nothing. An imported row replaces the stored row for its date and wins over
//! the shipped table; an import never deletes (a wrong 休 is undone by
//! importing the date as 班).

use super::domain::{DayKind, Exception};
use crate::entities::holiday;
use crate::error::{AppError, AppResult, RowError};
use crate::row_errors::{RowErrors, Seen};
use crate::xlsx::read::{Cell, Limits, Row, read_first_sheet};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::RangeInclusive;

pub const DATE: &str = "日期";
pub const KIND: &str = "类型";
pub const NAME: &str = "名称";
/// The first year a file may list.
pub const FIRST_YEAR: i32 = 2000;
/// How far past the current year a file may reach: the State Council publishes
/// the next year's arrangement in the autumn. A typo such as 2207 would
/// otherwise stretch the calendar's coverage for centuries.
pub const YEARS_AHEAD: i32 = 1;
const MAX_NAME_CHARS: usize = 50;
pub(super) const LIMITS: Limits = Limits { max_bytes: 8 << 20, max_rows: 5_000, max_cols: 64, max_memory: 32 << 20 };

/// A good row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayRow {
    pub row: u32,
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: Option<String>,
}

impl HolidayRow {
    fn entry(&self) -> (NaiveDate, Exception) {
        (self.day, Exception { kind: self.kind, name: self.name.clone() })
    }
}

/// Who imports and when: a user, or the operator's CLI (`user_id: None`).
#[derive(Debug, Clone)]
pub struct Importer {
    pub user_id: Option<i64>,
    pub at: DateTime<Utc>,
}

/// What an import did, or would do on a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HolidayImportSummary {
    pub dry_run: bool,
    /// Dates not stored before.
    pub new: usize,
    /// Stored dates whose kind or name the file changes.
    pub changed: usize,
    pub unchanged: usize,
    /// 31 December of the last year with holiday data once the file is in.
    pub covered_until: Option<NaiveDate>,
}

fn row_error(row: u32, column: &str, code: &str, message: String) -> RowError {
    RowError { row, column: column.to_owned(), code: code.to_owned(), message }
}

/// Where the columns sit, and their headers as written.
struct Columns {
    date: (usize, String),
    kind: (usize, String),
    name: Option<(usize, String)>,
}

/// A header as meant: no spaces, no `*`, no bracketed hint (`类型（休/班）`).
fn normalise(header: &str) -> String {
    let cut = header.find(['（', '(']).unwrap_or(header.len());
    header[..cut].chars().filter(|c| !c.is_whitespace() && *c != '*').collect()
}

impl Columns {
    fn find(headers: &[String]) -> Result<Self, Vec<RowError>> {
        let at = |name: &str| headers.iter().position(|h| normalise(h) == name).map(|i| (i, headers[i].clone()));
        let (date, kind, name) = (at(DATE), at(KIND), at(NAME));
        match (date, kind) {
            (Some(date), Some(kind)) => Ok(Self { date, kind, name }),
            (date, kind) => Err([(date.is_none(), DATE), (kind.is_none(), KIND)]
                .into_iter()
                .filter(|(missing, _)| *missing)
                .map(|(_, h)| row_error(1, h, "missing_column", format!("缺少必需的列“{h}”")))
                .collect()),
        }
    }
}

/// A whole number typed into a date column: `20270101`, or an Excel serial
/// date whose cell lost its date format.
fn number_date(n: f64) -> Option<NaiveDate> {
    let whole: u64 = n.to_string().parse().ok()?;
    if (19_000_101..=99_991_231).contains(&whole) {
        NaiveDate::parse_from_str(&whole.to_string(), "%Y%m%d").ok()
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(whole))
    }
}

fn cell_date(cell: &Cell) -> Result<Option<NaiveDate>, ()> {
    match cell {
        Cell::Number(n) => number_date(*n).map(Some).ok_or(()),
        other => other.as_date(),
    }
}

/// Reads one row, adding its problems to `errors`; returns the date if it
/// could be read (for the duplicate check) and the row if it is good.
fn parse_row(
    cols: &Columns,
    row: &Row,
    years: &RangeInclusive<i32>,
    errors: &mut RowErrors,
) -> (Option<NaiveDate>, Option<HolidayRow>) {
    let n = row.number;
    let before = errors.total();
    let cell = |i: usize| row.cells.get(i).unwrap_or(&Cell::Empty);
    let (date_at, date_header) = &cols.date;
    let day = match cell_date(cell(*date_at)) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.push(row_error(n, date_header, "missing_required", "必填项为空".into()));
            None
        }
        Err(()) => {
            let t = cell(*date_at).as_text().unwrap_or_default();
            let msg = format!("日期格式不正确：“{t}”（应为 2027-01-01、2027/1/1 或 Excel 日期）");
            errors.push(row_error(n, date_header, "invalid_date", msg));
            None
        }
    };
    if let Some(d) = day.filter(|d| !years.contains(&d.year())) {
        let msg = format!("日期 {d} 超出可导入的范围（{}–{} 年）", years.start(), years.end());
        errors.push(row_error(n, date_header, "date_out_of_range", msg));
    }
    let (kind_at, kind_header) = &cols.kind;
    let kind = match cell(*kind_at).as_text() {
        None => {
            errors.push(row_error(n, kind_header, "missing_required", "必填项为空".into()));
            None
        }
        Some(t) => {
            let kind = DayKind::from_zh(&t);
            if kind.is_none() {
                errors.push(row_error(n, kind_header, "invalid_kind", format!("类型应为“休”或“班”，实际为“{t}”")));
            }
            kind
        }
    };
    let name = cols.name.as_ref().and_then(|(i, _)| cell(*i).as_text());
    if let (Some(t), Some((_, header))) = (&name, &cols.name)
        && t.chars().count() > MAX_NAME_CHARS
    {
        errors.push(row_error(n, header, "too_long", format!("名称不能超过 {MAX_NAME_CHARS} 个字")));
    }
    let good = match (day, kind) {
        (Some(day), Some(kind)) if errors.total() == before => Some(HolidayRow { row: n, day, kind, name }),
        _ => None,
    };
    (day, good)
}

/// Reads and checks a workbook on its own (no database); `today` bounds the
/// years accepted. Every problem is reported at once.
pub fn parse(bytes: &[u8], today: NaiveDate) -> AppResult<Vec<HolidayRow>> {
    let sheet = read_first_sheet(bytes, &LIMITS).map_err(|e| AppError::bad_request(e.code(), e.to_string()))?;
    let cols = Columns::find(&sheet.headers).map_err(AppError::rejected)?;
    let years = FIRST_YEAR..=today.year() + YEARS_AHEAD;
    let mut errors = RowErrors::default();
    let mut rows = Vec::with_capacity(sheet.rows.len());
    let mut seen = Seen::default();
    let header = &cols.date.1;
    for row in &sheet.rows {
        let (day, good) = parse_row(&cols, row, &years, &mut errors);
        if let Some(first) = day.and_then(|day| seen.see(day, row.number)) {
            errors.push(row_error(row.number, header, "duplicate_in_file", format!("日期与第 {first} 行重复")));
        }
        rows.extend(good);
    }
    for (day, first, count) in seen.repeated() {
        let msg = format!("日期 {day} 在文件中出现 {count} 次（本行为第一次）");
        errors.push(row_error(first, header, "duplicate_in_file", msg));
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors.into()) }
}

/// Compares checked rows with the stored ones and, unless `dry_run`, writes the
/// new and changed ones, inside the caller's transaction.
pub async fn import<C: ConnectionTrait>(
    db: &C,
    who: &Importer,
    rows: Vec<HolidayRow>,
    dry_run: bool,
) -> AppResult<HolidayImportSummary> {
    let stored: HashMap<NaiveDate, holiday::Model> =
        holiday::Entity::find().all(db).await?.into_iter().map(|m| (m.day, m)).collect();
    let (mut new, mut changed, mut unchanged) = (0, 0, 0);
    let mut writes = Vec::new();
    for r in &rows {
        match stored.get(&r.day) {
            Some(m) if m.kind == r.kind.as_str() && m.name == r.name => {
                unchanged += 1;
                continue;
            }
            Some(_) => changed += 1,
            None => new += 1,
        }
        writes.push(holiday::ActiveModel {
            day: Set(r.day),
            kind: Set(r.kind.as_str().to_owned()),
            name: Set(r.name.clone()),
            imported_at: Set(who.at),
            imported_by: Set(who.user_id),
        });
    }
    if !dry_run {
        let update =
            [holiday::Column::Kind, holiday::Column::Name, holiday::Column::ImportedAt, holiday::Column::ImportedBy];
        for chunk in writes.chunks(1000) {
            holiday::Entity::insert_many(chunk.to_vec())
                .on_conflict(OnConflict::column(holiday::Column::Day).update_columns(update).to_owned())
                .exec_without_returning(db)
                .await?;
        }
    }
    let covered_until = super::load(db).await?.merged(rows.iter().map(HolidayRow::entry)).covered_until();
    Ok(HolidayImportSummary { dry_run, new, changed, unchanged, covered_until })
}

/// The holiday import for [`crate::import::run`].
#[derive(Clone)]
pub struct HolidayImport(pub Importer);

#[async_trait::async_trait]
impl crate::import::Import for HolidayImport {
    type Parsed = Vec<HolidayRow>;
    /// The checked rows and what writing them would do.
    type Plan = (Vec<HolidayRow>, HolidayImportSummary);
    type Preview = HolidayImportSummary;
    type Summary = HolidayImportSummary;

    fn parse(&self, bytes: &[u8]) -> AppResult<Vec<HolidayRow>> {
        parse(bytes, crate::clock::china_date(self.0.at))
    }

    async fn check<C: ConnectionTrait>(&self, db: &C, rows: Vec<HolidayRow>) -> AppResult<Self::Plan> {
        let summary = import(db, &self.0, rows.clone(), true).await?;
        Ok((rows, summary))
    }

    fn preview(&self, plan: &Self::Plan) -> HolidayImportSummary {
        plan.1.clone()
    }

    async fn apply(&self, tx: &crate::write::Tx, (rows, _): Self::Plan) -> AppResult<HolidayImportSummary> {
        import(tx, &self.0, rows, false).await
    }
}

/// The whole import as the API and the CLI run it (see [`crate::import`]).
pub async fn run(
    state: &crate::state::AppState,
    who: &Importer,
    bytes: axum::body::Bytes,
    dry_run: bool,
) -> AppResult<HolidayImportSummary> {
    let actor = who.user_id.map_or_else(|| "cli".to_owned(), |u| format!("user:{u}"));
    Ok(match crate::import::run(state, actor, &HolidayImport(who.clone()), bytes, dry_run).await? {
        crate::import::Outcome::Preview(s) | crate::import::Outcome::Done(s) => s,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::xlsx::testing::book;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const TODAY: &str = "2026-11-22";

    fn rejected(bytes: &[u8]) -> Vec<(u32, String, String)> {
        match parse(bytes, d(TODAY)) {
            Err(AppError::ImportRejected(rows)) => rows.rows.into_iter().map(|e| (e.row, e.column, e.code)).collect(),
            other => panic!("expected rejection, got {other:?}"),
        }
    }

    #[test]
    fn reads_text_dates_date_cells_and_numbers_in_any_column_order() {
        let bytes = book(&[
            &["类型（休/班）", "名称", " 日期 *"],
            &["休", "元旦", "2027-01-01"],
            &["班", "", "@2027-02-06"],
            &["放假", "春节", "=20270208"],
            &["休", "", "=46433"],
        ]);
        let rows = parse(&bytes, d(TODAY)).unwrap();
        let got: Vec<_> = rows.iter().map(|r| (r.row, r.day, r.kind, r.name.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                (2, d("2027-01-01"), DayKind::Off, Some("元旦")),
                (3, d("2027-02-06"), DayKind::Work, None),
                (4, d("2027-02-08"), DayKind::Off, Some("春节")),
                (5, d("2027-02-15"), DayKind::Off, None),
            ]
        );
    }

    #[test]
    fn every_bad_row_is_reported_at_once() {
        let bytes = book(&[
            &["日期", "类型", "名称"],
            &["2027-01-01", "休", "元旦"],
            &["2027-13-01", "休", ""],
            &["", "班", ""],
            &["2027-02-06", "调休", ""],
            &["2027-02-07", "", ""],
            &["2207-01-01", "休", ""],
            &["1999-12-31", "休", ""],
            &["2027-01-01", "班", ""],
            &["2027-03-01", "休", &"节".repeat(51)],
            &["2026-10-10", "班", "国庆节"],
        ]);
        let errors = rejected(&bytes);
        let expect = [
            (2, "日期", "duplicate_in_file"),
            (3, "日期", "invalid_date"),
            (4, "日期", "missing_required"),
            (5, "类型", "invalid_kind"),
            (6, "类型", "missing_required"),
            (7, "日期", "date_out_of_range"),
            (8, "日期", "date_out_of_range"),
            (9, "日期", "duplicate_in_file"),
            (10, "名称", "too_long"),
        ];
        let expect: Vec<_> = expect.iter().map(|(r, c, k)| (*r, (*c).to_owned(), (*k).to_owned())).collect();
        assert_eq!(errors, expect);
    }

    #[test]
    fn missing_columns_are_named() {
        let errors = rejected(&book(&[&["名称", "日子"], &["元旦", "2027-01-01"]]));
        let missing: Vec<_> = errors.iter().map(|(r, c, k)| (*r, c.as_str(), k.as_str())).collect();
        assert_eq!(missing, vec![(1, "日期", "missing_column"), (1, "类型", "missing_column")]);
    }

    #[test]
    fn a_redundant_weekday_work_or_weekend_off_is_accepted() {
        let bytes = book(&[&["日期", "类型"], &["2027-01-04", "班"], &["2027-01-09", "休"]]);
        assert_eq!(parse(&bytes, d(TODAY)).unwrap().len(), 2);
    }
}
