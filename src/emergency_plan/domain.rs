//! The classifications of emergency-plan filing and the pure rules over them: the
//! filing's lifecycle ([`next`]) and the due dates of the periodic evaluation and
//! the drills ([`add_months`], [`due_state`]).

use crate::coded::coded_enum;
use chrono::{Months, NaiveDate};

coded_enum! {
    /// Where a filing stands.
    pub enum FilingStatus in "备案状态" {
        Submitted = "submitted" / "待审核",
        Returned = "returned" / "已退回",
        Accepted = "accepted" / "已备案",
    }
}

coded_enum! {
    /// The kind of a plan document (部令2号: 综合、专项预案和现场处置方案).
    pub enum PlanKind in "预案类型" {
        Comprehensive = "comprehensive" / "综合应急预案",
        Special = "special" / "专项应急预案",
        OnSite = "on_site" / "现场处置方案",
    }
}

coded_enum! {
    /// How a plan was evaluated before it was published.
    pub enum EvaluationForm in "评审形式" {
        Review = "review" / "评审",
        Demonstration = "demonstration" / "论证",
    }
}

coded_enum! {
    /// The form of a drill.
    pub enum DrillForm in "演练形式" {
        Tabletop = "tabletop" / "桌面演练",
        Live = "live" / "实战演练",
    }
}

coded_enum! {
    /// A step on a filing.
    pub enum Action in "备案操作" {
        Accept = "accept" / "受理备案",
        Return = "return" / "退回",
        Resubmit = "resubmit" / "修改后重新报备",
        RecordDrill = "record_drill" / "登记演练",
    }
}

/// The status a step leads to, if the step is allowed in `from`.
pub fn next(from: FilingStatus, action: Action) -> Option<FilingStatus> {
    use FilingStatus as S;
    match (from, action) {
        (S::Submitted, Action::Accept) | (S::Accepted, Action::RecordDrill) => Some(S::Accepted),
        (S::Submitted, Action::Return) => Some(S::Returned),
        (S::Returned, Action::Resubmit) => Some(S::Submitted),
        _ => None,
    }
}

/// `day` plus whole months (the end of a shorter month when the day is missing).
pub fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(day)
}

/// Where a periodic duty stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Nothing to do yet.
    NotYet,
    /// Due within the warning window (on or after `due - soon_days`, up to `due`).
    Soon,
    /// Past its due date.
    Overdue,
}

/// The state of a duty due on `due`, warned `soon_days` before.
pub fn due_state(due: NaiveDate, today: NaiveDate, soon_days: u32) -> Due {
    if today > due {
        Due::Overdue
    } else if (due - today).num_days() <= i64::from(soon_days) {
        Due::Soon
    } else {
        Due::NotYet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn the_lifecycle_allows_only_its_steps() {
        assert_eq!(next(FilingStatus::Submitted, Action::Accept), Some(FilingStatus::Accepted));
        assert_eq!(next(FilingStatus::Submitted, Action::Return), Some(FilingStatus::Returned));
        assert_eq!(next(FilingStatus::Returned, Action::Resubmit), Some(FilingStatus::Submitted));
        assert_eq!(next(FilingStatus::Accepted, Action::Return), None);
        assert_eq!(next(FilingStatus::Returned, Action::Accept), None);
        assert_eq!(next(FilingStatus::Submitted, Action::RecordDrill), None);
    }

    #[test]
    fn due_dates_warn_then_overdue() {
        assert_eq!(add_months(d("2026-08-31"), 6), d("2027-02-28"));
        assert_eq!(due_state(d("2026-12-31"), d("2026-11-22"), 30), Due::NotYet);
        assert_eq!(due_state(d("2026-12-22"), d("2026-11-22"), 30), Due::Soon);
        assert_eq!(due_state(d("2026-11-22"), d("2026-11-22"), 30), Due::Soon);
        assert_eq!(due_state(d("2026-11-21"), d("2026-11-22"), 30), Due::Overdue);
    }
}
