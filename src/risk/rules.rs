//! The rules of risk grading as data: the LEC tables, the bands of both methods
//! and the direct-red (直接判定) conditions. The national defaults ship in
//! `data/risk-rules.toml` (versioned); a province's own bands are the same shape.
//!
//! Decisions:
//! - Bands are lower bounds, inclusive: a score at a bound takes the higher
//!   level (LEC: D ≥ 320 red, 160 ≤ D < 320 orange, 70 ≤ D < 160 yellow, below
//!   70 blue). Sources differ on "≥" and ">" (regulations.md §10.2); the bound
//!   is data, the rule "at the bound is the higher level" is code.
//! - LS default: R ≥ 20 red, 10 ≤ R < 20 orange, 4 ≤ R < 10 yellow, below 4 blue
//!   — the split an academic paper cites from a 原国家安全监管总局 document
//!   (regulations.md §10.3; no single national threshold exists, so it is data
//!   and marked as a default to be confirmed per province).
//! - LEC is computed on tenths of each factor (the tables have one decimal at
//!   most), so D is exact and a bound is never missed by a floating-point error.

use super::domain::RiskLevel;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A table value and its wording.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct TableValue {
    pub value: f64,
    pub label: String,
}

/// Lower bounds (inclusive) of red, orange and yellow; anything lower is blue.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Bands {
    pub red: f64,
    pub orange: f64,
    pub yellow: f64,
}

impl Bands {
    /// The level of a score.
    pub fn level(&self, score: f64) -> RiskLevel {
        if score >= self.red {
            RiskLevel::Red
        } else if score >= self.orange {
            RiskLevel::Orange
        } else if score >= self.yellow {
            RiskLevel::Yellow
        } else {
            RiskLevel::Blue
        }
    }

    fn ordered(&self) -> bool {
        self.red > self.orange && self.orange > self.yellow && self.yellow > 0.0
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Lec {
    pub l: Vec<TableValue>,
    pub e: Vec<TableValue>,
    pub c: Vec<TableValue>,
    pub bands: Bands,
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Ls {
    pub bands: Bands,
}

/// One direct-red condition; which data triggers it is in [`super::domain::DirectRed`].
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DirectRedRule {
    pub code: super::domain::DirectRed,
    pub label: String,
    pub enabled: bool,
}

/// A complete rule set.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Rules {
    pub version: String,
    /// Whether the LS bands are a verified national rule (they are not: see the module doc).
    pub ls_verified: bool,
    pub lec: Lec,
    pub ls: Ls,
    pub direct_red: Vec<DirectRedRule>,
}

impl Rules {
    /// Why a rule set cannot be used, if it cannot.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, bands) in [("lec", &self.lec.bands), ("ls", &self.ls.bands)] {
            if !bands.ordered() {
                out.push(format!("{name}: bands must fall from red to yellow and stay above 0"));
            }
        }
        for (name, table) in [("l", &self.lec.l), ("e", &self.lec.e), ("c", &self.lec.c)] {
            if table.is_empty() || table.iter().any(|v| tenths(v.value).is_none() || v.value <= 0.0) {
                out.push(format!("lec.{name}: every value must be positive with at most one decimal"));
            }
        }
        out
    }
}

/// `v` × 10 when that is a whole number (the LEC tables have one decimal at most).
pub fn tenths(v: f64) -> Option<i64> {
    let t = (v * 10.0).round();
    #[allow(clippy::cast_possible_truncation)]
    ((v * 10.0 - t).abs() < 1e-9 && t.abs() < 1e9).then_some(t as i64)
}

/// The shipped file.
pub const SHIPPED: &str = include_str!("../../data/risk-rules.toml");

static NATIONAL: LazyLock<Option<Rules>> = LazyLock::new(|| {
    let text = match crate::rules_data::text("risk-rules.toml", SHIPPED) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "risk-rules.toml cannot be read");
            return None;
        }
    };
    parse(&text)
});

fn parse(text: &str) -> Option<Rules> {
    match toml::from_str::<Rules>(text) {
        Ok(rules) if rules.problems().is_empty() => Some(rules),
        Ok(rules) => {
            tracing::error!(problems = ?rules.problems(), "data/risk-rules.toml is not usable");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, "risk-rules.toml does not load");
            None
        }
    }
}

/// The rules in force: the province's file (`ANJIAN_RULES_DIR`) or the shipped
/// national defaults; `None` only if that file is broken (a unit test keeps the
/// shipped one loading; `serve` refuses to start on a broken replacement).
pub fn national() -> Option<&'static Rules> {
    NATIONAL.as_ref()
}

/// The rules grading uses now; an internal error if the shipped file is broken.
pub fn in_force() -> crate::error::AppResult<&'static Rules> {
    national().ok_or_else(|| crate::error::AppError::Internal(anyhow::anyhow!("data/risk-rules.toml does not load")))
}
