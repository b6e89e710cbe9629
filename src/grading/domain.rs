//! Grading an enterprise, as pure functions of its figures and a rule set:
//! - other sectors: the first general rule whose condition holds ([`general`]);
//! - hazchem: the guide's score (100 minus the deductions) and its bands, red
//!   whenever a direct-red situation holds ([`guide_score`]);
//! - the accident-history direct-red situation from accident counts ([`accident_history`]).

use super::rules::{GradingRules, HazchemGuide, Metric};
use crate::error::FieldErrors;
use crate::risk::domain::RiskLevel;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The figures of one enterprise that general rules read; a metric not present is 0.
pub type Metrics = BTreeMap<Metric, i64>;

/// A grade and why: the metric and threshold of the condition that held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub grade: Option<RiskLevel>,
    /// “红色风险点 ≥ 1” …; `None` when no rule held.
    pub because: Option<String>,
}

/// The grade of the first rule that holds; `None` when none does (not graded).
pub fn general(rules: &GradingRules, m: &Metrics) -> Verdict {
    for rule in &rules.general.rules {
        if let Some(c) = rule.any.iter().find(|c| m.get(&c.metric).copied().unwrap_or(0) >= c.at_least) {
            return Verdict { grade: Some(rule.grade), because: Some(format!("{} ≥ {}", c.metric.zh(), c.at_least)) };
        }
    }
    Verdict { grade: None, because: None }
}

/// Points off one item of an assessment.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Deduction {
    /// An item code of the guide.
    #[schema(max_length = 100)]
    pub code: String,
    /// 0 to the item's maximum, in halves of a point at most.
    pub points: f64,
    /// 扣分理由.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: String,
}

/// A guide scoring: the score, the situations that held and the grade.
#[derive(Debug, Clone, PartialEq)]
pub struct GuideResult {
    pub score: f64,
    pub direct_red: Vec<String>,
    pub grade: RiskLevel,
}

/// Scores an assessment: 100 minus the deductions (not below 0), graded by the bands;
/// red whenever a direct-red situation is ticked or found. Every problem at once.
pub fn guide_score(
    guide: &HazchemGuide,
    deductions: &[Deduction],
    direct_red: &[String],
) -> Result<GuideResult, FieldErrors> {
    let mut fields = FieldErrors::new();
    let mut push = |f: &str, m: String| fields.entry(f.to_owned()).or_default().push(m);
    let mut seen = Vec::new();
    let mut off = 0.0;
    for d in deductions {
        let Some(item) = guide.items.iter().find(|i| i.code == d.code) else {
            push("deductions", format!("没有评估项“{}”", crate::limits::preview(&d.code)));
            continue;
        };
        if seen.contains(&d.code) {
            push("deductions", format!("评估项“{}”重复", item.name));
        }
        seen.push(d.code.clone());
        let halves = d.points * 2.0;
        if !(0.0..=f64::from(item.max_deduction)).contains(&d.points) || halves.fract() != 0.0 {
            push("deductions", format!("“{}”扣分须在 0 到 {} 之间（最小 0.5 分）", item.name, item.max_deduction));
        }
        if d.note.chars().count() > 500 {
            push("deductions", format!("“{}”扣分理由不得超过 500 字", item.name));
        }
        off += d.points;
    }
    for code in direct_red {
        if !guide.direct_red.iter().any(|r| &r.code == code) {
            push("direct_red", format!("没有直接判定情形“{}”", crate::limits::preview(code)));
        }
    }
    if !fields.is_empty() {
        return Err(fields);
    }
    let score = (100.0 - off).max(0.0);
    let mut held: Vec<String> = direct_red.to_vec();
    held.sort();
    held.dedup();
    let grade = if held.is_empty() { guide.bands.level(score) } else { RiskLevel::Red };
    Ok(GuideResult { score, direct_red: held, grade })
}

/// Accidents of an enterprise by grade, for the guide's accident-history situation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccidentCounts {
    /// 重大 or 特别重大 within three years.
    pub serious_or_worse_3y: i64,
    /// 较大 within three years.
    pub relatively_serious_3y: i64,
    /// 一般 with a death (or missing person) within one year.
    pub fatal_general_1y: i64,
}

