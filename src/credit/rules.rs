//! The scoring rules (`data/credit-rules.toml`): versions side by side, each with
//! its classes and a weight, a full period and an expiry per signal. Product
//! defaults, marked unverified; a province replaces the file through
//! `ANJIAN_RULES_DIR`. Which version is in force is the latest adoption recorded
//! in the database, else the file's `default_version` ([`super::adopt`]).

use super::domain::Signal;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;
use utoipa::ToSchema;

pub const SHIPPED: &str = include_str!("../../data/credit-rules.toml");

/// How one signal counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignalRule {
    /// Points while in full (negative for positive behaviour).
    pub weight: i64,
    /// Days counted in full.
    pub full_days: i64,
    /// Days after which it counts nothing; in between it decreases linearly (equal to
    /// `full_days`: in full, then nothing).
    pub expire_days: i64,
}

/// A class of score: from `from` points up to the next class.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreditClass {
    pub code: String,
    pub name: String,
    pub from: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RuleVersion {
    pub version: String,
    pub effective_from: NaiveDate,
    pub note: String,
    pub verified: bool,
    /// Ascending by `from`; the first starts at 0.
    pub classes: Vec<CreditClass>,
    #[schema(value_type = BTreeMap<String, SignalRule>)]
    pub signals: BTreeMap<Signal, SignalRule>,
}

impl RuleVersion {
    /// The class of a score in hundredths of a point.
    pub fn class_of(&self, score_centi: i64) -> &CreditClass {
        let mut out = &self.classes[0];
        for c in &self.classes {
            if score_centi >= c.from * 100 {
                out = c;
            }
        }
        out
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreditRules {
    pub default_version: String,
    pub versions: Vec<RuleVersion>,
}

impl CreditRules {
    pub fn version(&self, v: &str) -> Option<&RuleVersion> {
        self.versions.iter().find(|x| x.version == v)
    }
}

pub fn load() -> Result<CreditRules, String> {
    let text = crate::rules_data::text("credit-rules.toml", SHIPPED)?;
    let r: CreditRules = toml::from_str(&text).map_err(|e| e.to_string())?;
    if r.version(&r.default_version).is_none() {
        return Err(format!("default_version {} is not among the versions", r.default_version));
    }
    for v in &r.versions {
        if v.classes.first().is_none_or(|c| c.from != 0) || !v.classes.is_sorted_by_key(|c| c.from) {
            return Err(format!("{}: classes must start at 0 and ascend", v.version));
        }
        if let Some((s, _)) =
            v.signals.iter().find(|(_, x)| x.full_days < 0 || x.expire_days <= 0 || x.expire_days < x.full_days)
        {
            return Err(format!("{}: {s} must expire no earlier than its full period ends", v.version));
        }
    }
    Ok(r)
}

static RULES: LazyLock<Result<CreditRules, String>> = LazyLock::new(load);

pub fn data() -> AppResult<&'static CreditRules> {
    RULES.as_ref().map_err(|e| AppError::Internal(anyhow::anyhow!("credit-rules.toml: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_rules_load_and_weigh_every_signal() {
        let r = super::load().unwrap_or_else(|e| panic!("{e}"));
        for v in &r.versions {
            for s in super::Signal::ALL {
                assert!(v.signals.contains_key(s), "{} lacks {s}", v.version);
            }
        }
    }
}
