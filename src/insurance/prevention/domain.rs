//! The pure part of accident-prevention services (事故预防服务): the kinds, the
//! policy year a day falls in ([`policy_year`]) with the premium it carries, and
//! the spend as a share of that premium with its flags ([`spend`]).
//!
//! Decisions:
//! - A policy year is a 12-month slice from the policy's first day (a one-year
//!   policy has one: its term); the last slice ends with the term, or the day
//!   before a cancellation.
//! - A term of at most 366 days carries its whole premium in its one year; a
//!   longer term's premium is spread over its years by their days.
//! - The share is exact in whole yuan: above the ceiling means
//!   `cost × 100 > ceiling % × premium`, below the floor `cost × 100 < floor % ×
//!   premium` (the ceiling of 21 % is the national rule; the floor is this
//!   product's attention line, see `data/insurance-rules.toml`).

use crate::coded::coded_enum;
use crate::insurance::domain::Cover;
use chrono::{Months, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

coded_enum! {
    /// What the insurer did (the services the 2024 notice and 应急〔2025〕27号 name).
    pub enum ServiceKind in "事故预防服务类型" {
        RiskAssessment = "risk_assessment" / "风险评估",
        HazardInspection = "hazard_inspection" / "隐患排查",
        Training = "training" / "安全培训",
        Drill = "drill" / "应急演练",
    }
}

impl ServiceKind {
    /// Whether a service of this kind records findings that become hazards.
    pub const fn has_findings(self) -> bool {
        matches!(self, Self::HazardInspection)
    }
}

/// One policy year: its days and the premium it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyYear {
    /// 0 for the first year.
    pub index: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub premium_yuan: i64,
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

/// The policy year of `cover` (with its `premium_yuan`) that contains `on`, if the
/// policy covers `on`.
pub fn policy_year(cover: &Cover, premium_yuan: i64, on: NaiveDate) -> Option<PolicyYear> {
    let last = cover.last_day()?;
    if on < cover.starts_on || on > last {
        return None;
    }
    let mut index = 0u32;
    let mut from = cover.starts_on;
    loop {
        let next = cover.starts_on.checked_add_months(Months::new(12 * (index + 1)))?;
        if on < next {
            let to = next.pred_opt()?.min(last);
            let term = days(cover.starts_on, cover.ends_on);
            let share = if term <= 366 {
                premium_yuan
            } else {
                let spread = i128::from(premium_yuan) * i128::from(days(from, next.pred_opt()?.min(cover.ends_on)));
                i64::try_from(spread / i128::from(term)).ok()?
            };
            return Some(PolicyYear { index, from, to, premium_yuan: share });
        }
        index += 1;
        from = next;
    }
}

/// Spend on prevention services against a premium.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Spend {
    pub cost_yuan: i64,
    pub premium_yuan: i64,
    /// cost ÷ premium in percent, one decimal (absent without a premium).
    pub share_percent: Option<f64>,
    /// Above the ceiling (21 %).
    pub above_ceiling: bool,
    /// Below the configured floor (an attention line, not law).
    pub below_floor: bool,
}

/// The spend `cost_yuan` against `premium_yuan`, flagged against the ceiling and floor (percent).
pub fn spend(cost_yuan: i64, premium_yuan: i64, ceiling_percent: i64, floor_percent: i64) -> Spend {
    let (cost, premium) = (i128::from(cost_yuan), i128::from(premium_yuan));
    let share_percent = (premium > 0).then(|| {
        // Tenths of a percent, rounded half up.
        let tenths = (cost * 2000 + premium) / (premium * 2);
        #[allow(clippy::cast_precision_loss)]
        let v = i64::try_from(tenths).unwrap_or(i64::MAX) as f64 / 10.0;
        v
    });
    Spend {
        cost_yuan,
        premium_yuan,
        share_percent,
        above_ceiling: premium > 0 && cost * 100 > i128::from(ceiling_percent) * premium,
        below_floor: premium > 0 && cost * 100 < i128::from(floor_percent) * premium,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn cover(from: &str, to: &str, cancelled: Option<&str>) -> Cover {
        Cover {
            policy_id: 1,
            starts_on: d(from),
            ends_on: d(to),
            cancelled_on: cancelled.map(d),
            limit_yuan: 400_000,
            headcount: 1,
        }
    }

    #[test]
    fn a_one_year_policy_has_one_year_with_its_whole_premium() {
        let c = cover("2026-03-01", "2027-02-28", None);
        let y = policy_year(&c, 10_000, d("2026-12-31"));
        assert_eq!(y, Some(PolicyYear { index: 0, from: d("2026-03-01"), to: d("2027-02-28"), premium_yuan: 10_000 }));
        assert_eq!(policy_year(&c, 10_000, d("2027-03-01")), None);
        assert_eq!(policy_year(&c, 10_000, d("2026-02-28")), None);
        let cancelled = cover("2026-03-01", "2027-02-28", Some("2026-09-01"));
        assert_eq!(policy_year(&cancelled, 10_000, d("2026-09-01")), None);
        assert_eq!(policy_year(&cancelled, 10_000, d("2026-08-31")).map(|y| y.to), Some(d("2026-08-31")));
    }

    #[test]
    fn a_longer_term_spreads_its_premium_over_its_years() {
        let c = cover("2026-01-01", "2028-12-31", None);
        let y = policy_year(&c, 30_000, d("2027-06-01")).unwrap_or_else(|| panic!("covered"));
        assert_eq!((y.index, y.from, y.to), (1, d("2027-01-01"), d("2027-12-31")));
        assert_eq!(y.premium_yuan, 30_000 * 365 / 1096);
    }

    #[test]
    fn the_share_is_flagged_above_the_ceiling_and_below_the_floor() {
        let s = spend(2_200, 10_000, 21, 5);
        assert_eq!((s.share_percent, s.above_ceiling, s.below_floor), (Some(22.0), true, false));
        let s = spend(2_100, 10_000, 21, 5);
        assert!(!s.above_ceiling && !s.below_floor);
        let s = spend(499, 10_000, 21, 5);
        assert_eq!((s.share_percent, s.above_ceiling, s.below_floor), (Some(5.0), false, true));
        assert!(spend(0, 10_000, 21, 5).below_floor);
        assert_eq!(spend(1, 3, 21, 5).share_percent, Some(33.3));
    }
}
