//! The months of a year the cockpit computes, and the SQL that puts a record into
//! its month.
//!
//! Every figure is "the year to the month's end": for month `m` of a past year the
//! records up to the last day of `m`; for the current month, up to the day of
//! computation; months still to come are not computed. Months are Beijing months
//! (a timestamp at 23:30 UTC on 31 January is on 1 February in Beijing).

use crate::clock::china_day_start;
use chrono::{Datelike, NaiveDate};
use sea_orm::Value;
use std::fmt::Write;

/// A year and the day it is computed on.
#[derive(Debug, Clone, Copy)]
pub struct Year {
    pub year: i32,
    pub today: NaiveDate,
}

impl Year {
    pub const fn new(year: i32, today: NaiveDate) -> Self {
        Self { year, today }
    }

    /// The first day of month `m` (1–13: 13 is the next year's first day).
    pub fn month_start(&self, m: u32) -> NaiveDate {
        let (y, m) = if m > 12 { (self.year + 1, 1) } else { (self.year, m) };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn start(&self) -> NaiveDate {
        self.month_start(1)
    }

    /// The first day after the year.
    pub fn end(&self) -> NaiveDate {
        self.month_start(13)
    }

    /// The months computed: all twelve of a past year, up to this month of the
    /// current one, none of a year to come.
    pub fn months(&self) -> std::ops::RangeInclusive<u32> {
        let last = match self.year.cmp(&self.today.year()) {
            std::cmp::Ordering::Less => 12,
            std::cmp::Ordering::Equal => self.today.month(),
            std::cmp::Ordering::Greater => 0,
        };
        1..=last
    }

    /// The day month `m`'s figures are as of: its last day, or today.
    pub fn as_of(&self, m: u32) -> NaiveDate {
        let last = self.month_start(m + 1).pred_opt().unwrap_or(NaiveDate::MIN);
        last.min(self.today)
    }

    /// The last month computed (0 for a year to come).
    pub fn last_month(&self) -> u32 {
        *self.months().end()
    }
}

/// A raw statement being written, with PostgreSQL placeholders numbered as values
/// are bound (`crate::db::raw` makes them positional for SQLite).
#[derive(Debug, Default)]
pub struct Sql {
    pub text: String,
    pub values: Vec<Value>,
}

impl Sql {
    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    pub fn bind(&mut self, v: impl Into<Value>) -> &mut Self {
        self.values.push(v.into());
        let _ = write!(self.text, "${}", self.values.len());
        self
    }

    /// `CASE` giving the month (1–12) of a timestamp column within the year, 0 before
    /// it, 13 after it and `null` when NULL.
    pub fn timestamp_month(&mut self, col: &str, y: &Year, null: i32) -> &mut Self {
        let _ = write!(self.text, "CASE WHEN {col} IS NULL THEN {null}");
        for m in 1..=13 {
            let _ = write!(self.text, " WHEN {col} < ");
            self.bind(china_day_start(y.month_start(m)));
            let _ = write!(self.text, " THEN {}", m - 1);
        }
        self.push(" ELSE 13 END")
    }

    /// The same for a date column.
    pub fn date_month(&mut self, col: &str, y: &Year, null: i32) -> &mut Self {
        let _ = write!(self.text, "CASE WHEN {col} IS NULL THEN {null}");
        for m in 1..=13 {
            let _ = write!(self.text, " WHEN {col} < ");
            self.bind(y.month_start(m));
            let _ = write!(self.text, " THEN {}", m - 1);
        }
        self.push(" ELSE 13 END")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_current_year_runs_to_today_and_a_past_year_to_december() {
        let y = Year::new(2026, day("2026-11-22"));
        assert_eq!(y.months(), 1..=11);
        assert_eq!(y.as_of(10), day("2026-10-31"));
        assert_eq!(y.as_of(11), day("2026-11-22"));
        assert_eq!(Year::new(2025, day("2026-11-22")).as_of(12), day("2025-12-31"));
        assert_eq!(Year::new(2025, day("2026-01-02")).last_month(), 12);
        assert_eq!(Year::new(2027, day("2026-11-22")).last_month(), 0);
        assert_eq!(Year::new(2024, day("2026-01-02")).as_of(2), day("2024-02-29"));
    }

    #[test]
    fn month_cases_bind_every_boundary_in_order() {
        let mut s = Sql::default();
        s.push("SELECT ").timestamp_month("found_at", &Year::new(2026, day("2026-11-22")), 99);
        assert_eq!(s.values.len(), 13);
        assert!(s.text.contains("WHEN found_at < $1 THEN 0"), "{}", s.text);
        assert!(s.text.ends_with("WHEN found_at < $13 THEN 12 ELSE 13 END"), "{}", s.text);
    }
}
