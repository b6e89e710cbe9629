//! The emergency-plan rules (`data/emergency-plans.toml`): which enterprises must
//! file (a rule over sector, sub-type, special topic, size and employees), which are
//! high-risk, and the periods of the evaluation and the drills. Data, never code; a
//! province replaces the file through `ANJIAN_RULES_DIR`. [`Rules::must_file_sql`]
//! and [`Rules::high_risk_sql`] are the same rules as SQL, so the lists, the job and
//! the indicator are set-based and agree with [`Rules::must_file`].

use super::domain::PlanKind;
use crate::enterprise::domain::{Sector, SpecialTopic, SubType};
use crate::error::{AppError, AppResult};
use serde::Deserialize;
use std::sync::LazyLock;

pub const SHIPPED: &str = include_str!("../../data/emergency-plans.toml");
pub const FILE: &str = "emergency-plans.toml";

/// A class of enterprises: the sector, any of the sub-types and special topics when
/// listed, and the size test when one is given.
#[derive(Debug, Clone, Deserialize)]
pub struct Class {
    pub label: String,
    pub sector: Sector,
    #[serde(default)]
    pub sub_types: Vec<SubType>,
    #[serde(default)]
    pub special_topics: Vec<SpecialTopic>,
    /// When true, an enterprise above designated size (规模以上) passes the size test.
    #[serde(default)]
    pub above_designated_size: bool,
    /// An enterprise with at least this many employees passes the size test.
    #[serde(default)]
    pub min_employees: Option<i32>,
    pub basis: String,
    pub verified: bool,
}

/// The periodic evaluation (应急预案评估).
#[derive(Debug, Clone, Deserialize)]
pub struct Evaluation {
    pub every_months: u32,
    pub due_soon_days: u32,
    pub basis: String,
    pub verified: bool,
}

/// The drill periods (应急演练), in months.
#[derive(Debug, Clone, Deserialize)]
pub struct Drills {
    pub comprehensive_months: u32,
    pub special_months: u32,
    pub on_site_months: u32,
    pub on_site_high_risk_months: u32,
    pub due_soon_days: u32,
    pub basis: String,
    pub verified: bool,
}

/// The whole rule file.
#[derive(Debug, Clone, Deserialize)]
pub struct Rules {
    pub basis: String,
    pub must_file: Vec<Class>,
    pub high_risk: Vec<Class>,
    pub evaluation: Evaluation,
    pub drills: Drills,
}

/// The enterprise facts the classes read.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub sector: Sector,
    /// Comma-separated sub-type codes, as stored.
    pub sub_types: &'a str,
    /// Comma-separated special-topic codes, as stored.
    pub special_topics: &'a str,
    pub above_designated_size: Option<bool>,
    pub employees: Option<i32>,
}

fn listed(stored: &str, code: &str) -> bool {
    stored.split(',').any(|s| s.trim() == code)
}

fn any_listed_sql(column: &str, codes: &[&str]) -> String {
    let parts: Vec<String> = codes.iter().map(|c| format!("(',' || {column} || ',') LIKE '%,{c},%'")).collect();
    format!("({})", parts.join(" OR "))
}

impl Class {
    fn sized(&self) -> bool {
        self.above_designated_size || self.min_employees.is_some()
    }

    pub fn matches(&self, f: Facts<'_>) -> bool {
        let size = !self.sized()
            || (self.above_designated_size && f.above_designated_size == Some(true))
            || self.min_employees.is_some_and(|m| f.employees.is_some_and(|e| e >= m));
        self.sector == f.sector
            && (self.sub_types.is_empty() || self.sub_types.iter().any(|s| listed(f.sub_types, s.as_str())))
            && (self.special_topics.is_empty()
                || self.special_topics.iter().any(|t| listed(f.special_topics, t.as_str())))
            && size
    }

    /// The class as SQL over the enterprise table aliased `a` (codes and numbers
    /// come from enums and integers, so the text is safe to inline).
    fn sql(&self, a: &str) -> String {
        let mut parts = vec![format!("{a}.sector = '{}'", self.sector.as_str())];
        if !self.sub_types.is_empty() {
            let codes: Vec<&str> = self.sub_types.iter().map(|s| s.as_str()).collect();
            parts.push(any_listed_sql(&format!("{a}.sub_types"), &codes));
        }
        if !self.special_topics.is_empty() {
            let codes: Vec<&str> = self.special_topics.iter().map(|s| s.as_str()).collect();
            parts.push(any_listed_sql(&format!("{a}.special_topics"), &codes));
        }
        if self.sized() {
            let mut size = Vec::new();
            if self.above_designated_size {
                size.push(format!("{a}.above_designated_size = TRUE"));
            }
            if let Some(m) = self.min_employees {
                size.push(format!("COALESCE({a}.employees, 0) >= {m}"));
            }
            parts.push(format!("({})", size.join(" OR ")));
        }
        format!("({})", parts.join(" AND "))
    }
}

