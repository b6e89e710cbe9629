//! Request and response types of the insurance API (English field names; the
//! policy fields are a contract with the insurers' systems: keep them exactly).

use super::domain::{PolicyStatus, Problem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A new policy (`POST /api/v1/insurance-policies`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CreateInsurancePolicy {
    pub enterprise_id: i64,
    /// The insurer's name, credit code or id (an insurer's user: its own).
    #[schema(max_length = 200)]
    pub insurer: String,
    #[schema(max_length = 100)]
    pub policy_no: String,
    /// First day covered.
    pub starts_on: NaiveDate,
    /// Last day covered.
    pub ends_on: NaiveDate,
    pub premium_yuan: i64,
    pub insured_headcount: i32,
    /// 每人死亡伤残责任限额, yuan.
    pub death_disability_limit_yuan: i64,
}

/// Cancelling a policy (退保): from `cancelled_on` there is no cover.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CancelInsurancePolicy {
    pub cancelled_on: NaiveDate,
    #[schema(max_length = 5000)]
    pub cancel_reason: String,
}

/// A policy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InsurancePolicyResponse {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub insurer_id: i64,
    /// The insurer's name.
    pub insurer: String,
    pub policy_no: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub premium_yuan: i64,
    pub insured_headcount: i32,
    pub death_disability_limit_yuan: i64,
    pub cancelled_on: Option<NaiveDate>,
    pub cancel_reason: Option<String>,
    /// On today's date (Beijing).
    pub status: PolicyStatus,
    /// `cancel` when the caller may cancel it now.
    pub allowed_actions: Vec<String>,
}

/// Filters of `GET /api/v1/insurance-policies`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct InsurancePolicyFilter {
    pub enterprise_id: Option<i64>,
    pub insurer_id: Option<i64>,
    /// On today's date.
    pub status: Option<PolicyStatus>,
    /// Policies whose term ends within this many days from today (0–366).
    pub expiring_within_days: Option<i64>,
    /// From 1.
    pub page: Option<u64>,
    /// At most 100 (default 20).
    pub per_page: Option<u64>,
}

/// The insurance check of one enterprise (`GET /api/v1/enterprises/{id}/insurance`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnterpriseInsuranceResponse {
    pub enterprise_id: i64,
    /// Whether the enterprise must insure (`data/insurance-rules.toml`).
    pub mandatory: bool,
    /// The rule that makes it insure, with whether the rule is verified.
    pub mandatory_rule: Option<String>,
    pub mandatory_rule_verified: Option<bool>,
    /// An active policy at or above the floor covering all registered staff.
    pub covered: bool,
    pub floor_yuan: i64,
    pub problems: Vec<Problem>,
    /// Newest term first (an insurer's user: its own policies only).
    pub policies: Vec<InsurancePolicyResponse>,
    /// 《安全生产法》第五十一条、第一百零九条.
    pub basis: String,
}
