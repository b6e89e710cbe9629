//! The insurance rules (`data/insurance-rules.toml`): who must insure (a rule over
//! sector, sub-type and special topic), the floor of the death and disability
//! limit with regional floors by region-code prefix, the reminder days and the
//! prevention-service spend. Data, never code; a province replaces the file
//! through `ANJIAN_RULES_DIR`.
//!
//! [`Rules::mandatory_sql`] and [`Rules::floor_sql`] are the same rules as SQL,
//! so the coverage figures are computed set-based and agree with the pure check.

use crate::enterprise::domain::{Sector, SpecialTopic, SubType};
use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use std::sync::LazyLock;
use utoipa::ToSchema;

pub const SHIPPED: &str = include_str!("../../data/insurance-rules.toml");
pub const FILE: &str = "insurance-rules.toml";

/// The floor of the death and disability limit per person.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = InsuranceFloorRule)]
pub struct Floor {
    pub death_disability_yuan: i64,
    pub basis: String,
    pub verified: bool,
    #[serde(default)]
    pub regions: Vec<RegionFloor>,
}

/// A higher floor in the regions whose code starts with `prefix`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = InsuranceRegionFloor)]
pub struct RegionFloor {
    pub prefix: String,
    pub death_disability_yuan: i64,
    pub basis: String,
    pub verified: bool,
}

/// Days before expiry when reminders go out.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = InsuranceReminderRule)]
pub struct Reminders {
    pub days_before_expiry: Vec<i64>,
    pub basis: String,
    pub verified: bool,
}

/// Prevention-service (事故预防服务) spend as a share of the premium.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = InsurancePreventionRule)]
pub struct Prevention {
    pub ceiling_percent: i64,
    pub floor_percent: i64,
    pub basis: String,
    pub verified: bool,
    pub floor_basis: String,
    pub floor_verified: bool,
}

/// One class of enterprises that must insure: the sector, and when given, any
/// of the sub-types and any of the special topics.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = InsuranceMandatoryRule)]
pub struct Mandatory {
    pub label: String,
    pub sector: Sector,
    #[serde(default)]
    pub sub_types: Vec<SubType>,
    #[serde(default)]
    pub special_topics: Vec<SpecialTopic>,
    pub basis: String,
    pub verified: bool,
    /// Where mapping the national list onto this product's classes is a decision.
    #[serde(default)]
    pub judgement: Option<String>,
}

/// A class of art. 2 outside this product's register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = InsuranceOutsideRule)]
pub struct Outside {
    pub label: String,
}

/// The whole rule file.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = InsuranceRules)]
pub struct Rules {
    pub basis: String,
    pub floor: Floor,
    pub reminders: Reminders,
    pub prevention: Prevention,
    pub mandatory: Vec<Mandatory>,
    #[serde(default)]
    pub outside: Vec<Outside>,
}

/// The enterprise facts the mandatory rule reads.
#[derive(Debug, Clone, Copy)]
pub struct Classes<'a> {
    pub sector: Sector,
    /// Comma-separated sub-type codes, as stored.
    pub sub_types: &'a str,
    /// Comma-separated special-topic codes, as stored.
    pub special_topics: &'a str,
}

fn listed(stored: &str, code: &str) -> bool {
    stored.split(',').any(|s| s.trim() == code)
}

/// `(',' || column || ',') LIKE '%,code,%'` for each code, joined by OR.
pub(crate) fn any_listed_sql(column: &str, codes: &[&str]) -> String {
    let parts: Vec<String> = codes.iter().map(|c| format!("(',' || {column} || ',') LIKE '%,{c},%'")).collect();
    format!("({})", parts.join(" OR "))
}

impl Rules {
    /// Whether an enterprise of these classes must insure.
    pub fn is_mandatory(&self, c: Classes<'_>) -> bool {
        self.mandatory_rule(c).is_some()
    }

    /// The first rule that makes an enterprise of these classes insure.
    pub fn mandatory_rule(&self, c: Classes<'_>) -> Option<&Mandatory> {
        self.mandatory.iter().find(|m| {
            m.sector == c.sector
                && (m.sub_types.is_empty() || m.sub_types.iter().any(|s| listed(c.sub_types, s.as_str())))
                && (m.special_topics.is_empty()
                    || m.special_topics.iter().any(|t| listed(c.special_topics, t.as_str())))
        })
    }

    /// The floor for a region: the longest matching regional prefix, else the national floor.
    pub fn floor_for(&self, region_code: &str) -> i64 {
        self.floor
            .regions
            .iter()
            .filter(|r| region_code.starts_with(r.prefix.as_str()))
            .max_by_key(|r| r.prefix.len())
            .map_or(self.floor.death_disability_yuan, |r| r.death_disability_yuan)
    }

