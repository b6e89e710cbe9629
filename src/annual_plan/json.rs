//! Request and response types of the annual plans' API.

use super::domain::{Status, Target};
use super::policy::Action;
use crate::enterprise::domain::Sector;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A random sampling target as requested.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AnnualPlanTargetBody)]
pub struct TargetBody {
    pub sector: Sector,
    /// A supervision class code (`key`, `general`, `low`; see `data/inspection-caps.toml`).
    #[schema(max_length = 40)]
    pub supervision_class: String,
    /// The share of the ordinary enterprises to sample, 0 < ratio ≤ 1.
    pub ratio: f64,
}

/// Body of `POST /api/v1/annual-plans`, `PUT /api/v1/annual-plans/{id}` and
/// `POST /api/v1/annual-plans/{id}/revisions` (a revision also needs `reason`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AnnualPlanBody)]
pub struct PlanBody {
    pub year: i32,
    /// Inspectors counted in the capacity; default the bureau's certified inspectors.
    pub inspectors: Option<u32>,
    /// Enforcement working days available per inspector in the year.
    pub available_days: u32,
    /// Reserve for other enforcement (投诉举报、事故调查 …), percent, 0–90.
    pub reserve_percent: u32,
    /// 执法工作日 one inspection takes (the team's), > 0.
    pub days_per_inspection: f64,
    /// Key enterprises (重点检查): full coverage, each counted once in the year.
    #[serde(default)]
    #[schema(max_items = 1000)]
    pub key_enterprise_ids: Vec<i64>,
    /// Random targets (双随机) per sector and supervision class.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub random_targets: Vec<TargetBody>,
    /// Planned inspections per month, January first; they add up to the planned total.
    #[schema(max_items = 12)]
    pub monthly: Vec<u32>,
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
    /// Why the plan is revised (revisions only, required there).
    #[schema(max_length = 5000)]
    pub reason: Option<String>,
}

/// Body of `return`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AnnualPlanReasonBody)]
pub struct ReasonBody {
    #[schema(max_length = 5000)]
    pub reason: String,
}

/// Body of `submit` and `approve`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AnnualPlanEmptyBody)]
pub struct EmptyBody {}

/// Body of `record`: 报本级政府批准 (date, document) and 上一级备案 (date); what is sent is set.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AnnualPlanRecordBody)]
pub struct RecordBody {
    pub government_approved_on: Option<NaiveDate>,
    #[schema(max_length = 200)]
    pub government_document: Option<String>,
    pub filed_on: Option<NaiveDate>,
}

/// A key enterprise of the plan.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AnnualPlanKeyEnterprise)]
pub struct KeyEnterprise {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
}

/// The capacity and what it allows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AnnualPlanCapacity)]
pub struct CapacityResponse {
    pub inspectors: u32,
    /// Certified inspectors of the bureau now (the suggestion).
    pub suggested_inspectors: u64,
    pub available_days: u32,
    pub reserve_percent: u32,
    pub days_per_inspection: f64,
    /// 执法工作日 after the reserve.
    pub capacity_days: f64,
    pub capacity_inspections: u64,
}

/// A plan (one revision) with its totals, warnings and allowed actions.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AnnualPlanResponse)]
pub struct PlanResponse {
    pub id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub year: i32,
    pub revision: i32,
    pub revises_id: Option<i64>,
    pub status: Status,
    pub capacity: CapacityResponse,
    pub key_enterprises: Vec<KeyEnterprise>,
    pub random_targets: Vec<Target>,
    pub key_total: u64,
    pub random_total: u64,
    pub planned_total: u64,
    pub monthly: Vec<u32>,
    /// Not refusals: e.g. the capacity below the planned total.
    pub warnings: Vec<String>,
    pub notes: Option<String>,
    pub reason: Option<String>,
    pub returned_reason: Option<String>,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTime<Utc>>,
    pub government_approved_on: Option<NaiveDate>,
    pub government_document: Option<String>,
    pub filed_on: Option<NaiveDate>,
    pub superseded_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub allowed_actions: Vec<Action>,
}

/// A plan in the list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AnnualPlanSummary)]
pub struct PlanSummary {
    pub id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub year: i32,
    pub revision: i32,
    pub status: Status,
    pub planned_total: u64,
    pub capacity_inspections: u64,
    pub approved_at: Option<DateTime<Utc>>,
}

/// One revision in a plan's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AnnualPlanRevision)]
pub struct RevisionEntry {
    pub id: i64,
    pub revision: i32,
    pub status: Status,
    pub reason: Option<String>,
    pub created_by: i64,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub approved_by: Option<i64>,
    pub approved_by_name: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// The fields that differ from the previous revision (Chinese labels); empty for the first.
    pub changed: Vec<String>,
}
