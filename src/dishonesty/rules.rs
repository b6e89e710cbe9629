//! The list's rules as data (`data/dishonesty-situations.toml`): the nine listing
//! situations of 部令11号 with stable codes, article, text, the subjects they reach,
//! the rule by which the records propose them and whether the text was checked
//! (`verified`); the listing period, the months before an early removal, the
//! statement period and the documents' titles and words. A province replaces the
//! file through `ANJIAN_RULES_DIR`; `serve` checks it at start.

use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use utoipa::ToSchema;

pub const SHIPPED: &str = include_str!("../../data/dishonesty-situations.toml");

/// The rules by which the records propose a listing (`proposal` in the data).
pub const PROPOSAL_RULES: [&str; 5] =
    ["accident_grade", "accident_pair", "accident_flag", "licence_case", "refused_case"];

/// One listing situation (列入情形).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DishonestySituation {
    pub code: String,
    /// `accident` or `violation`.
    pub group: String,
    pub article: String,
    pub text: String,
    /// Subject kinds it reaches (`unit`, `principal`, `responsible`, `service_body`, `service_staff`).
    pub subjects: Vec<String>,
    /// The rule that proposes it from the records; empty: proposed by a regulator only.
    #[serde(default)]
    pub proposal: String,
    /// For `licence_case`: the penalty catalogue entries that are a licence violation.
    #[serde(default)]
    pub catalogue_codes: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DishonestyDuration {
    pub years: u32,
    pub basis: String,
    pub verified: bool,
    pub early_removal_months: u32,
    pub early_removal_basis: String,
    pub early_removal_verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DishonestyNotice {
    pub statement_working_days: u32,
    pub basis: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DishonestyDocumentTemplate {
    pub title: String,
    pub word: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DishonestyDocuments {
    pub notice: DishonestyDocumentTemplate,
    pub decision: DishonestyDocumentTemplate,
    pub removal: DishonestyDocumentTemplate,
}

/// The rules in force.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DishonestyRules {
    pub version: String,
    pub basis: String,
    pub articles_verified: bool,
    pub duration: DishonestyDuration,
    pub notice: DishonestyNotice,
    pub documents: DishonestyDocuments,
    pub situations: Vec<DishonestySituation>,
}

impl DishonestyRules {
    pub fn situation(&self, code: &str) -> Option<&DishonestySituation> {
        self.situations.iter().find(|s| s.code == code)
    }

    /// The situation proposed by `rule`, if the data has one.
    pub fn by_rule(&self, rule: &str) -> Option<&DishonestySituation> {
        self.situations.iter().find(|s| s.proposal == rule)
    }
}

pub fn load() -> Result<DishonestyRules, String> {
    let text = crate::rules_data::text("dishonesty-situations.toml", SHIPPED)?;
    let r: DishonestyRules = toml::from_str(&text).map_err(|e| e.to_string())?;
    if r.duration.years == 0 || r.duration.early_removal_months == 0 {
        return Err("the listing period and the months before early removal must be positive".to_owned());
    }
    for (i, s) in r.situations.iter().enumerate() {
        if r.situations[..i].iter().any(|o| o.code == s.code) {
            return Err(format!("situation {} twice", s.code));
        }
        if let Some(k) = s.subjects.iter().find(|k| k.parse::<super::domain::SubjectKind>().is_err()) {
            return Err(format!("situation {}: unknown subject {k}", s.code));
        }
        if !s.proposal.is_empty() && !PROPOSAL_RULES.contains(&s.proposal.as_str()) {
            return Err(format!("situation {}: unknown proposal rule {}", s.code, s.proposal));
        }
    }
    Ok(r)
}

static RULES: LazyLock<Result<DishonestyRules, String>> = LazyLock::new(load);

pub fn rules() -> AppResult<&'static DishonestyRules> {
    RULES.as_ref().map_err(|e| AppError::Internal(anyhow::anyhow!("dishonesty-situations.toml: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_rules_have_the_nine_situations() {
        let r = super::load().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.situations.len(), 9);
        assert_eq!((r.duration.years, r.duration.early_removal_months), (3, 12));
        let unverified: Vec<&str> = r.situations.iter().filter(|s| !s.verified).map(|s| s.code.as_str()).collect();
        assert_eq!(unverified, ["b3", "b4"], "[M] in regulations.md §7.1");
        assert!(r.by_rule("accident_pair").is_some_and(|s| s.code == "a2"));
        assert!(r.situation("b1").is_some_and(|s| s.catalogue_codes.contains(&"slr-19".to_owned())));
    }
}
