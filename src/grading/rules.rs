//! The enterprise grading rules as data (`data/enterprise-grading.toml`, replaceable
//! per province through [`crate::rules_data`]): the class of each grade, the hazchem
//! guide's items, bands and direct-red situations, and the ordered rules other
//! sectors are graded by. What each metric counts is code ([`Metric`]); which
//! metric at which threshold gives which grade is data.

use crate::risk::domain::RiskLevel;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The shipped national defaults.
pub const SHIPPED: &str = include_str!("../../data/enterprise-grading.toml");

/// The supervision class of each grade, and of an enterprise not graded.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Classes {
    pub red: String,
    pub orange: String,
    pub yellow: String,
    pub blue: String,
    pub ungraded: String,
}

impl Classes {
    /// The class of a grade (`None`: not graded).
    pub fn of(&self, grade: Option<RiskLevel>) -> &str {
        match grade {
            Some(RiskLevel::Red) => &self.red,
            Some(RiskLevel::Orange) => &self.orange,
            Some(RiskLevel::Yellow) => &self.yellow,
            Some(RiskLevel::Blue) => &self.blue,
            None => &self.ungraded,
        }
    }
}

/// One scored item of the guide: at most `max_deduction` points off.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct GuideItem {
    pub code: String,
    pub name: String,
    pub max_deduction: u32,
}

/// A direct-red situation of the guide.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct GuideDirectRed {
    pub code: String,
    pub label: String,
    pub verified: bool,
    /// Decided from the accident register as well as by the assessor.
    #[serde(default)]
    pub from_accidents: bool,
}

/// Score bounds: below `red_below` red, below `orange_below` orange, below
/// `yellow_below` yellow, else blue.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, utoipa::ToSchema)]
pub struct GuideBands {
    pub red_below: f64,
    pub orange_below: f64,
    pub yellow_below: f64,
}

impl GuideBands {
    pub fn level(&self, score: f64) -> RiskLevel {
        if score < self.red_below {
            RiskLevel::Red
        } else if score < self.orange_below {
            RiskLevel::Orange
        } else if score < self.yellow_below {
            RiskLevel::Yellow
        } else {
            RiskLevel::Blue
        }
    }
}

/// 《危险化学品生产储存企业安全风险评估诊断分级指南（试行）》 as data.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct HazchemGuide {
    pub name: String,
    pub document: String,
    pub document_verified: bool,
    /// An assessment counts for this many years.
    pub valid_years: u32,
    pub bands: GuideBands,
    /// Whether the items and their maxima were checked against the guide's text.
    pub items_verified: bool,
    pub items: Vec<GuideItem>,
    pub direct_red: Vec<GuideDirectRed>,
}

/// What a general rule can count; each is computed from the data (see `compute`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    RedPoints,
    OrangePoints,
    YellowPoints,
    Points,
    #[serde(rename = "installations_1_2")]
    Installations12,
    Installations,
    OpenMajorHazards,
    OverdueHazards,
    #[serde(rename = "fatal_accidents_3y")]
    FatalAccidents3y,
    #[serde(rename = "accidents_3y")]
    Accidents3y,
    #[serde(rename = "inspection_findings_1y")]
    InspectionFindings1y,
}

impl Metric {
    /// The metric's wording, for the inputs shown with a grade.
    pub fn zh(self) -> &'static str {
        match self {
            Self::RedPoints => "红色风险点",
            Self::OrangePoints => "橙色风险点",
            Self::YellowPoints => "黄色风险点",
            Self::Points => "风险点",
            Self::Installations12 => "一级、二级重大危险源",
            Self::Installations => "重大危险源",
            Self::OpenMajorHazards => "未销号重大事故隐患",
            Self::OverdueHazards => "逾期未整改隐患",
            Self::FatalAccidents3y => "近三年亡人事故",
            Self::Accidents3y => "近三年事故",
            Self::InspectionFindings1y => "近一年执法检查发现隐患",
        }
    }
}

/// `metric ≥ at_least`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Condition {
    pub metric: Metric,
    pub at_least: i64,
}

