//! `data/indicators.toml`: the indicators and the plans' targets, checked when
//! loaded — codes unique and each one the product computes, every target naming a
//! known indicator and region and giving either an absolute value or a change
//! against the region's baseline, never both.
//!
//! Decisions:
//! - The indicator codes are a contract (API, xlsx, other tools): they are an enum
//!   here, and a file naming a code the product does not compute is refused, rather
//!   than shown with no figure.
//! - A target is one plan's figure for one region and year. A change target
//!   (`change_percent`, e.g. −15 for deaths) needs the region's baseline, entered in
//!   the product; the file never carries a baseline it could not cite.

use serde::Deserialize;
use std::collections::HashSet;
use std::sync::LazyLock;

pub const FILE: &str = "indicators.toml";
const SHIPPED: &str = include_str!("../../data/indicators.toml");

/// The indicators the product computes (the codes, kept exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorCode {
    InspectionCoverageHighRisk,
    InsuranceCoverage,
    HazardRectificationRate,
    MajorHazardOnTimeRate,
    AccidentDeaths,
    RelativelySeriousAccidents,
    SeriousAccidents,
    #[serde(rename = "deaths_per_100m_gdp")]
    DeathsPer100mGdp,
    #[serde(rename = "deaths_per_100k_workers")]
    DeathsPer100kWorkers,
    StandardizationRate,
    EmergencyPlanFilingRate,
    SpecialOperationCertifiedRate,
    DoubleRandomPublishedOnTime,
    PenaltyPublishedOnTime,
    #[serde(rename = "cases_within_90_days")]
    CasesWithin90Days,
}

impl IndicatorCode {
    pub const ALL: [Self; 15] = [
        Self::InspectionCoverageHighRisk,
        Self::InsuranceCoverage,
        Self::HazardRectificationRate,
        Self::MajorHazardOnTimeRate,
        Self::AccidentDeaths,
        Self::RelativelySeriousAccidents,
        Self::SeriousAccidents,
        Self::DeathsPer100mGdp,
        Self::DeathsPer100kWorkers,
        Self::StandardizationRate,
        Self::EmergencyPlanFilingRate,
        Self::SpecialOperationCertifiedRate,
        Self::DoubleRandomPublishedOnTime,
        Self::PenaltyPublishedOnTime,
        Self::CasesWithin90Days,
    ];

    /// The code (the API's and the file's spelling).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InspectionCoverageHighRisk => "inspection_coverage_high_risk",
            Self::InsuranceCoverage => "insurance_coverage",
            Self::HazardRectificationRate => "hazard_rectification_rate",
            Self::MajorHazardOnTimeRate => "major_hazard_on_time_rate",
            Self::AccidentDeaths => "accident_deaths",
            Self::RelativelySeriousAccidents => "relatively_serious_accidents",
            Self::SeriousAccidents => "serious_accidents",
            Self::DeathsPer100mGdp => "deaths_per_100m_gdp",
            Self::DeathsPer100kWorkers => "deaths_per_100k_workers",
            Self::StandardizationRate => "standardization_rate",
            Self::EmergencyPlanFilingRate => "emergency_plan_filing_rate",
            Self::SpecialOperationCertifiedRate => "special_operation_certified_rate",
            Self::DoubleRandomPublishedOnTime => "double_random_published_on_time",
            Self::PenaltyPublishedOnTime => "penalty_published_on_time",
            Self::CasesWithin90Days => "cases_within_90_days",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

/// What a figure is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A share, 0–100.
    Percent,
    /// People (deaths).
    Persons,
    /// A number of events (accidents).
    Count,
    /// A rate per denominator (deaths per 亿元 GDP, per 100,000 workers).
    Ratio,
}

impl Unit {
    pub fn zh(self) -> &'static str {
        match self {
            Self::Percent => "%",
            Self::Persons => "人",
            Self::Count => "起",
            Self::Ratio => "",
        }
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

/// One indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The code as the file spells it (and the API answers).
    pub code: String,
    pub name: String,
    pub unit: Unit,
    pub direction: Direction,
    /// The computation.
    pub formula: IndicatorCode,
    /// What is counted, in Chinese, shown under the figure.
    pub counts: String,
    /// The records it is computed from, in Chinese.
    pub source: String,
    /// Accumulates through the year: judged against the target pro-rated by the
    /// share of the year gone.
    #[serde(default)]
    pub paced: bool,
}

/// One plan's target for one region.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub indicator: String,
    /// The region's code (6 digits).
    pub region: String,
    pub plan: String,
    pub year: i32,
    /// An absolute target in the indicator's unit.
    pub value: Option<f64>,
    /// A change against the region's baseline, percent (negative: a fall).
    pub change_percent: Option<f64>,
    /// The year whose value a change is measured against (the region's baseline for
    /// that year, entered in the product); required with `change_percent`.
    pub base_year: Option<i32>,
    /// Where in the plan.
    pub line: String,
    /// 约束性 (binding) rather than 预期性.
    #[serde(default)]
    pub binding: bool,
    /// Read from the plan's text; false where the product interpreted it.
    pub verified: bool,
}

/// Which enterprises are 高危行业 for the inspection coverage.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HighRisk {
    pub sectors: Vec<crate::enterprise::domain::Sector>,
    pub sub_types: Vec<crate::enterprise::domain::SubType>,
    pub verified: bool,
}

/// How far below a higher-is-better target is still 有风险.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRule {
    pub at_risk_points: f64,
}

