//! Request and response types of the prevention-service API (English field names).

use super::domain::{ServiceKind, Spend};
use crate::hazard::domain::{Level, Status};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A hazard found by a hazard-inspection service; it becomes a hazard of the
/// ledger with source `insurer_service`, rectified by the enterprise.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewServiceFinding {
    /// Required; at most `limits::NAME` characters.
    #[schema(max_length = 200)]
    pub title: String,
    /// Required; at most `limits::TEXT` characters.
    #[schema(max_length = 5000)]
    pub description: String,
    /// 隐患部位.
    #[schema(max_length = 500)]
    pub location: Option<String>,
    /// `major` when the 重大事故隐患判定标准 apply.
    pub level: Level,
    /// A code from `GET /api/v1/hazard-categories`.
    #[schema(max_length = 100)]
    pub category: String,
    /// The rectification deadline proposed (optional).
    pub deadline: Option<NaiveDate>,
}

/// A new service (`POST /api/v1/insurance-services`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CreateInsuranceService {
    /// The policy it was delivered under (its enterprise and insurer follow).
    pub policy_id: i64,
    pub kind: ServiceKind,
    /// The day delivered: within the policy's term, not after today.
    pub served_on: NaiveDate,
    /// Whole yuan, 0 to 100,000,000.
    pub cost_yuan: i64,
    /// Who delivered it (the insurer's team, an engaged 技术服务机构).
    #[schema(max_length = 200)]
    pub provider: String,
    /// The experts' names.
    #[schema(max_length = 200)]
    pub experts: Option<String>,
    #[schema(max_length = 5000)]
    pub summary: String,
    /// A hazard-inspection service's findings (none for other kinds).
    #[serde(default)]
    #[schema(max_items = 50)]
    pub findings: Vec<NewServiceFinding>,
}

/// A finding as recorded: the hazard of the ledger it became.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceFinding {
    pub hazard_id: i64,
    pub title: String,
    pub level: Level,
    /// Where its rectification stands now.
    pub status: Status,
}

/// A service.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InsuranceServiceResponse {
    pub id: i64,
    pub policy_id: i64,
    pub policy_no: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub insurer_id: i64,
    pub insurer: String,
    pub kind: ServiceKind,
    pub served_on: NaiveDate,
    pub cost_yuan: i64,
    pub provider: String,
    pub experts: Option<String>,
    pub summary: String,
    pub findings: Vec<ServiceFinding>,
    pub created_at: DateTime<Utc>,
}

/// Filters of `GET /api/v1/insurance-services`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct InsuranceServiceFilter {
    pub enterprise_id: Option<i64>,
    pub policy_id: Option<i64>,
    pub insurer_id: Option<i64>,
    pub kind: Option<ServiceKind>,
    /// From 1.
    pub page: Option<u64>,
    /// At most 100 (default 20).
    pub per_page: Option<u64>,
}

/// The day the spend and the no-service list are read for (default today).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct ServiceSpendFilter {
    /// A day (年-月-日): the policy years containing it.
    pub on: Option<NaiveDate>,
}

/// A policy in effect on the day, in its policy year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PolicyYearSpend {
    pub policy_id: i64,
    pub policy_no: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub insurer_id: i64,
    pub insurer: String,
    /// The policy year (0 for the first) and its days.
    pub year_index: u32,
    pub year_from: NaiveDate,
    pub year_to: NaiveDate,
    /// How many services were recorded in the policy year.
    pub services: u64,
    pub spend: Spend,
}

/// One insurer's spend over the policy years containing the day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InsurerSpend {
    pub insurer_id: i64,
    pub insurer: String,
    pub policies: u64,
    /// Policies without a service in their policy year.
    pub unserved: u64,
    pub spend: Spend,
}

/// The rule the spend is flagged against, with its source (`data/insurance-rules.toml`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpendRule {
    pub ceiling_percent: i64,
    pub basis: String,
    pub verified: bool,
    pub floor_percent: i64,
    pub floor_basis: String,
    pub floor_verified: bool,
}

/// `GET /api/v1/insurance/service-spend`: the share per insurer and the flagged policies.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceSpendResponse {
    pub on: NaiveDate,
    pub rule: SpendRule,
    pub insurers: Vec<InsurerSpend>,
    /// Policies above the ceiling or below the floor, the highest share first (at most 500).
    pub flagged: Vec<PolicyYearSpend>,
    pub flagged_total: u64,
}

/// `GET /api/v1/insurance/unserved`: policies in effect without a service in their policy year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnservedResponse {
    pub on: NaiveDate,
    /// At most 500, the earliest year start first.
    pub items: Vec<PolicyYearSpend>,
    pub total: u64,
}
