//! The insurance check (安责险核查), a pure function of the enterprise's facts and
//! its policies on a day ([`assess`]), and the classifications it uses.
//!
//! Decisions:
//! - A policy covers `starts_on..=ends_on`; a cancellation on day `d` ends the
//!   cover on `d - 1` (`cancelled_on` is the first day without cover).
//! - Covered means an active policy whose death and disability limit reaches the
//!   floor **and** whose insured headcount reaches the registered `employees`
//!   (the 2025 rules insure all staff at the same amount); a policy under the
//!   floor is not coverage.
//! - `no_policy` is a problem only for an enterprise that must insure; the other
//!   findings are shown for every enterprise.
//! - A gap is a stretch of days between consecutive policies without cover; the
//!   stretch after the last policy is `no_policy`, not a gap.
//! - Any cancellation before the end of the term is flagged (`cancelled_early`):
//!   the rules allow it only when the enterprise closed or fully stopped, which
//!   a regulator judges from the reason.

use crate::coded::coded_enum;
use chrono::{Days, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

coded_enum! {
    /// A finding of the insurance check.
    pub enum ProblemCode in "保险问题" {
        NoPolicy = "no_policy" / "无有效保单",
        BelowFloor = "below_floor" / "限额低于标准",
        HeadcountShort = "headcount_short" / "参保人数不足",
        Gap = "gap" / "保障中断",
        CancelledEarly = "cancelled_early" / "提前退保",
    }
}

coded_enum! {
    /// Where a policy stands on a day.
    pub enum PolicyStatus in "保单状态" {
        Pending = "pending" / "未生效",
        Active = "active" / "有效",
        Expired = "expired" / "已到期",
        Cancelled = "cancelled" / "已退保",
    }
}

/// One finding, with its Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = InsuranceProblem)]
pub struct Problem {
    pub code: ProblemCode,
    pub message: String,
}

/// What the check reads of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cover {
    pub policy_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub cancelled_on: Option<NaiveDate>,
    pub limit_yuan: i64,
    pub headcount: i32,
}

impl Cover {
    /// The last day covered, if any.
    pub fn last_day(&self) -> Option<NaiveDate> {
        let end = match self.cancelled_on {
            Some(c) => c.checked_sub_days(Days::new(1))?.min(self.ends_on),
            None => self.ends_on,
        };
        (end >= self.starts_on).then_some(end)
    }

    pub fn status(&self, today: NaiveDate) -> PolicyStatus {
        match self.cancelled_on {
            Some(c) if c <= today => PolicyStatus::Cancelled,
            _ if today < self.starts_on => PolicyStatus::Pending,
            _ if today > self.ends_on => PolicyStatus::Expired,
            _ => PolicyStatus::Active,
        }
    }

    fn active_on(&self, day: NaiveDate) -> bool {
        self.last_day().is_some_and(|end| self.starts_on <= day && day <= end)
    }
}

/// What the check reads of the enterprise.
#[derive(Debug, Clone, Copy)]
pub struct Insured {
    pub mandatory: bool,
    pub employees: Option<i32>,
    pub floor_yuan: i64,
}

/// The check's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub covered: bool,
    pub problems: Vec<Problem>,
}

fn problem(code: ProblemCode, message: String) -> Problem {
    Problem { code, message }
}

/// Checks the enterprise's cover on `today` (every finding at once).
pub fn assess(e: Insured, covers: &[Cover], today: NaiveDate) -> Assessment {
    let staff = e.employees.unwrap_or(0);
    let active: Vec<&Cover> = covers.iter().filter(|c| c.active_on(today)).collect();
    let covered = active.iter().any(|c| c.limit_yuan >= e.floor_yuan && c.headcount >= staff);
    let mut problems = Vec::new();
    if active.is_empty() && e.mandatory {
        problems.push(problem(ProblemCode::NoPolicy, "当前没有有效的安全生产责任保险保单".to_owned()));
    }
    if !active.is_empty() && !covered {
        let at_floor: Vec<&&Cover> = active.iter().filter(|c| c.limit_yuan >= e.floor_yuan).collect();
        if at_floor.is_empty() {
            let best = active.iter().map(|c| c.limit_yuan).max().unwrap_or(0);
            problems.push(problem(
                ProblemCode::BelowFloor,
                format!("每人死亡伤残责任限额 {best} 元，低于 {} 元的标准", e.floor_yuan),
            ));
        }
        let candidates: Vec<&Cover> =
            if at_floor.is_empty() { active.clone() } else { at_floor.into_iter().copied().collect() };
        if candidates.iter().all(|c| c.headcount < staff) {
            let most = candidates.iter().map(|c| c.headcount).max().unwrap_or(0);
            problems.push(problem(
                ProblemCode::HeadcountShort,
                format!("参保人数 {most} 人，少于登记的从业人员 {staff} 人"),
            ));
        }
    }
    problems.extend(gaps(covers, today));
    for c in covers {
        if let Some(on) = c.cancelled_on.filter(|on| *on <= c.ends_on) {
            problems.push(problem(
                ProblemCode::CancelledEarly,
                format!("保单于 {on} 退保，早于保险期间届满日 {}", c.ends_on),
            ));
        }
    }
    Assessment { covered, problems }
}

/// Stretches without cover between consecutive policies that began by `today`.
fn gaps(covers: &[Cover], today: NaiveDate) -> Vec<Problem> {
    let mut spans: Vec<(NaiveDate, NaiveDate)> =
        covers.iter().filter(|c| c.starts_on <= today).filter_map(|c| Some((c.starts_on, c.last_day()?))).collect();
    spans.sort_unstable();
    let mut out = Vec::new();
    let mut until: Option<NaiveDate> = None;
    for (start, end) in spans {
        if let Some(prev) = until {
            let first_gap_day = prev.checked_add_days(Days::new(1)).unwrap_or(prev);
            if start > first_gap_day {
                let last_gap_day = start.checked_sub_days(Days::new(1)).unwrap_or(start);
                let days = (start - first_gap_day).num_days();
                out.push(problem(
                    ProblemCode::Gap,
                    format!("{first_gap_day} 至 {last_gap_day} 共 {days} 天没有保险保障（不得延迟续保）"),
                ));
            }
        }
        until = Some(until.map_or(end, |u| u.max(end)));
    }
    out
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