/// The penalty-case time limit counted by `cases_within_90_days`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cases {
    pub limit_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicators {
    pub version: String,
    pub status: StatusRule,
    pub high_risk: HighRisk,
    pub cases: Cases,
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub targets: Vec<Target>,
}

impl Indicators {
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// The targets of a region, in file order.
    pub fn targets_of<'a>(&'a self, region: &'a str) -> impl Iterator<Item = &'a Target> + 'a {
        self.targets.iter().filter(move |t| t.region == region)
    }

    fn check(&self) -> Result<(), String> {
        let mut codes = HashSet::new();
        let mut formulas = HashSet::new();
        for i in &self.indicators {
            if !codes.insert(i.code.as_str()) {
                return Err(format!("indicator {} appears twice", i.code));
            }
            if !formulas.insert(i.formula) {
                return Err(format!("indicator {}: its formula is another indicator's", i.code));
            }
            if i.name.trim().is_empty() || i.counts.trim().is_empty() {
                return Err(format!("indicator {}: name and counts are required", i.code));
            }
        }
        for t in &self.targets {
            let at = format!("target {} for {} ({})", t.indicator, t.region, t.plan);
            if !codes.contains(t.indicator.as_str()) {
                return Err(format!("{at}: no such indicator"));
            }
            if crate::bureau::regions::name(&t.region).is_none() {
                return Err(format!("{at}: no such region"));
            }
            match (t.value, t.change_percent, t.base_year) {
                (Some(v), None, None) if v.is_finite() && v >= 0.0 => {}
                (None, Some(c), Some(b)) if c.is_finite() && (-100.0..=1000.0).contains(&c) && b < t.year => {}
                _ => {
                    return Err(format!(
                        "{at}: give either value (≥ 0) or change_percent (−100 to 1000) with an earlier base_year"
                    ));
                }
            }
            if !(2000..=2100).contains(&t.year) || t.line.trim().is_empty() {
                return Err(format!("{at}: year 2000–2100 and the plan's line are required"));
            }
        }
        Ok(())
    }
}

/// Loads and checks the definitions (the province's file when there is one).
pub fn load() -> Result<Indicators, String> {
    let text = crate::rules_data::text(FILE, SHIPPED)?;
    let d: Indicators = toml::from_str(&text).map_err(|e| e.to_string())?;
    d.check()?;
    Ok(d)
}

static DATA: LazyLock<Result<Indicators, String>> = LazyLock::new(load);

pub fn data() -> crate::error::AppResult<&'static Indicators> {
    DATA.as_ref().map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("{FILE}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Indicators {
        toml::from_str(SHIPPED).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_shipped_file_defines_every_indicator_the_product_computes() {
        let d = load().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.indicators.len(), 15);
        for code in [
            "inspection_coverage_high_risk",
            "insurance_coverage",
            "hazard_rectification_rate",
            "major_hazard_on_time_rate",
            "accident_deaths",
            "relatively_serious_accidents",
            "serious_accidents",
            "deaths_per_100m_gdp",
            "deaths_per_100k_workers",
            "standardization_rate",
            "emergency_plan_filing_rate",
            "special_operation_certified_rate",
            "double_random_published_on_time",
            "penalty_published_on_time",
            "cases_within_90_days",
        ] {
            let i = d.indicator(code).unwrap_or_else(|| panic!("{code}"));
            let formula: IndicatorCode =
                toml::Value::String(code.to_owned()).try_into().unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(i.formula, formula, "{code} is computed by its own formula");
            assert_eq!(formula.as_str(), code, "as_str spells it as serde does");
        }
    }

    #[test]
    fn the_plans_targets_carry_their_lines() {
        let d = shipped();
        let hunan: Vec<&Target> = d.targets_of("430000").collect();
        let deaths = hunan.iter().find(|t| t.indicator == "accident_deaths").unwrap_or_else(|| panic!("H deaths"));
        assert_eq!((deaths.change_percent, deaths.line.as_str(), deaths.binding), (Some(-15.0), "H:72–75", true));
        let serious = hunan.iter().find(|t| t.indicator == "serious_accidents").unwrap_or_else(|| panic!("H 重特大"));
        assert_eq!(serious.value, Some(0.0));
        let jianghan: Vec<&str> = d.targets_of("420103").map(|t| t.indicator.as_str()).collect();
        assert_eq!(jianghan, ["emergency_plan_filing_rate", "inspection_coverage_high_risk"]);
        assert!(d.targets.iter().any(|t| !t.verified), "interpretations are marked");
    }

    fn refusal(d: &Indicators) -> String {
        d.check().err().unwrap_or_else(|| panic!("accepted"))
    }

    #[test]
    fn a_target_with_both_kinds_or_an_unknown_region_is_refused() {
        let mut d = shipped();
        d.targets[0].value = Some(1.0);
        assert!(refusal(&d).contains("either value"));
        let mut d = shipped();
        d.targets[0].region = "999999".to_owned();
        assert!(refusal(&d).contains("no such region"));
        let mut d = shipped();
        d.targets[0].indicator = "nope".to_owned();
        assert!(refusal(&d).contains("no such indicator"));
        let mut d = shipped();
        let dup = d.indicators[0].clone();
        d.indicators.push(dup);
        assert!(refusal(&d).contains("twice"));
        let unknown = SHIPPED.replacen("formula = \"insurance_coverage\"", "formula = \"gdp_growth\"", 1);
        assert!(toml::from_str::<Indicators>(&unknown).is_err(), "a formula the product does not compute");
    }
}
