//! Request and response types of the on-site record.

use super::domain::{MeasureKind, SignerKind};
use crate::attachment::AttachmentResponse;
use crate::checklist::Severity;
use crate::error::FieldErrors;
use crate::inspection::domain::{Outcome, Resolution, Status};
use crate::limits::{self, ADDRESS, LIST, NAME, SHORT, TEXT};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Starting the inspection on site.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct StartRequest {
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Why there is no position (default "未能取得定位" when no coordinates are sent).
    #[schema(max_length = 100)]
    pub position_note: Option<String>,
    /// The unit's people present (names and posts); at most `limits::TEXT`.
    #[schema(max_length = 5000)]
    pub people_present: Option<String>,
    /// When the visit began on the device, for a start made offline and sent later
    /// (default: now). Not in the future, not before the approval, at most 7 days back.
    pub started_at: Option<DateTime<Utc>>,
}

/// The outcome of one item.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = InspectionResultInput)]
pub struct ResultInput {
    #[schema(max_length = 100)]
    pub code: String,
    pub outcome: Outcome,
    #[schema(max_length = 5000)]
    pub note: Option<String>,
    /// Photos of the item, uploaded first; at most `limits::LIST`. Photos are added to
    /// the item, never in conflict.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub attachment_ids: Vec<i64>,
    /// The item's `version` the device last received (0: it had no outcome). When the
    /// stored version is newer and the outcome or note differ, the write is kept as a
    /// conflict and the stored outcome stays until an inspector chooses. A device sends
    /// each item's latest outcome once, with the version it last received. Absent: the
    /// write replaces what is stored (the pages, which send what they have just shown).
    #[serde(default)]
    #[schema(minimum = 0)]
    pub base_version: Option<i32>,
}

/// How to settle a kept conflict (`POST …/result-conflicts/{conflict_id}/resolve`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveConflictRequest {
    pub resolution: Resolution,
}

/// A write of an item's outcome kept apart because the item had changed since the
/// writing device last saw it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictView {
    pub id: i64,
    pub outcome: Outcome,
    pub note: Option<String>,
    /// The version the writing device had seen.
    pub base_version: i32,
    /// The stored version it met.
    pub server_version: i32,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
}

/// A finding (a checklist item or free text). `PATCH` takes the same body and
/// replaces the finding's fields.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct FindingRequest {
    /// An applicable item of the inspection's pinned checklists …
    #[schema(max_length = 100)]
    pub item_code: Option<String>,
    /// … or a free-text finding's title.
    #[schema(max_length = 200)]
    pub text: Option<String>,
    /// A code from `GET /api/v1/hazard-categories` (default `management_defect`, 管理缺陷).
    #[schema(max_length = 100)]
    pub category: Option<String>,
    /// Default: the item's severity (required for free text).
    pub severity: Option<Severity>,
    #[schema(max_length = 5000)]
    pub description: String,
    #[schema(max_length = 500)]
    pub location: Option<String>,
    /// The legal basis of a free-text finding (an item's finding takes the item's).
    #[schema(max_length = 5000)]
    pub basis: Option<String>,
    /// The inspector confirms an unverified item's basis may be printed.
    #[serde(default)]
    pub basis_confirmed: bool,
    pub deadline: Option<NaiveDate>,
    /// Instead of `deadline`: working days from the order's service (on site, at completion).
    pub deadline_working_days: Option<u32>,
    #[serde(default)]
    pub rectified_on_spot: bool,
    /// Photos showing it fixed (立查立改), uploaded first; required when rectified on the spot.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub evidence_attachment_ids: Vec<i64>,
}

impl FindingRequest {
    pub fn check_lengths(&self, fields: &mut FieldErrors) {
        limits::check(fields, "item_code", "检查项编号", self.item_code.as_deref(), SHORT);
        limits::check(fields, "text", "问题", self.text.as_deref(), NAME);
        limits::check(fields, "category", "隐患类别", self.category.as_deref(), SHORT);
        limits::check(fields, "description", "问题描述", Some(&self.description), TEXT);
        limits::check(fields, "location", "部位", self.location.as_deref(), ADDRESS);
        limits::check(fields, "basis", "依据", self.basis.as_deref(), TEXT);
        limits::check_list(fields, "evidence_attachment_ids", "照片", &self.evidence_attachment_ids, LIST);
    }
}

