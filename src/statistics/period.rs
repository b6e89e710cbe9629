//! Reporting periods of the hazard statistics (16号令 art. 14): quarters, due
//! by the 15th of the month after the quarter, and years, due by 31 January of
//! the next year. Dates are Beijing dates; "due by" includes the due date.

use chrono::{Datelike, Duration, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// `2026Q3`.
    Quarter { year: i32, quarter: u32 },
    /// `2026`.
    Year(i32),
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

const QUARTER_ZH: [&str; 4] = ["一", "二", "三", "四"];

impl Period {
    /// `2026Q3` or `2026` (years 2000–2100).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (year, quarter) = match s.split_once(['Q', 'q']) {
            Some((y, q)) => (y, Some(q)),
            None => (s, None),
        };
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        match quarter {
            None => Some(Self::Year(year)),
            Some(q) => q.parse().ok().filter(|q| (1..=4).contains(q)).map(|quarter| Self::Quarter { year, quarter }),
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Self::Quarter { .. } => "quarter",
            Self::Year(_) => "year",
        }
    }

    pub fn start(self) -> NaiveDate {
        match self {
            Self::Quarter { year, quarter } => date(year, quarter * 3 - 2, 1),
            Self::Year(year) => date(year, 1, 1),
        }
    }

    /// The last day of the period.
    pub fn end(self) -> NaiveDate {
        match self {
            Self::Quarter { year, quarter: 4 } | Self::Year(year) => date(year, 12, 31),
            Self::Quarter { year, quarter } => date(year, quarter * 3 + 1, 1) - Duration::days(1),
        }
    }

    /// From the first instant of the period to the first instant after it (Beijing time).
    pub fn instants(self) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
        let after = self.end() + Duration::days(1);
        (crate::clock::china_day_start(self.start()), crate::clock::china_day_start(after))
    }

    /// The last day a report is on time.
    pub fn due(self) -> NaiveDate {
        match self {
            Self::Quarter { year, quarter: 4 } => date(year + 1, 1, 15),
            Self::Quarter { year, quarter } => date(year, quarter * 3 + 1, 15),
            Self::Year(year) => date(year + 1, 1, 31),
        }
    }

    /// `2026年第三季度` / `2026年度`.
    pub fn zh(self) -> String {
        match self {
            Self::Quarter { year, quarter } => {
                format!("{year}年第{}季度", QUARTER_ZH[(quarter.clamp(1, 4) - 1) as usize])
            }
            Self::Year(year) => format!("{year}年度"),
        }
    }

    /// The quarter that contains `d`.
    pub fn quarter_of(d: NaiveDate) -> Self {
        Self::Quarter { year: d.year(), quarter: (d.month() - 1) / 3 + 1 }
    }

    /// The period of the same kind just before this one.
    #[must_use]
    pub fn previous(self) -> Self {
        match self {
            Self::Quarter { year, quarter: 1 } => Self::Quarter { year: year - 1, quarter: 4 },
            Self::Quarter { year, quarter } => Self::Quarter { year, quarter: quarter - 1 },
            Self::Year(year) => Self::Year(year - 1),
        }
    }

    /// Periods that have ended by `today` (the latest first): the last `quarters`
    /// quarters and the last `years` years.
    pub fn ended(today: NaiveDate, quarters: usize, years: usize) -> Vec<Self> {
        let mut out = Vec::new();
        let mut q = Self::quarter_of(today).previous();
        for _ in 0..quarters {
            out.push(q);
            q = q.previous();
        }
        let mut y = Self::Year(today.year() - 1);
        for _ in 0..years {
            out.push(y);
            y = y.previous();
        }
        out
    }

    /// The latest quarter and the latest year whose due date has passed by `today`.
    pub fn last_past_due(today: NaiveDate) -> [Self; 2] {
        let mut q = Self::quarter_of(today).previous();
        while q.due() >= today {
            q = q.previous();
        }
        let mut y = Self::Year(today.year() - 1);
        while y.due() >= today {
            y = y.previous();
        }
        [q, y]
    }

    /// The ended periods whose report is not yet due on `today`.
    pub fn open_for_reporting(today: NaiveDate) -> Vec<Self> {
        Self::ended(today, 1, 1).into_iter().filter(|p| p.due() >= today).collect()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Quarter { year, quarter } => write!(f, "{year}Q{quarter}"),
            Self::Year(year) => write!(f, "{year}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn quarters_end_and_fall_due_on_the_fifteenth_of_the_next_month() {
        let q = |quarter| Period::Quarter { year: 2026, quarter };
        assert_eq!((q(1).start(), q(1).end(), q(1).due()), (d("2026-01-01"), d("2026-03-31"), d("2026-04-15")));
        assert_eq!((q(2).end(), q(2).due()), (d("2026-06-30"), d("2026-07-15")));
        assert_eq!((q(3).start(), q(3).end(), q(3).due()), (d("2026-07-01"), d("2026-09-30"), d("2026-10-15")));
        assert_eq!((q(4).end(), q(4).due()), (d("2026-12-31"), d("2027-01-15")));
        let y = Period::Year(2026);
        assert_eq!((y.start(), y.end(), y.due()), (d("2026-01-01"), d("2026-12-31"), d("2027-01-31")));
    }

    #[test]
    fn periods_parse_print_and_name_themselves_in_chinese() {
        assert_eq!(Period::parse("2026Q3"), Some(Period::Quarter { year: 2026, quarter: 3 }));
        assert_eq!(Period::parse(" 2026q4 "), Some(Period::Quarter { year: 2026, quarter: 4 }));
        assert_eq!(Period::parse("2026"), Some(Period::Year(2026)));
        for bad in ["2026Q5", "2026Q0", "1999", "26Q1", "", "2026Q", "Q3"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(Period::Quarter { year: 2026, quarter: 3 }.to_string(), "2026Q3");
        assert_eq!(Period::Quarter { year: 2026, quarter: 3 }.zh(), "2026年第三季度");
        assert_eq!(Period::Year(2026).zh(), "2026年度");
    }

    #[test]
    fn the_last_period_past_due_moves_the_day_after_the_due_date() {
        let q3 = Period::Quarter { year: 2026, quarter: 3 };
        let q2 = Period::Quarter { year: 2026, quarter: 2 };
        assert_eq!(Period::last_past_due(d("2026-10-15")), [q2, Period::Year(2025)]);
        assert_eq!(Period::last_past_due(d("2026-10-16")), [q3, Period::Year(2025)]);
        let q4 = Period::Quarter { year: 2026, quarter: 4 };
        assert_eq!(Period::last_past_due(d("2027-01-16")), [q4, Period::Year(2025)]);
        assert_eq!(Period::last_past_due(d("2027-02-01")), [q4, Period::Year(2026)]);
    }

    #[test]
    fn open_periods_are_the_ended_ones_not_yet_due() {
        assert_eq!(Period::open_for_reporting(d("2026-10-01")), vec![Period::Quarter { year: 2026, quarter: 3 }]);
        assert_eq!(Period::open_for_reporting(d("2026-11-22")), vec![]);
        assert_eq!(
            Period::open_for_reporting(d("2027-01-10")),
            vec![Period::Quarter { year: 2026, quarter: 4 }, Period::Year(2026)]
        );
        assert_eq!(Period::ended(d("2027-01-10"), 2, 1).len(), 3);
    }
}
