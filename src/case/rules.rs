//! The procedure's periods and amounts (`data/penalty-procedure.toml`): simple
//! procedure limits, the 90-day limit and its warnings, the statement and hearing
//! periods, the hearing and collective-discussion thresholds, payment and 加处罚款,
//! publication, and the art. 113 counts. Data, never code; a province replaces the
//! file through `ANJIAN_RULES_DIR` (e.g. its own 较大数额罚款 standard).

use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use utoipa::ToSchema;

pub const SHIPPED: &str = include_str!("../../data/penalty-procedure.toml");

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Simple {
    pub person_max_yuan: i64,
    pub unit_max_yuan: i64,
    pub basis: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TimeLimit {
    pub days: i32,
    pub warn_at_days: Vec<i64>,
    pub basis: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Statement {
    pub working_days: u32,
    pub basis: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Hearing {
    pub request_days: u32,
    pub person_fine_from_yuan: i64,
    pub unit_fine_from_yuan: i64,
    pub measures: Vec<String>,
    pub basis: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Collective {
    pub fine_from_yuan: i64,
    pub basis: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Payment {
    pub days: i64,
    pub late_percent_per_day: i64,
    pub basis: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Publication {
    pub working_days: u32,
    pub withdraw_working_days: u32,
    pub basis: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClosureAlertRule {
    pub within_days: i64,
    pub count: u64,
    pub year_count: u64,
    pub basis: String,
    pub verified: bool,
}

/// The procedure rules in force.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProcedureRules {
    pub version: String,
    pub simple: Simple,
    pub time_limit: TimeLimit,
    pub statement: Statement,
    pub hearing: Hearing,
    pub collective: Collective,
    pub payment: Payment,
    pub publication: Publication,
    pub closure_alert: ClosureAlertRule,
}

pub fn load() -> Result<ProcedureRules, String> {
    let text = crate::rules_data::text("penalty-procedure.toml", SHIPPED)?;
    let r: ProcedureRules = toml::from_str(&text).map_err(|e| e.to_string())?;
    if r.time_limit.days <= 0 || r.payment.days <= 0 || r.simple.unit_max_yuan < 0 {
        return Err("the periods must be positive".to_owned());
    }
    Ok(r)
}

static RULES: LazyLock<Result<ProcedureRules, String>> = LazyLock::new(load);

pub fn rules() -> AppResult<&'static ProcedureRules> {
    RULES.as_ref().map_err(|e| AppError::Internal(anyhow::anyhow!("penalty-procedure.toml: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_rules_load() {
        let r = super::load().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.simple.person_max_yuan, r.simple.unit_max_yuan), (200, 3000));
        assert_eq!(r.time_limit.days, 90);
        assert_eq!(r.payment.late_percent_per_day, 3);
    }
}