    /// The mandatory rule as an SQL condition over the enterprise table aliased `alias`.
    /// Codes come from the enums (no quotes), so the text is safe to inline.
    pub fn mandatory_sql(&self, alias: &str) -> String {
        let rules: Vec<String> = self
            .mandatory
            .iter()
            .map(|m| {
                let mut parts = vec![format!("{alias}.sector = '{}'", m.sector.as_str())];
                if !m.sub_types.is_empty() {
                    let codes: Vec<&str> = m.sub_types.iter().map(|s| s.as_str()).collect();
                    parts.push(any_listed_sql(&format!("{alias}.sub_types"), &codes));
                }
                if !m.special_topics.is_empty() {
                    let codes: Vec<&str> = m.special_topics.iter().map(|s| s.as_str()).collect();
                    parts.push(any_listed_sql(&format!("{alias}.special_topics"), &codes));
                }
                format!("({})", parts.join(" AND "))
            })
            .collect();
        if rules.is_empty() { "1 = 0".to_owned() } else { format!("({})", rules.join(" OR ")) }
    }

    /// The floor as an SQL expression over the enterprise table aliased `alias`
    /// (prefixes are checked digits, so safe to inline).
    pub fn floor_sql(&self, alias: &str) -> String {
        let mut regions: Vec<&RegionFloor> = self.floor.regions.iter().collect();
        regions.sort_by_key(|r| std::cmp::Reverse(r.prefix.len()));
        if regions.is_empty() {
            return self.floor.death_disability_yuan.to_string();
        }
        let mut arms = String::new();
        for r in regions {
            let _ = write!(arms, " WHEN {alias}.region_code LIKE '{}%' THEN {}", r.prefix, r.death_disability_yuan);
        }
        format!("(CASE{arms} ELSE {} END)", self.floor.death_disability_yuan)
    }

    fn check(&self) -> Result<(), String> {
        if self.floor.death_disability_yuan <= 0 {
            return Err("floor.death_disability_yuan must be positive".to_owned());
        }
        if let Some(r) = self
            .floor
            .regions
            .iter()
            .find(|r| r.prefix.is_empty() || r.prefix.len() > 6 || !r.prefix.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!("floor.regions: prefix “{}” is not 1–6 digits", r.prefix));
        }
        if self.reminders.days_before_expiry.iter().any(|d| !(1..=366).contains(d)) {
            return Err("reminders.days_before_expiry must be 1–366".to_owned());
        }
        let p = &self.prevention;
        if !(0..=100).contains(&p.floor_percent) || !(p.floor_percent..=100).contains(&p.ceiling_percent) {
            return Err("prevention: 0 ≤ floor_percent ≤ ceiling_percent ≤ 100".to_owned());
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

    fn shipped() -> Rules {
        toml::from_str(SHIPPED).unwrap_or_else(|e| panic!("{e}"))
    }

    fn classes<'a>(sector: Sector, sub_types: &'a str, special_topics: &'a str) -> Classes<'a> {
        Classes { sector, sub_types, special_topics }
    }

    #[test]
    fn the_shipped_rules_load_and_follow_art_2() {
        let r = shipped();
        assert!(r.check().is_ok());
        assert_eq!(r.floor.death_disability_yuan, 400_000);
        assert!(r.is_mandatory(classes(Sector::NonCoalMine, "mine_open_pit", "")));
        assert!(r.is_mandatory(classes(Sector::HazardousChemicals, "hc_trading_with_storage", "")));
        assert!(!r.is_mandatory(classes(Sector::HazardousChemicals, "hc_trading_without_storage", "")));
        assert!(r.is_mandatory(classes(Sector::Fireworks, "fw_retail", "")));
        // A rolling mill is 冶金 but does no smelting.
        assert!(!r.is_mandatory(classes(Sector::IndustryTrade, "it_metallurgy", "")));
        assert!(r.is_mandatory(classes(Sector::IndustryTrade, "it_metallurgy", "dust_explosion,metal_smelting")));
        let unverified = r.mandatory.iter().filter(|m| !m.verified).count();
        assert!(unverified >= 2, "the judgements are marked unverified");
    }

    #[test]
    fn the_longest_regional_prefix_sets_the_floor() {
        let mut r = shipped();
        for (prefix, yuan) in [("42", 450_000), ("4201", 500_000)] {
            r.floor.regions.push(RegionFloor {
                prefix: prefix.to_owned(),
                death_disability_yuan: yuan,
                basis: String::new(),
                verified: false,
            });
        }
        assert_eq!(r.floor_for("420103"), 500_000);
        assert_eq!(r.floor_for("420500"), 450_000);
        assert_eq!(r.floor_for("110000"), 400_000);
        assert!(r.floor_sql("e").starts_with("(CASE WHEN e.region_code LIKE '4201%' THEN 500000"));
    }
}
