//! The special-operation rules (`data/special-operations.toml`): the catalogue of
//! posts (特种作业目录), the review and validity periods, the reminder window and the
//! checklist keywords. Data, never code; a province replaces the file through
//! `ANJIAN_RULES_DIR`. Everything shipped is marked unverified (see the file).

use crate::error::{AppError, AppResult};
use serde::Deserialize;
use std::sync::LazyLock;

pub const SHIPPED: &str = include_str!("../../data/special-operations.toml");
pub const FILE: &str = "special-operations.toml";

/// How long a certificate lasts and how often it is reviewed.
#[derive(Debug, Clone, Deserialize)]
pub struct Periods {
    pub review_years: u32,
    pub valid_years: u32,
    pub basis: String,
    pub verified: bool,
}

/// When the to-dos come.
#[derive(Debug, Clone, Deserialize)]
pub struct Reminders {
    pub days_before: u32,
    pub basis: String,
    pub verified: bool,
}

/// Which checklist items concern special-operation workers.
#[derive(Debug, Clone, Deserialize)]
pub struct Checklist {
    pub keywords: Vec<String>,
}

/// One post of the catalogue.
#[derive(Debug, Clone, Deserialize)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub verified: bool,
}

/// The whole rule file.
#[derive(Debug, Clone, Deserialize)]
pub struct Rules {
    pub basis: String,
    pub verified: bool,
    pub periods: Periods,
    pub reminders: Reminders,
    pub checklist: Checklist,
    pub categories: Vec<Category>,
}

impl Rules {
    /// The category with this code.
    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The Chinese name of a stored category code (the code itself if the file no longer has it).
    pub fn category_name(&self, code: &str) -> String {
        self.category(code).map_or_else(|| code.to_owned(), |c| c.name.clone())
    }

    /// Whether a checklist item's text concerns special-operation workers.
    pub fn concerns(&self, item_text: &str) -> bool {
        self.checklist.keywords.iter().any(|k| item_text.contains(k.as_str()))
    }

    fn check(&self) -> Result<(), String> {
        if self.categories.is_empty() {
            return Err("categories: at least one".to_owned());
        }
        for c in &self.categories {
            let ok = !c.code.is_empty()
                && c.code.len() <= 40
                && c.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !ok || c.name.trim().is_empty() {
                return Err(format!("categories: “{}” needs a code of a-z, 0-9, _ (≤ 40) and a name", c.code));
            }
        }
        let mut codes: Vec<&str> = self.categories.iter().map(|c| c.code.as_str()).collect();
        codes.sort_unstable();
        if codes.windows(2).any(|w| w[0] == w[1]) {
            return Err("categories: a code repeats".to_owned());
        }
        let p = &self.periods;
        if !(1..=20).contains(&p.review_years) || !(p.review_years..=20).contains(&p.valid_years) {
            return Err("periods: 1 ≤ review_years ≤ valid_years ≤ 20".to_owned());
        }
        if !(1..=366).contains(&self.reminders.days_before) {
            return Err("reminders.days_before must be 1–366".to_owned());
        }
        if self.checklist.keywords.iter().any(|k| k.trim().is_empty()) {
            return Err("checklist.keywords: no empty word".to_owned());
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

    #[test]
    fn the_shipped_catalogue_loads_unverified() {
        let r: Rules = toml::from_str(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.check(), Ok(()));
        assert_eq!((r.periods.review_years, r.periods.valid_years, r.periods.verified), (3, 6, false));
        assert_eq!(r.categories.len(), 11);
        assert!(r.categories.iter().all(|c| !c.verified));
        assert_eq!(r.category_name("electrician"), "电工作业");
        assert!(r.concerns("特种作业人员未持证上岗"));
        assert!(!r.concerns("消防通道畅通"));
    }
}
