//! Working-day arithmetic (工作日计算): pure functions over the weekly rule
//! (Monday–Friday work, Saturday and Sunday off) and a set of exceptional dates.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included};

/// What a caller shows next to a deadline whose `beyond_calendar` is set.
pub const BEYOND_CALENDAR_WARNING: &str = "超出已发布节假日安排的日期按仅周末休息计算";

/// How an exceptional date departs from the weekly rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 休: a day off — a statutory holiday, a 调休/补休 weekday, or a weekend inside a holiday.
    Off,
    /// 班: a working day — a weekend day worked in exchange (调休上班).
    Work,
}

impl DayKind {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Work => "work",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Self::Off => "休",
            Self::Work => "班",
        }
    }

    /// Parses a stored value (`off`, `work`).
    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "off" => Some(Self::Off),
            "work" => Some(Self::Work),
            _ => None,
        }
    }

    /// Parses what a clerk writes: 休 (also 休息, 放假) or 班 (also 上班, 补班, 调休上班).
    pub fn from_zh(text: &str) -> Option<Self> {
        match text.trim() {
            "休" | "休息" | "放假" => Some(Self::Off),
            "班" | "上班" | "补班" | "调休上班" => Some(Self::Work),
            _ => None,
        }
    }
}

/// One exceptional date: its kind and, where known, the holiday it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub kind: DayKind,
    pub name: Option<String>,
}

/// The result of counting working days forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WorkingDeadline {
    pub date: NaiveDate,
    /// Some day counted lies after the last year the calendar has data for;
    /// there only weekends were treated as days off.
    pub beyond_calendar: bool,
}

/// Working-day calendar: the weekly rule plus exceptional dates (休 and 班).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, Exception>,
    covered_until: Option<NaiveDate>,
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The `n`-th weekday (Monday–Friday) after `from`, `n ≥ 1`; saturates at the
/// last representable date.
fn add_weekdays(from: NaiveDate, n: u32) -> NaiveDate {
    // Any seven consecutive days hold exactly five weekdays.
    let weeks = (n - 1) / 5;
    let mut left = n - weeks * 5;
    let mut date = from.checked_add_days(Days::new(u64::from(weeks) * 7)).unwrap_or(NaiveDate::MAX);
    while left > 0 {
        let Some(next) = date.succ_opt() else { return NaiveDate::MAX };
        date = next;
        if !is_weekend(date) {
            left -= 1;
        }
    }
    date
}

/// Weekdays `d` with `a < d ≤ b`.
fn weekdays_between(a: NaiveDate, b: NaiveDate) -> u64 {
    let days = u64::try_from((b - a).num_days()).unwrap_or(0);
    let full = days / 7;
    let rest = a
        .checked_add_days(Days::new(full * 7))
        .map_or(0, |from| from.iter_days().skip(1).take_while(|d| *d <= b).filter(|d| !is_weekend(*d)).count());
    full * 5 + rest as u64
}

impl Calendar {
    /// A calendar from exceptional dates; a later entry for the same date wins.
    pub fn new(entries: impl IntoIterator<Item = (NaiveDate, Exception)>) -> Self {
        let days: BTreeMap<_, _> = entries.into_iter().collect();
        let covered_until = days.last_key_value().and_then(|(d, _)| NaiveDate::from_ymd_opt(d.year(), 12, 31));
        Self { days, covered_until }
    }

    /// This calendar with `entries` laid over it (they win for their dates).
    #[must_use]
    pub fn merged(&self, entries: impl IntoIterator<Item = (NaiveDate, Exception)>) -> Self {
        Self::new(self.days.clone().into_iter().chain(entries))
    }

    /// 31 December of the last year with data; `None` for an empty calendar.
    pub fn covered_until(&self) -> Option<NaiveDate> {
        self.covered_until
    }

    /// The exceptional date's entry, if it is one.
    pub fn exception(&self, d: NaiveDate) -> Option<&Exception> {
        self.days.get(&d)
    }

