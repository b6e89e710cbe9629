//! Request and response shapes of the emergency-plan API (English field names,
//! codes with their Chinese labels in responses).

use super::domain::{Action, DrillForm, EvaluationForm, FilingStatus, PlanKind};
use crate::enterprise::domain::Sector;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One plan document of a filing.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct PlanDocumentBody {
    pub kind: PlanKind,
    #[schema(max_length = 200)]
    pub title: String,
    /// An upload of the caller (`POST /api/v1/attachments`), or on a resubmission the
    /// file already filed with this filing.
    pub attachment_id: i64,
    /// 发布日期.
    pub published_on: NaiveDate,
    /// 评审/论证 date.
    pub evaluated_on: NaiveDate,
    pub evaluation_form: EvaluationForm,
    /// 评审/论证结论.
    #[schema(max_length = 2000)]
    pub evaluation_conclusion: String,
}

/// `POST /api/v1/emergency-plans` (and the body of a resubmission).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct FileEmergencyPlans {
    /// The filing enterprise; an enterprise user with one enterprise may leave it out.
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[schema(max_items = 50)]
    pub documents: Vec<PlanDocumentBody>,
}

/// `POST /api/v1/emergency-plans/{id}/return`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct ReturnEmergencyPlans {
    #[schema(max_length = 2000)]
    pub reason: String,
}

/// `POST /api/v1/emergency-plans/{id}/drills`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct RecordDrill {
    /// The drilled plan document of the filing.
    pub document_id: i64,
    pub drilled_on: NaiveDate,
    pub form: DrillForm,
    #[schema(minimum = 1, maximum = 100_000)]
    pub participants: i32,
    #[schema(max_length = 2000)]
    pub summary: String,
}

/// A filed plan document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanDocumentResponse {
    pub id: i64,
    pub kind: PlanKind,
    pub kind_zh: String,
    pub title: String,
    pub attachment_id: i64,
    pub published_on: NaiveDate,
    pub evaluated_on: NaiveDate,
    pub evaluation_form: EvaluationForm,
    pub evaluation_conclusion: String,
}

/// A recorded drill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DrillResponse {
    pub id: i64,
    pub document_id: i64,
    pub plan_kind: PlanKind,
    pub form: DrillForm,
    pub form_zh: String,
    pub drilled_on: NaiveDate,
    pub participants: i32,
    pub summary: String,
}

/// A filing in lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FilingSummary {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub sector: Sector,
    pub status: FilingStatus,
    pub status_zh: String,
    pub round: i32,
    pub number: Option<String>,
    pub accepted_on: Option<NaiveDate>,
    pub filed_at: DateTime<Utc>,
}

/// A filing with its documents, drills and what the caller may do now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FilingResponse {
    #[serde(flatten)]
    pub summary: FilingSummary,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub return_reason: Option<String>,
    pub documents: Vec<PlanDocumentResponse>,
    pub drills: Vec<DrillResponse>,
    pub allowed_actions: Vec<Action>,
}

/// Filters of the filing list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilingFilter {
    pub status: Option<FilingStatus>,
    pub enterprise_id: Option<i64>,
    /// Part of the enterprise's name.
    pub q: Option<String>,
    #[serde(default)]
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
}

/// An enterprise that must file and has no accepted filing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnfiledEnterprise {
    pub enterprise_id: i64,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    pub sector: Sector,
    /// Whether a filing is waiting for review or was returned.
    pub open_filing_id: Option<i64>,
}

/// `GET /api/v1/emergency-plans/unfiled`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnfiledResponse {
    pub items: Vec<UnfiledEnterprise>,
    pub total: u64,
    pub basis: String,
}
