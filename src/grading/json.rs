//! Request and response types of enterprise grading.

use super::domain::Deduction;
use crate::enterprise::domain::Sector;
use crate::risk::domain::RiskLevel;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An enterprise's grade and class now, its yearly inspection cap, and the history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GradingView {
    pub enterprise_id: i64,
    /// `None`: not graded (no risk points and nothing else to grade by).
    pub risk_grade: Option<RiskLevel>,
    /// 重大风险（红） … or 未分级.
    pub risk_grade_label: String,
    pub supervision_class: String,
    /// A类（低风险） …
    pub supervision_class_name: String,
    /// The yearly inspection cap of the class.
    pub yearly_cap: Option<u32>,
    /// `computed`, `guide` or `override`; `None` before the first grading.
    pub source: Option<String>,
    pub graded_at: Option<DateTime<Utc>>,
    /// The changes, newest first (at most 100).
    pub history: Vec<GradingEntry>,
}

/// One change of grade or class.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GradingEntry {
    pub id: i64,
    pub risk_grade: Option<RiskLevel>,
    pub supervision_class: String,
    /// `computed`, `guide`, `override` or `release`.
    pub source: String,
    pub rules_version: String,
    /// The figures read and the rule that held.
    #[schema(value_type = Object)]
    pub inputs: serde_json::Value,
    pub reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: DateTime<Utc>,
}

/// A regulator's decision on an enterprise's grade and class, kept by recomputation
/// until released.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct OverrideBody {
    /// `None`: not graded.
    pub risk_grade: Option<RiskLevel>,
    /// A class of `data/inspection-caps.toml` (A, B, C, D).
    #[schema(max_length = 40)]
    pub supervision_class: String,
    /// Why (required).
    #[schema(max_length = 5000)]
    pub reason: String,
}

/// Releasing an override: the grade is computed again at once.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ReleaseBody {
    #[schema(max_length = 5000)]
    pub reason: String,
}

/// A scoring under the hazchem guide (the items of `GET /api/v1/grading-rules`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AssessmentBody {
    /// Points off per item; items not listed lose nothing.
    #[schema(max_items = 100)]
    pub deductions: Vec<Deduction>,
    /// The direct-red situations that hold (codes of the guide).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub direct_red: Vec<String>,
    /// The day of the assessment (today when not given); not in the future.
    pub assessed_on: Option<NaiveDate>,
    /// 评估人：专家姓名或评估机构.
    #[schema(max_length = 200)]
    pub assessor: String,
}

/// A recorded guide assessment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssessmentResponse {
    pub id: i64,
    pub enterprise_id: i64,
    pub guide_version: String,
    pub deductions: Vec<Deduction>,
    pub direct_red: Vec<String>,
    pub score: f64,
    pub grade: RiskLevel,
    pub assessed_on: NaiveDate,
    /// Three years on: the assessment counts until then.
    pub valid_until: NaiveDate,
    pub assessor: String,
    pub recorded_by: i64,
    pub created_at: DateTime<Utc>,
}

/// Enterprises per grade in one sector and region.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GradeCount {
    pub sector: Sector,
    pub region_code: String,
    /// The region's name, or its code when not shipped.
    pub region_name: String,
    pub red: u64,
    pub orange: u64,
    pub yellow: u64,
    pub blue: u64,
    pub ungraded: u64,
}

/// The counts of the caller's scope, with totals per grade.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GradeCounts {
    /// Per sector and county (at most 2,000 rows).
    pub rows: Vec<GradeCount>,
    pub red: u64,
    pub orange: u64,
    pub yellow: u64,
    pub blue: u64,
    pub ungraded: u64,
}
