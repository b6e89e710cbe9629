//! The time limits of 国务院令第493号 the register computes with, read from
//! `data/accident-reporting.toml` (the numbers and whether each was checked
//! against the text are data, never code), and the pure deadlines built on them.
//!
//! Decisions:
//! - 补报 (art. 13): changed figures are accepted until `occurred_at` plus 30
//!   days, 7 for a fire. GB 6441's 车辆伤害 is not the same as a 道路交通事故 (which
//!   the traffic police investigate), so only 火灾 gets the 7 days.
//! - 逐级上报 (arts. 10–11): each step is due two hours after the step below it
//!   was made (or was due, while it is not recorded); the enterprise's report is
//!   due one hour after the accident (art. 9). A report is matched to the step
//!   with its receiving level, so a 越级上报 counts for that level.
//! - 调查报告 (art. 29): due 60 days after the accident's Beijing date, plus the
//!   approved extension of at most 60 days.

use super::domain::{AccidentGrade, AccidentType, ReportLevel, report_chain};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Deserialize;
use std::sync::LazyLock;

/// The time limits (`data/accident-reporting.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct Rules {
    pub enterprise_report_hours: i64,
    pub enterprise_report_basis: String,
    pub upward_report_hours: i64,
    pub upward_report_verified: bool,
    pub upward_report_basis: String,
    pub supplement_days: i64,
    pub supplement_days_fire: i64,
    pub supplement_verified: bool,
    pub supplement_basis: String,
    pub investigation_days: i64,
    pub investigation_extension_max_days: i64,
    pub investigation_verified: bool,
    pub investigation_basis: String,
}

pub const SHIPPED: &str = include_str!("../../data/accident-reporting.toml");

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    toml::from_str(SHIPPED).unwrap_or_else(|e| {
        tracing::error!(error = %e, "data/accident-reporting.toml does not load; the statutory numbers assumed");
        Rules {
            enterprise_report_hours: 1,
            enterprise_report_basis: String::new(),
            upward_report_hours: 2,
            upward_report_verified: false,
            upward_report_basis: String::new(),
            supplement_days: 30,
            supplement_days_fire: 7,
            supplement_verified: false,
            supplement_basis: String::new(),
            investigation_days: 60,
            investigation_extension_max_days: 60,
            investigation_verified: false,
            investigation_basis: String::new(),
        }
    })
});

pub fn rules() -> &'static Rules {
    &RULES
}

/// Until when changed casualty figures are accepted and regraded (art. 13).
pub fn supplement_until(kind: AccidentType, occurred_at: DateTime<Utc>) -> DateTime<Utc> {
    let r = rules();
    let days = if kind == AccidentType::Fire { r.supplement_days_fire } else { r.supplement_days };
    occurred_at + Duration::days(days)
}

/// One step of the legal report chain with its due time and, once made, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub from: ReportLevel,
    pub to: ReportLevel,
    pub due_at: DateTime<Utc>,
    pub reported_at: Option<DateTime<Utc>>,
}

impl Step {
    /// Made after its due time (迟报); `None` while not made.
    pub fn late(&self) -> Option<bool> {
        self.reported_at.map(|r| r > self.due_at)
    }

    /// Not made and past its due time at `now`.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.reported_at.is_none() && now > self.due_at
    }
}

/// The steps the grade asks for, each due from the one below it. `received`
/// gives the earliest recorded report reaching a level.
pub fn steps(
    grade: AccidentGrade,
    occurred_at: DateTime<Utc>,
    received: impl Fn(ReportLevel) -> Option<DateTime<Utc>>,
) -> Vec<Step> {
    let r = rules();
    let mut base = occurred_at;
    let mut hours = r.enterprise_report_hours;
    let mut out = Vec::new();
    for (from, to) in report_chain(grade) {
        let due_at = base + Duration::hours(hours);
        let reported_at = received(to);
        base = reported_at.unwrap_or(due_at);
        hours = r.upward_report_hours;
        out.push(Step { from, to, due_at, reported_at });
    }
    out
}

/// When the investigation report is due (art. 29), with the extension granted.
pub fn investigation_due(occurred_on: NaiveDate, extended_days: i64) -> NaiveDate {
    occurred_on + Duration::days(rules().investigation_days + extended_days.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_shipped_rules_load() {
        let r: Rules = toml::from_str(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.enterprise_report_hours, r.upward_report_hours, r.supplement_days_fire), (1, 2, 7));
    }

    #[test]
    fn each_step_is_due_from_the_one_below() {
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).single().unwrap_or_default();
        let county = at + Duration::minutes(30);
        let s = steps(AccidentGrade::RelativelySerious, at, |l| (l == ReportLevel::County).then_some(county));
        let dues: Vec<_> = s.iter().map(|s| s.due_at).collect();
        assert_eq!(dues, [at + Duration::hours(1), county + Duration::hours(2), county + Duration::hours(4)]);
        assert_eq!((s[0].late(), s[1].late()), (Some(false), None));
        assert!(s[1].overdue(county + Duration::hours(2) + Duration::seconds(1)));
        assert!(!s[1].overdue(county + Duration::hours(2)), "due at the second is not overdue");
        assert_eq!(supplement_until(AccidentType::Fire, at), at + Duration::days(7));
        assert_eq!(supplement_until(AccidentType::Vehicle, at), at + Duration::days(30));
    }
}