/// An on-site measure (WSL art. 65).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MeasureRequest {
    pub kind: MeasureKind,
    /// What it covers; at most `limits::TEXT`.
    #[schema(max_length = 5000)]
    pub scope_text: String,
    #[schema(max_length = 5000)]
    pub basis: String,
}

/// A signature (an image uploaded first) or the 负责人's refusal to sign.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SignatureRequest {
    pub signer: SignerKind,
    /// For an inspector's signature: the team inspector signing (default: the caller).
    pub user_id: Option<i64>,
    /// The 负责人's name (inspectors: their account's name).
    #[schema(max_length = 100)]
    pub name: Option<String>,
    /// The signature image, uploaded first (not with a refusal).
    pub attachment_id: Option<i64>,
    #[serde(default)]
    pub refused: bool,
    #[schema(max_length = 100)]
    pub witness: Option<String>,
    #[schema(max_length = 5000)]
    pub reason: Option<String>,
}

/// Files of the 执法全过程记录 (audio, video, photos) to link to the record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MediaRequest {
    #[schema(max_items = 20)]
    pub attachment_ids: Vec<i64>,
}

/// A re-inspection's verdict on one hazard of the parent inspection.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VerdictInput {
    pub hazard_id: i64,
    pub passed: bool,
    #[schema(max_length = 5000)]
    pub note: Option<String>,
}

/// Recording a re-inspection (复查).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VerdictsRequest {
    #[schema(max_items = 1000)]
    pub verdicts: Vec<VerdictInput>,
}

/// Creating a re-inspection (复查) of a completed inspection.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReinspectionRequest {
    /// Default: today.
    pub planned_date: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemView {
    pub code: String,
    pub checklist_id: String,
    pub checklist_hash: String,
    pub section: String,
    pub text: String,
    pub basis: String,
    pub severity: Severity,
    pub verified: bool,
    pub outcome: Option<Outcome>,
    pub note: Option<String>,
    /// The stored outcome's version (0: none yet); send it back as `base_version`.
    pub version: i32,
    /// Writes from other devices kept until an inspector chooses (oldest first).
    pub conflicts: Vec<ConflictView>,
    pub attachments: Vec<AttachmentResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FindingView {
    pub id: i64,
    pub item_code: Option<String>,
    pub title: String,
    pub category: String,
    pub severity: Severity,
    pub description: String,
    pub location: Option<String>,
    pub basis: Option<String>,
    pub basis_confirmed: bool,
    /// Whether the basis may be printed (a verified item's, a typed one, or confirmed).
    pub basis_printable: bool,
    pub deadline: Option<NaiveDate>,
    pub deadline_working_days: Option<i32>,
    pub rectified_on_spot: bool,
    pub hazard_id: Option<i64>,
    pub attachments: Vec<AttachmentResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureView {
    pub id: i64,
    pub kind: MeasureKind,
    pub scope_text: String,
    pub basis: String,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignatureView {
    pub id: i64,
    pub signer: SignerKind,
    pub user_id: Option<i64>,
    pub name: String,
    pub certificate_no: Option<String>,
    pub attachment_id: Option<i64>,
    pub refused: bool,
    pub witness: Option<String>,
    pub reason: Option<String>,
    pub signed_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VerdictView {
    pub hazard_id: i64,
    pub passed: bool,
    pub note: Option<String>,
}

/// The on-site record of an inspection.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordResponse {
    pub inspection_id: i64,
    pub status: Status,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub position_note: Option<String>,
    pub people_present: Option<String>,
    pub items: Vec<ItemView>,
    pub findings: Vec<FindingView>,
    pub measures: Vec<MeasureView>,
    pub signatures: Vec<SignatureView>,
    /// A re-inspection's verdicts on the parent's hazards.
    pub verdicts: Vec<VerdictView>,
    /// The 执法全过程记录 and every other file of the record.
    pub attachments: Vec<AttachmentResponse>,
    /// The enterprise's special-operation workers, for the items about 特种作业人员
    /// (absent when no item concerns them).
    pub special_operations: Option<crate::special_operation::on_checklist::ChecklistWorkers>,
}
