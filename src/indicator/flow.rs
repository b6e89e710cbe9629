//! How a source's grouped rows become a year's monthly figures.
//!
//! A source counts each record once with two months (0 before the year, 1–12, 13
//! after it, [`NEVER`] for never): the month it **enters** the denominator and the
//! month it is **done** (counted in the numerator). The figure to month `m` is then
//! every record entered by `m` over the denominator and, of those, every record done
//! by `m` over the numerator — whether it is an enterprise inspected by `m`, a hazard
//! found and closed by `m`, or an accident's deaths (entered and done the month it
//! happened, the numerator being the count).

use super::counts::RegionCount;
use super::period::Year;
use crate::enterprise::domain::Sector;
use std::collections::BTreeMap;

/// Never done (or never entered).
pub const NEVER: i32 = 99;

/// One group of records: where, in which sector, when they entered and were done,
/// and how many (or how much: deaths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub region_code: String,
    pub sector: Option<Sector>,
    pub entered: i32,
    pub done: i32,
    pub n: i64,
}

/// One month's figure for one region and sector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub month: u32,
    pub count: RegionCount,
}

/// The figures of every computed month of `year` from the flows, one per month,
/// region and sector that has anything in its denominator.
pub fn figures(flows: &[Flow], year: &Year) -> Vec<Figure> {
    let mut groups: BTreeMap<(&str, Option<&str>), Vec<&Flow>> = BTreeMap::new();
    for f in flows {
        groups.entry((f.region_code.as_str(), f.sector.map(Sector::as_str))).or_default().push(f);
    }
    let mut out = Vec::new();
    for group in groups.values() {
        for m in year.months() {
            let m_i = i32::try_from(m).unwrap_or(0);
            let (mut num, mut den) = (0, 0);
            for f in group.iter().filter(|f| f.entered <= m_i) {
                den += f.n;
                if f.done <= m_i {
                    num += f.n;
                }
            }
            if den != 0 || num != 0 {
                let first = group[0];
                out.push(Figure {
                    month: m,
                    count: RegionCount {
                        region_code: first.region_code.clone(),
                        sector: first.sector,
                        numerator: num,
                        denominator: den,
                    },
                });
            }
        }
    }
    out
}

/// Snapshot figures (a count taken on each month's as-of day) as figures.
pub fn snapshot(month: u32, counts: Vec<RegionCount>) -> impl Iterator<Item = Figure> {
    counts.into_iter().filter(|c| c.denominator != 0 || c.numerator != 0).map(move |count| Figure { month, count })
}

/// The month (0–13) a day falls in within `year`.
pub fn month_of(day: chrono::NaiveDate, year: &Year) -> i32 {
    use chrono::Datelike;
    match day.year().cmp(&year.year) {
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Greater => 13,
        std::cmp::Ordering::Equal => i32::try_from(day.month()).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn flow(entered: i32, done: i32, n: i64) -> Flow {
        Flow { region_code: "420103".into(), sector: Some(Sector::Fireworks), entered, done, n }
    }

    #[test]
    fn a_month_counts_what_entered_and_was_done_by_its_end() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_else(|| panic!("day"));
        let y = Year::new(2026, today);
        // Four hazards: found in January (one closed in February), February, March (closed March).
        let f = figures(&[flow(1, 2, 1), flow(1, NEVER, 1), flow(2, NEVER, 1), flow(3, 3, 1)], &y);
        let by_month: Vec<(u32, i64, i64)> =
            f.iter().map(|f| (f.month, f.count.numerator, f.count.denominator)).collect();
        assert_eq!(by_month, [(1, 0, 2), (2, 1, 3), (3, 2, 4)]);
    }

    #[test]
    fn days_fall_into_the_years_months() {
        let y = Year::new(2026, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_else(|| panic!("day")));
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("day"));
        assert_eq!(
            (month_of(d(2025, 12, 31), &y), month_of(d(2026, 7, 1), &y), month_of(d(2027, 1, 1), &y)),
            (0, 7, 13)
        );
    }
}
