//! Pure rules of the annual plan: its statuses, capacity in 执法工作日, the planned
//! count of a random target, the monthly breakdown's check and what changed between
//! two revisions.
//!
//! Decisions where the issue is silent:
//! - capacity (days) = inspectors × available days × (100 − reserve %) / 100;
//!   capacity in inspections = ⌊capacity days ÷ days per inspection⌋, where "days per
//!   inspection" is the 执法工作日 one inspection takes (the whole team's, e.g. 2 for a
//!   team of two on site for a day);
//! - a random target's planned count is ⌈ordinary enterprises × ratio⌉ (a non-zero
//!   ratio of a non-empty group plans at least one), frozen when the plan is saved;
//! - the planned total is the key enterprises plus the random targets' planned counts.

use crate::coded::coded_enum;
use crate::enterprise::domain::Sector;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Where a plan (revision) is in its lifecycle.
    #[schema(as = AnnualPlanStatus)]
    pub enum Status in "计划状态" {
        Draft = "draft" / "草稿",
        Submitted = "submitted" / "待审批",
        Approved = "approved" / "已批准",
        Superseded = "superseded" / "已被修订",
    }
}

/// A random sampling target (双随机) of one sector and supervision class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = AnnualPlanTarget)]
pub struct Target {
    pub sector: Sector,
    /// A supervision class code of `data/inspection-caps.toml` (`key`, `general`, `low`).
    pub supervision_class: String,
    /// The share of the ordinary enterprises to sample, 0 < ratio ≤ 1.
    pub ratio: f64,
    /// Ordinary (not key, not closed) enterprises of the sector and class when saved.
    pub ordinary: u64,
    /// ⌈ordinary × ratio⌉.
    pub planned: u64,
}

impl Target {
    /// The ratio as a percentage for pages: `7%`, `12.5%` (no binary-fraction tails).
    pub fn percent(&self) -> String {
        let p = (self.ratio * 10_000.0).round() / 100.0;
        let text = format!("{p:.2}");
        format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// The capacity inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capacity {
    pub inspectors: u32,
    pub available_days: u32,
    pub reserve_percent: u32,
    pub days_per_inspection: f64,
}

impl Capacity {
    /// 执法工作日 available for planned inspections, after the reserve.
    pub fn days(self) -> f64 {
        f64::from(self.inspectors) * f64::from(self.available_days) * f64::from(100 - self.reserve_percent.min(100))
            / 100.0
    }

    /// Inspections the capacity allows.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn inspections(self) -> u64 {
        if self.days_per_inspection > 0.0 { (self.days() / self.days_per_inspection + 1e-9).floor() as u64 } else { 0 }
    }
}

/// ⌈ordinary × ratio⌉.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
pub fn planned(ordinary: u64, ratio: f64) -> u64 {
    ((ordinary as f64) * ratio - 1e-9).ceil().max(0.0) as u64
}

/// The warning when the capacity is below the planned total (留有余地 is the bureau's call).
pub fn capacity_warning(capacity: u64, total: u64) -> Option<String> {
    (capacity < total).then(|| format!("计划检查总数 {total} 家次超过执法能力 {capacity} 家次，请确认是否留有余地"))
}

/// The problem with a monthly breakdown, if any.
pub fn monthly_problem(monthly: &[u32], total: u64) -> Option<String> {
    if monthly.len() != 12 {
        return Some(format!("月度安排须为 12 个月的数字（现有 {} 个）", monthly.len()));
    }
    let sum: u64 = monthly.iter().map(|m| u64::from(*m)).sum();
    (sum != total).then(|| format!("月度安排合计 {sum} 家次，与计划检查总数 {total} 家次不一致"))
}

/// One field of a plan as the revision history compares it.
pub struct Field<'a> {
    pub label: &'static str,
    pub value: &'a str,
}

/// The labels of the fields that differ between two revisions (same order, same labels).
pub fn changed<'a>(before: &[Field<'a>], after: &[Field<'a>]) -> Vec<&'static str> {
    before.iter().zip(after).filter(|(b, a)| b.value != a.value).map(|(b, _)| b.label).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_keeps_the_reserve() {
        let c = Capacity { inspectors: 10, available_days: 200, reserve_percent: 20, days_per_inspection: 2.0 };
        assert!((c.days() - 1600.0).abs() < 1e-9);
        assert_eq!(c.inspections(), 800);
        assert_eq!(Capacity { days_per_inspection: 0.0, ..c }.inspections(), 0);
    }

    #[test]
    fn a_ratio_plans_at_least_one_of_a_non_empty_group() {
        assert_eq!(planned(1751, 0.005), 9);
        assert_eq!(planned(58, 0.05), 3);
        assert_eq!(planned(10, 0.3), 3);
        assert_eq!(planned(0, 0.5), 0);
        assert_eq!(planned(3, 0.01), 1);
    }

    #[test]
    fn the_monthly_breakdown_adds_up() {
        assert!(monthly_problem(&[1; 12], 12).is_none());
        assert!(monthly_problem(&[1; 12], 13).is_some_and(|m| m.contains("12") && m.contains("13")));
        assert!(monthly_problem(&[1; 11], 11).is_some());
        assert!(capacity_warning(5, 6).is_some() && capacity_warning(6, 6).is_none());
    }
}