    /// Every exceptional date, in order.
    pub fn exceptions(&self) -> impl Iterator<Item = (NaiveDate, &Exception)> {
        self.days.iter().map(|(d, e)| (*d, e))
    }

    /// Whether the date lies after the last year with data.
    pub fn is_beyond(&self, d: NaiveDate) -> bool {
        self.covered_until.is_none_or(|end| d > end)
    }

    /// Monday–Friday unless listed as 休; Saturday and Sunday only if listed as 班.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(e) => e.kind == DayKind::Work,
            None => !is_weekend(d),
        }
    }

    /// The `n`-th working day after `start` (`start` itself is not counted;
    /// `n = 0` gives `start`). Past the calendar's last year only weekends are
    /// days off, and the result says so.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> WorkingDeadline {
        let mut date = start;
        let mut left = n;
        while left > 0 {
            if self.covered_until.is_none_or(|end| date >= end) {
                return WorkingDeadline { date: add_weekdays(date, left), beyond_calendar: true };
            }
            let Some(next) = date.succ_opt() else { break };
            date = next;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        WorkingDeadline { date, beyond_calendar: false }
    }

    /// Working days `d` with `a < d ≤ b` (0 when `b ≤ a`), so that
    /// `working_days_between(s, add_working_days(s, n).date) == n`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> u32 {
        if b <= a {
            return 0;
        }
        let adjust: i64 = self
            .days
            .range((Excluded(a), Included(b)))
            .map(|(d, e)| match (e.kind, is_weekend(*d)) {
                (DayKind::Off, false) => -1,
                (DayKind::Work, true) => 1,
                _ => 0,
            })
            .sum();
        let total = i64::try_from(weekdays_between(a, b)).unwrap_or(i64::MAX).saturating_add(adjust);
        u32::try_from(total.max(0)).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn off(s: &str) -> (NaiveDate, Exception) {
        (d(s), Exception { kind: DayKind::Off, name: Some("国庆节、中秋节".into()) })
    }

    fn work(s: &str) -> (NaiveDate, Exception) {
        (d(s), Exception { kind: DayKind::Work, name: Some("国庆节、中秋节".into()) })
    }

    /// 2025 国庆 + 中秋 as the notice has it: 10-01..10-08 off, 09-28 and 10-11 worked.
    fn national_day_2025() -> Calendar {
        let mut entries = vec![work("2025-09-28"), work("2025-10-11")];
        entries.extend((1..=8).map(|day| off(&format!("2025-10-{day:02}"))));
        Calendar::new(entries)
    }

    #[test]
    fn weekdays_work_and_weekends_rest_unless_listed() {
        let cal = national_day_2025();
        assert!(cal.is_working_day(d("2025-09-26")), "Friday");
        assert!(!cal.is_working_day(d("2025-09-27")), "Saturday");
        assert!(cal.is_working_day(d("2025-09-28")), "调休 Sunday");
        assert!(!cal.is_working_day(d("2025-10-01")), "国庆 Wednesday");
        assert!(!cal.is_working_day(d("2025-10-08")), "补休 Wednesday");
        assert!(cal.is_working_day(d("2025-10-09")));
        assert!(cal.is_working_day(d("2025-10-11")), "调休 Saturday");
        assert!(!cal.is_working_day(d("2025-10-12")), "Sunday");
        assert_eq!(cal.covered_until(), Some(d("2025-12-31")));
    }

    #[test]
    fn zero_days_is_the_start_itself() {
        let cal = national_day_2025();
        let start = d("2025-10-04");
        assert_eq!(cal.add_working_days(start, 0), WorkingDeadline { date: start, beyond_calendar: false });
    }

    #[test]
    fn counting_skips_the_national_day_block_and_counts_the_swapped_saturday() {
        let cal = national_day_2025();
        // From Friday 09-26: 09-28 (Sunday, worked) is the first, 09-29 and 09-30
        // follow, then nothing until 10-09.
        let from = d("2025-09-26");
        let at = |n| cal.add_working_days(from, n).date;
        assert_eq!(at(1), d("2025-09-28"));
        assert_eq!(at(3), d("2025-09-30"));
        assert_eq!(at(4), d("2025-10-09"));
        assert_eq!(at(5), d("2025-10-10"));
        assert_eq!(at(6), d("2025-10-11"), "调休 Saturday counts");
        assert_eq!(at(7), d("2025-10-13"));
        // Starting inside the holiday: the first working day is 10-09.
        assert_eq!(cal.add_working_days(d("2025-10-01"), 1).date, d("2025-10-09"));
        assert!(!cal.add_working_days(from, 7).beyond_calendar);
    }

    #[test]
    fn beyond_the_last_year_only_weekends_are_off() {
        let cal = national_day_2025();
        // Wednesday 2025-12-24: 12-25, 26, 29, 30, 31 are the five working days left
        // in the covered year; 2026-01-01 (a holiday in reality) counts as a weekday.
        let r = cal.add_working_days(d("2025-12-24"), 5);
        assert_eq!(r, WorkingDeadline { date: d("2025-12-31"), beyond_calendar: false });
        let r = cal.add_working_days(d("2025-12-24"), 6);
        assert_eq!(r, WorkingDeadline { date: d("2026-01-01"), beyond_calendar: true });
        let r = cal.add_working_days(d("2025-12-24"), 7);
        assert_eq!(r, WorkingDeadline { date: d("2026-01-02"), beyond_calendar: true });
        let r = cal.add_working_days(d("2025-12-24"), 8);
        assert_eq!(r.date, d("2026-01-05"), "the weekend is skipped");
        // Far beyond: 260 weekdays from Friday 2027-01-01 is exactly 52 weeks on.
        let r = cal.add_working_days(d("2027-01-01"), 260);
        assert_eq!(r, WorkingDeadline { date: d("2027-12-31"), beyond_calendar: true });
    }

    #[test]
    fn an_empty_calendar_is_weekends_only_and_always_beyond() {
        let cal = Calendar::default();
        assert_eq!(cal.covered_until(), None);
        let r = cal.add_working_days(d("2025-10-03"), 1);
        assert_eq!(r, WorkingDeadline { date: d("2025-10-06"), beyond_calendar: true });
        assert!(cal.is_beyond(d("2000-01-01")));
    }

    #[test]
    fn huge_counts_saturate_instead_of_panicking() {
        let r = Calendar::default().add_working_days(d("2025-01-01"), u32::MAX);
        assert_eq!(r.date, NaiveDate::MAX);
        assert!(r.beyond_calendar);
    }

    #[test]
    fn counting_between_inverts_adding() {
        let cal = national_day_2025();
        let from = d("2025-09-20");
        for n in 0..80 {
            let to = cal.add_working_days(from, n).date;
            assert_eq!(cal.working_days_between(from, to), n, "n = {n}, to = {to}");
        }
        assert_eq!(cal.working_days_between(d("2025-09-30"), d("2025-10-08")), 0);
        assert_eq!(cal.working_days_between(d("2025-10-08"), d("2025-09-30")), 0);
    }

    #[test]
    fn a_later_entry_wins_and_stretches_the_coverage() {
        let cal = national_day_2025().merged([work("2025-10-08"), off("2026-06-19")]);
        assert!(cal.is_working_day(d("2025-10-08")));
        assert_eq!(cal.covered_until(), Some(d("2026-12-31")));
    }

    #[test]
    fn kinds_round_trip_and_read_what_clerks_write() {
        for k in [DayKind::Off, DayKind::Work] {
            assert_eq!(DayKind::parse(k.as_str()), Some(k));
            assert_eq!(DayKind::from_zh(k.zh()), Some(k));
        }
        assert_eq!(DayKind::from_zh(" 上班 "), Some(DayKind::Work));
        assert_eq!(DayKind::from_zh("调休"), None, "ambiguous");
    }
}
