//! The kinds of credit event (监管风险信号) and the score arithmetic: a pure function
//! of an enterprise's events, one rule version and the day, in hundredths of a point
//! so that a stored score and a recomputed one compare exactly.

use super::rules::{RuleVersion, SignalRule};
use crate::coded::coded_enum;
use chrono::NaiveDate;

coded_enum! {
    /// What happened. Positive behaviour has a negative weight in the rules.
    pub enum Signal in "监管风险信号" {
        OverdueMajorHazard = "overdue_major_hazard" / "重大事故隐患逾期未整改",
        AccidentGeneral = "accident_general" / "发生一般生产安全事故",
        AccidentRelativelySerious = "accident_relatively_serious" / "发生较大生产安全事故",
        AccidentSerious = "accident_serious" / "发生重大及以上生产安全事故",
        PenaltyDecision = "penalty_decision" / "受到行政处罚",
        RefusedInspection = "refused_inspection" / "拒绝、阻碍监督检查（已处罚）",
        LateStatistics = "late_statistics" / "隐患排查治理统计逾期报送",
        RepeatFinding = "repeat_finding" / "同一检查项目一年内再次发现隐患",
        UninsuredMandatory = "uninsured_mandatory" / "应投保安责险而无有效足额保单",
        StandardizationLevel1 = "standardization_level1" / "安全生产标准化一级达标",
        StandardizationLevel2 = "standardization_level2" / "安全生产标准化二级达标",
        StandardizationLevel3 = "standardization_level3" / "安全生产标准化三级达标",
        SelfReportedHazard = "self_reported_hazard" / "企业自查发现隐患并整改销号",
        PreventionService = "prevention_service" / "接受保险机构事故预防服务",
    }
}

/// One event as the score reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub signal: Signal,
    pub occurred_on: NaiveDate,
}

/// What one event counts on `as_of`: hundredths of a point, and the share of its
/// weight still counted (percent, for the breakdown).
pub fn contribution(rule: &SignalRule, occurred_on: NaiveDate, as_of: NaiveDate) -> (i64, i64) {
    let age = (as_of - occurred_on).num_days();
    if age < 0 || age >= rule.expire_days {
        return (0, 0);
    }
    let full = rule.weight * 100;
    if age <= rule.full_days {
        return (full, 100);
    }
    let span = rule.expire_days - rule.full_days;
    let left = rule.expire_days - age;
    (full * left / span, left * 100 / span)
}

/// The score on `as_of` in hundredths of a point, never below 0. Events of a signal
/// the version does not weigh count nothing.
pub fn score(version: &RuleVersion, events: impl IntoIterator<Item = Event>, as_of: NaiveDate) -> i64 {
    let sum: i64 = events
        .into_iter()
        .filter_map(|e| version.signals.get(&e.signal).map(|r| contribution(r, e.occurred_on, as_of).0))
        .sum();
    sum.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(weight: i64, full_days: i64, expire_days: i64) -> SignalRule {
        SignalRule { weight, full_days, expire_days }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn an_event_counts_in_full_then_less_then_nothing() {
        let r = rule(20, 100, 300);
        let on = day("2026-01-01");
        assert_eq!(contribution(&r, on, day("2025-12-31")), (0, 0), "not yet happened");
        assert_eq!(contribution(&r, on, on), (2000, 100));
        assert_eq!(contribution(&r, on, on + chrono::Duration::days(100)), (2000, 100));
        assert_eq!(contribution(&r, on, on + chrono::Duration::days(200)), (1000, 50));
        assert_eq!(contribution(&r, on, on + chrono::Duration::days(299)), (10, 0));
        assert_eq!(contribution(&r, on, on + chrono::Duration::days(300)), (0, 0));
    }

    #[test]
    fn positive_behaviour_lowers_the_score_but_not_below_zero() {
        let v = crate::credit::rules::data()
            .unwrap_or_else(|e| panic!("{e}"))
            .version("2026-1")
            .unwrap_or_else(|| panic!("2026-1"))
            .clone();
        let on = day("2026-06-01");
        let as_of = day("2026-07-01");
        let bad = Event { signal: Signal::OverdueMajorHazard, occurred_on: on };
        let good = Event { signal: Signal::StandardizationLevel1, occurred_on: on };
        assert_eq!(score(&v, [bad], as_of), 2500);
        assert_eq!(score(&v, [bad, good], as_of), 500);
        assert_eq!(score(&v, [good], as_of), 0);
    }
}
