//! Pure rules of self-inspection: the 78号 guide's types, organisational levels,
//! frequencies and their periods, task status and the overdue rule.

use crate::coded::coded_enum;
use chrono::{Datelike, Duration, NaiveDate};

coded_enum! {
    /// Type of 排查 (78号 guide §6.1).
    #[schema(as = SelfInspectionKind)]
    pub enum Kind in "排查类型" {
        Daily = "daily" / "日常排查",
        Comprehensive = "comprehensive" / "综合性排查",
        Specialised = "specialised" / "专业性排查",
        Seasonal = "seasonal" / "季节性排查",
        Holiday = "holiday" / "节假日前排查",
        AccidentAnalogy = "accident_analogy" / "事故类比排查",
        Resumption = "resumption" / "复产复工前排查",
    }
}

coded_enum! {
    /// The organisational level that carries a plan out.
    #[schema(as = SelfInspectionLevel)]
    pub enum Level in "排查层级" {
        Enterprise = "enterprise" / "公司级",
        Unit = "unit" / "基层单位级",
        Workshop = "workshop" / "车间级",
        Post = "post" / "岗位（班组）级",
    }
}

coded_enum! {
    /// How often a plan's task recurs.
    pub enum Frequency in "排查频次" {
        Daily = "daily" / "每日",
        Weekly = "weekly" / "每周",
        Monthly = "monthly" / "每月",
        Quarterly = "quarterly" / "每季度",
        HalfYearly = "half_yearly" / "每半年",
        Yearly = "yearly" / "每年",
        AsNeeded = "as_needed" / "按需（不按周期生成）",
    }
}

coded_enum! {
    /// Where a task stands (overdue is derived: see [`is_overdue`]).
    pub enum TaskStatus in "排查任务状态" {
        Open = "open" / "待排查",
        Completed = "completed" / "已完成",
    }
}

/// The period of `day` for a frequency: its key (unique per plan) and its last
/// day (the task's due date). `None` for [`Frequency::AsNeeded`].
pub fn period_of(f: Frequency, day: NaiveDate) -> Option<(String, NaiveDate)> {
    let y = day.year();
    let month_end = |y: i32, m: u32| {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        NaiveDate::from_ymd_opt(ny, nm, 1).map(|d| d - Duration::days(1))
    };
    match f {
        Frequency::Daily => Some((day.format("%Y-%m-%d").to_string(), day)),
        Frequency::Weekly => {
            let w = day.iso_week();
            let sunday = day + Duration::days(i64::from(6 - day.weekday().num_days_from_monday()));
            Some((format!("{}-W{:02}", w.year(), w.week()), sunday))
        }
        Frequency::Monthly => Some((format!("{y}-{:02}", day.month()), month_end(y, day.month())?)),
        Frequency::Quarterly => {
            let q = (day.month() - 1) / 3 + 1;
            Some((format!("{y}-Q{q}"), month_end(y, q * 3)?))
        }
        Frequency::HalfYearly => {
            let h = if day.month() <= 6 { 1 } else { 2 };
            Some((format!("{y}-H{h}"), month_end(y, h * 6)?))
        }
        Frequency::Yearly => Some((format!("{y}"), month_end(y, 12)?)),
        Frequency::AsNeeded => None,
    }
}

/// Overdue on `today`: still open and its due date is before today.
pub fn is_overdue(status: TaskStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    status == TaskStatus::Open && due_on < today
}

/// The status shown: 已逾期 for an overdue open task.
pub fn status_zh(status: TaskStatus, due_on: NaiveDate, today: NaiveDate) -> &'static str {
    if is_overdue(status, due_on, today) { "已逾期" } else { status.zh() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn periods_have_stable_keys_and_end_on_their_last_day() {
        let day = d("2026-11-22");
        assert_eq!(period_of(Frequency::Daily, day), Some(("2026-11-22".into(), day)));
        assert_eq!(period_of(Frequency::Weekly, day), Some(("2026-W47".into(), d("2026-11-22"))));
        assert_eq!(period_of(Frequency::Weekly, d("2026-11-16")), Some(("2026-W47".into(), d("2026-11-22"))));
        assert_eq!(period_of(Frequency::Monthly, day), Some(("2026-11".into(), d("2026-11-30"))));
        assert_eq!(period_of(Frequency::Quarterly, day), Some(("2026-Q4".into(), d("2026-12-31"))));
        assert_eq!(period_of(Frequency::HalfYearly, d("2026-02-10")), Some(("2026-H1".into(), d("2026-06-30"))));
        assert_eq!(period_of(Frequency::Yearly, day), Some(("2026".into(), d("2026-12-31"))));
        assert_eq!(period_of(Frequency::AsNeeded, day), None);
    }

    #[test]
    fn only_an_open_task_past_its_due_date_is_overdue() {
        let due = d("2026-11-22");
        assert!(!is_overdue(TaskStatus::Open, due, due));
        assert!(is_overdue(TaskStatus::Open, due, d("2026-11-23")));
        assert!(!is_overdue(TaskStatus::Completed, due, d("2026-11-23")));
        assert_eq!(status_zh(TaskStatus::Open, due, d("2026-11-23")), "已逾期");
    }
}