/// A grade given when any of its conditions holds.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct GeneralRule {
    pub grade: RiskLevel,
    pub any: Vec<Condition>,
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct General {
    /// Tried in order; the first that holds gives the grade.
    pub rules: Vec<GeneralRule>,
}

/// A complete grading rule set.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct GradingRules {
    pub version: String,
    pub classes: Classes,
    pub hazchem_guide: HazchemGuide,
    pub general: General,
}

impl GradingRules {
    /// Why the rule set cannot be used, if it cannot.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let caps = crate::inspection::governance::cap::caps();
        for (grade, class) in [
            ("red", &self.classes.red),
            ("orange", &self.classes.orange),
            ("yellow", &self.classes.yellow),
            ("blue", &self.classes.blue),
            ("ungraded", &self.classes.ungraded),
        ] {
            if caps.named(class).is_none() {
                out.push(format!("classes.{grade}: “{class}” is not a class of inspection-caps.toml"));
            }
        }
        let g = &self.hazchem_guide;
        let b = g.bands;
        if !(0.0 < b.red_below
            && b.red_below < b.orange_below
            && b.orange_below < b.yellow_below
            && b.yellow_below <= 100.0)
        {
            out.push("hazchem_guide.bands must rise from red_below to yellow_below within 0–100".to_owned());
        }
        if g.items.is_empty() || g.valid_years == 0 {
            out.push("hazchem_guide needs items and valid_years ≥ 1".to_owned());
        }
        let mut codes: Vec<&str> = g.items.iter().map(|i| i.code.as_str()).collect();
        codes.extend(g.direct_red.iter().map(|d| d.code.as_str()));
        codes.sort_unstable();
        if codes.windows(2).any(|w| w[0] == w[1]) {
            out.push("hazchem_guide: item and direct-red codes must be unique".to_owned());
        }
        if self.general.rules.iter().any(|r| r.any.is_empty() || r.any.iter().any(|c| c.at_least < 1)) {
            out.push("general.rules: every rule needs conditions with at_least ≥ 1".to_owned());
        }
        out
    }
}

static LOADED: LazyLock<Result<GradingRules, String>> = LazyLock::new(|| {
    let text = crate::rules_data::text("enterprise-grading.toml", SHIPPED)?;
    parse(&text)
});

fn parse(text: &str) -> Result<GradingRules, String> {
    let rules: GradingRules = toml::from_str(text).map_err(|e| e.to_string())?;
    let problems = rules.problems();
    if problems.is_empty() { Ok(rules) } else { Err(problems.join("; ")) }
}

/// The rules in force, or why they do not load.
pub fn load() -> Result<&'static GradingRules, &'static str> {
    LOADED.as_ref().map_err(String::as_str)
}

/// The rules in force; an internal error if they do not load (`serve` checks at start).
pub fn in_force() -> crate::error::AppResult<&'static GradingRules> {
    load().map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("enterprise-grading.toml: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_load_and_map_every_grade_to_a_class() {
        let r = parse(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.classes.of(Some(RiskLevel::Red)), "D");
        assert_eq!(r.classes.of(Some(RiskLevel::Blue)), "A");
        assert_eq!(r.classes.of(None), "B");
        assert_eq!(r.hazchem_guide.valid_years, 3);
        let b = r.hazchem_guide.bands;
        assert_eq!(
            (b.level(59.9), b.level(60.0), b.level(74.5), b.level(75.0)),
            (RiskLevel::Red, RiskLevel::Orange, RiskLevel::Orange, RiskLevel::Yellow)
        );
        assert_eq!(
            (b.level(89.9), b.level(90.0), b.level(100.0)),
            (RiskLevel::Yellow, RiskLevel::Blue, RiskLevel::Blue)
        );
    }

    #[test]
    fn a_rule_set_with_an_unknown_class_or_disordered_bands_is_refused() {
        let bad = SHIPPED.replace("red = \"D\"", "red = \"Z\"").replace("red_below = 60", "red_below = 80");
        let Err(e) = parse(&bad) else { panic!("refused") };
        assert!(e.contains("classes.red") && e.contains("bands"), "{e}");
    }
}