/// 三年内重大以上事故，或三年内 2 起较大事故，或近一年 2 起以上亡人一般事故.
pub fn accident_history(a: AccidentCounts) -> bool {
    a.serious_or_worse_3y >= 1 || a.relatively_serious_3y >= 2 || a.fatal_general_1y >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::rules::{SHIPPED, load};

    fn rules() -> &'static GradingRules {
        let _ = SHIPPED;
        load().unwrap_or_else(|e| panic!("{e}"))
    }

    fn d(code: &str, points: f64) -> Deduction {
        Deduction { code: code.to_owned(), points, note: String::new() }
    }

    #[test]
    fn the_worked_example_scores_and_grades_by_the_bands() {
        let g = &rules().hazchem_guide;
        // 固有危险性 −12, 设计 −6, 自控 −4.5: 100 − 22.5 = 77.5, yellow (75 ≤ 77.5 < 90).
        let r = guide_score(g, &[d("inherent_hazard", 12.0), d("design", 6.0), d("automation", 4.5)], &[])
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((r.score, r.grade), (77.5, RiskLevel::Yellow));
        // Three more points off: 74.5, orange.
        let r = guide_score(
            g,
            &[d("inherent_hazard", 12.0), d("design", 6.0), d("automation", 4.5), d("emergency", 3.0)],
            &[],
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((r.score, r.grade), (74.5, RiskLevel::Orange));
        // At the bounds: 90 blue, 75 yellow, 60 orange, 59.5 red.
        for (off, grade) in
            [(10.0_f64, RiskLevel::Blue), (25.0, RiskLevel::Yellow), (40.0, RiskLevel::Orange), (40.5, RiskLevel::Red)]
        {
            // Spread the points over the items in order, each up to its maximum.
            let mut left = off;
            let list: Vec<Deduction> = g
                .items
                .iter()
                .map(|i| {
                    let take = left.min(f64::from(i.max_deduction));
                    left -= take;
                    d(&i.code, take)
                })
                .collect();
            assert_eq!(guide_score(g, &list, &[]).map(|r| r.grade).ok(), Some(grade), "{off} off");
        }
    }

    #[test]
    fn a_direct_red_situation_makes_a_full_score_red() {
        let g = &rules().hazchem_guide;
        let r = guide_score(g, &[], &["no_formal_design".to_owned()]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((r.score, r.grade), (100.0, RiskLevel::Red));
    }

    #[test]
    fn every_bad_deduction_is_reported_at_once() {
        let g = &rules().hazchem_guide;
        let Err(e) = guide_score(g, &[d("nope", 1.0), d("design", 11.0), d("equipment", 0.3)], &["nope".to_owned()])
        else {
            panic!("refused")
        };
        assert_eq!(e["deductions"].len(), 3, "{e:?}");
        assert_eq!(e["direct_red"].len(), 1);
    }

    #[test]
    fn general_rules_take_the_first_that_holds() {
        let r = rules();
        let m = |pairs: &[(Metric, i64)]| pairs.iter().copied().collect::<Metrics>();
        assert_eq!(general(r, &m(&[])).grade, None, "no data, not graded");
        assert_eq!(general(r, &m(&[(Metric::Points, 3)])).grade, Some(RiskLevel::Blue));
        assert_eq!(general(r, &m(&[(Metric::Points, 3), (Metric::YellowPoints, 1)])).grade, Some(RiskLevel::Yellow));
        assert_eq!(general(r, &m(&[(Metric::OverdueHazards, 2)])).grade, None);
        assert_eq!(general(r, &m(&[(Metric::OverdueHazards, 3)])).grade, Some(RiskLevel::Orange));
        let v = general(r, &m(&[(Metric::Points, 9), (Metric::OpenMajorHazards, 1)]));
        assert_eq!(v.grade, Some(RiskLevel::Red));
        assert_eq!(v.because.as_deref(), Some("未销号重大事故隐患 ≥ 1"));
    }

    #[test]
    fn accident_history_follows_the_three_situations() {
        let none = AccidentCounts::default();
        assert!(!accident_history(none));
        assert!(accident_history(AccidentCounts { serious_or_worse_3y: 1, ..none }));
        assert!(!accident_history(AccidentCounts { relatively_serious_3y: 1, fatal_general_1y: 1, ..none }));
        assert!(accident_history(AccidentCounts { relatively_serious_3y: 2, ..none }));
        assert!(accident_history(AccidentCounts { fatal_general_1y: 2, ..none }));
    }
}