fn any_sql(classes: &[Class], alias: &str) -> String {
    let parts: Vec<String> = classes.iter().map(|c| c.sql(alias)).collect();
    if parts.is_empty() { "1 = 0".to_owned() } else { format!("({})", parts.join(" OR ")) }
}

impl Rules {
    /// The first class that makes an enterprise file, if any.
    pub fn must_file(&self, f: Facts<'_>) -> Option<&Class> {
        self.must_file.iter().find(|c| c.matches(f))
    }

    pub fn is_high_risk(&self, f: Facts<'_>) -> bool {
        self.high_risk.iter().any(|c| c.matches(f))
    }

    /// The must-file rule as an SQL condition over the enterprise table aliased `alias`.
    pub fn must_file_sql(&self, alias: &str) -> String {
        any_sql(&self.must_file, alias)
    }

    /// The high-risk rule as an SQL condition over the enterprise table aliased `alias`.
    pub fn high_risk_sql(&self, alias: &str) -> String {
        any_sql(&self.high_risk, alias)
    }

    /// The longest time between two drills of a plan of this kind.
    pub fn drill_months(&self, kind: PlanKind, high_risk: bool) -> u32 {
        match kind {
            PlanKind::Comprehensive => self.drills.comprehensive_months,
            PlanKind::Special => self.drills.special_months,
            PlanKind::OnSite if high_risk => self.drills.on_site_high_risk_months,
            PlanKind::OnSite => self.drills.on_site_months,
        }
    }

    fn check(&self) -> Result<(), String> {
        let d = &self.drills;
        let months = [
            self.evaluation.every_months,
            d.comprehensive_months,
            d.special_months,
            d.on_site_months,
            d.on_site_high_risk_months,
        ];
        if months.iter().any(|m| !(1..=120).contains(m)) {
            return Err("periods must be 1–120 months".to_owned());
        }
        if self.evaluation.due_soon_days > 366 || d.due_soon_days > 366 {
            return Err("due_soon_days must be 0–366".to_owned());
        }
        if let Some(c) = self.must_file.iter().chain(&self.high_risk).find(|c| c.min_employees.is_some_and(|m| m < 0)) {
            return Err(format!("{}: min_employees must not be negative", c.label));
        }
        Ok(())
    }
}

/// Loads and checks the rules (the province's file when there is one).
pub fn load() -> Result<Rules, String> {
    let text = crate::rules_data::text(FILE, SHIPPED)?;
    let r: Rules = toml::from_str(&text).map_err(|e| e.to_string())?;
    r.check()?;
    Ok(r)
}

static RULES: LazyLock<Result<Rules, String>> = LazyLock::new(load);

pub fn rules() -> AppResult<&'static Rules> {
    RULES.as_ref().map_err(|e| AppError::Internal(anyhow::anyhow!("{FILE}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(sector: Sector, special_topics: &str, above: Option<bool>) -> Facts<'_> {
        Facts { sector, sub_types: "", special_topics, above_designated_size: above, employees: Some(50) }
    }

    #[test]
    fn the_shipped_rules_name_who_must_file_and_stay_unverified() {
        let r: Rules = toml::from_str(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.check().is_ok());
        assert!(r.must_file(facts(Sector::HazardousChemicals, "", None)).is_some());
        assert!(r.must_file(facts(Sector::Fireworks, "", None)).is_some());
        assert!(r.must_file(facts(Sector::NonCoalMine, "", None)).is_some());
        assert!(r.must_file(facts(Sector::IndustryTrade, "", Some(true))).is_some());
        assert!(r.must_file(facts(Sector::IndustryTrade, "", Some(false))).is_none());
        assert!(r.must_file(facts(Sector::IndustryTrade, "", None)).is_none());
        assert!(r.is_high_risk(facts(Sector::IndustryTrade, "dust_explosion,metal_smelting", None)));
        assert!(!r.is_high_risk(facts(Sector::IndustryTrade, "dust_explosion", Some(true))));
        assert_eq!(r.drill_months(PlanKind::OnSite, true), 6);
        assert_eq!(r.drill_months(PlanKind::Special, false), 12);
        assert_eq!(r.evaluation.every_months, 36);
        assert!(r.must_file.iter().chain(&r.high_risk).all(|c| !c.verified), "all to verify");
        assert!(r.must_file_sql("e").contains("e.above_designated_size = TRUE"));
    }
}
