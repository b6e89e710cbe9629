//! How urgent a to-do is on a day: a pure rule, shown in the list and the page.

use crate::coded::coded_enum;
use chrono::NaiveDate;

coded_enum! {
    /// A to-do's urgency on a day (its due date against today in Beijing).
    pub enum Urgency in "紧迫程度" {
        Overdue = "overdue" / "已逾期",
        DueToday = "due_today" / "今天到期",
        Upcoming = "upcoming" / "未到期",
        Undated = "undated" / "无期限",
    }
}

impl Urgency {
    /// The urgency of an item due on `due` and the days left (negative when overdue).
    pub fn of(due: Option<NaiveDate>, today: NaiveDate) -> (Self, Option<i64>) {
        let Some(due) = due else { return (Self::Undated, None) };
        let days = (due - today).num_days();
        let u = match days {
            d if d < 0 => Self::Overdue,
            0 => Self::DueToday,
            _ => Self::Upcoming,
        };
        (u, Some(days))
    }
}

/// The urgency in words: 逾期 3 天, 今天到期, 明天到期, 5 天后到期, —.
pub fn label(u: Urgency, days_left: Option<i64>) -> String {
    match (u, days_left) {
        (Urgency::Overdue, Some(d)) => format!("逾期 {} 天", -d),
        (Urgency::DueToday, _) => "今天到期".to_owned(),
        (Urgency::Upcoming, Some(1)) => "明天到期".to_owned(),
        (Urgency::Upcoming, Some(d)) => format!("{d} 天后到期"),
        _ => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urgency_counts_days_from_today() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default();
        let on = |d: i64| Urgency::of(Some(today + chrono::Duration::days(d)), today);
        assert_eq!(on(-3), (Urgency::Overdue, Some(-3)));
        assert_eq!(on(0), (Urgency::DueToday, Some(0)));
        assert_eq!(on(4), (Urgency::Upcoming, Some(4)));
        assert_eq!(Urgency::of(None, today), (Urgency::Undated, None));
        assert_eq!(label(Urgency::Overdue, Some(-3)), "逾期 3 天");
        assert_eq!(label(Urgency::DueToday, Some(0)), "今天到期");
        assert_eq!(label(Urgency::Upcoming, Some(1)), "明天到期");
        assert_eq!(label(Urgency::Upcoming, Some(4)), "4 天后到期");
        assert_eq!(label(Urgency::Undated, None), "—");
    }
}
