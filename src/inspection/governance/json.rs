//! Request and response types of the inspections' governance API.

use super::cap::CapStanding;
use super::policy::Action;
use crate::inspection::domain::{DocumentStatus, DocumentType, Kind, MemberRole, Status};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v1/inspections` (a contract).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInspection {
    pub enterprise_id: i64,
    pub kind: Kind,
    /// At least two users with the inspector role and a certificate valid on the planned date.
    #[schema(max_items = 20)]
    pub inspector_ids: Vec<i64>,
    /// Experts who accompany the team (they do not count as inspectors).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub expert_ids: Vec<i64>,
    /// One of `inspector_ids`; default the first.
    pub leader_id: Option<i64>,
    pub planned_date: NaiveDate,
    /// 现场检查方案.
    #[schema(max_length = 5000)]
    pub plan_text: String,
    /// Checklist versions to pin (content hashes); default the current versions applicable to the enterprise.
    #[schema(max_items = 20)]
    pub checklist_hashes: Option<Vec<String>>,
}

/// Body of the steps that need a reason (`reject`, `cancel`, `approve_over_cap`, a document's `void`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    #[schema(max_length = 5000)]
    pub reason: String,
}

/// Body of `POST /api/v1/inspections/{id}/approve`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveBody {}

/// Body of `POST /api/v1/inspections/{id}/documents/{type}/serve`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServeBody {
    pub served_on: NaiveDate,
    /// 直接送达 / 留置送达 / 邮寄送达 / 电子送达 / 委托送达 / 公告送达.
    #[schema(max_length = 40)]
    pub method: String,
    #[schema(max_length = 200)]
    pub served_to: String,
}

/// A pinned checklist version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct PinnedChecklist {
    pub checklist_id: String,
    pub title: String,
    pub version: String,
    pub hash: String,
    /// Items of it that apply to the enterprise (when pinned).
    pub items: usize,
}

/// A team member.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberResponse {
    pub user_id: i64,
    pub name: String,
    pub role: MemberRole,
    pub certificate_no: Option<String>,
}

/// A 执法文书 number of the inspection.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = InspectionDocumentResponse)]
pub struct DocumentResponse {
    #[serde(rename = "type")]
    pub kind: DocumentType,
    pub title: String,
    pub number: String,
    pub status: DocumentStatus,
    pub seq: i64,
    pub year: i32,
    pub void_reason: Option<String>,
    pub reserved_at: DateTime<Utc>,
    pub issued_at: Option<DateTime<Utc>>,
    pub served_on: Option<NaiveDate>,
    pub service_method: Option<String>,
    pub served_to: Option<String>,
    /// The printable page.
    pub link: String,
}

/// An inspection in a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InspectionSummary {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub bureau_id: i64,
    pub kind: Kind,
    pub status: Status,
    pub planned_date: NaiveDate,
    pub over_cap: bool,
    pub draw_id: Option<i64>,
}

/// One inspection with its team, checklists, documents and cap standing.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InspectionResponse {
    #[serde(flatten)]
    pub summary: InspectionSummary,
    pub bureau_name: String,
    pub plan_text: String,
    pub parent_id: Option<i64>,
    pub counts_against_cap: bool,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTime<Utc>>,
    pub cap_approved_by: Option<i64>,
    pub cap_approved_at: Option<DateTime<Utc>>,
    pub cap_reason: Option<String>,
    pub rejected_reason: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub team: Vec<MemberResponse>,
    pub checklists: Vec<PinnedChecklist>,
    pub documents: Vec<DocumentResponse>,
    /// The enterprise's counted inspections in the planned year and its cap.
    pub cap: CapStanding,
    pub allowed_actions: Vec<Action>,
    pub version: i32,
}
