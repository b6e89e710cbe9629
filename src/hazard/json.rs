//! Request and response types of the hazard ledger.

use super::domain::{Action, Closure, Level, Outcome, Source, Status, SupervisionLevel};
use crate::attachment::AttachmentResponse;
use crate::enterprise::domain::Sector;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// A provisional subject for an operator not in the register (打非治违).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewSubject {
    /// At most `limits::NAME` characters.
    #[schema(max_length = 200)]
    pub name: String,
    /// At most `limits::ADDRESS` characters.
    #[schema(max_length = 500)]
    pub address: Option<String>,
    /// At most `limits::TEXT` characters.
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    /// The county where it was found.
    #[schema(max_length = 6)]
    pub region_code: String,
}

/// A protected reporter (举报人); never shown to enterprise users.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct Reporter {
    /// At most `limits::SHORT` characters.
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[schema(max_length = 100)]
    pub phone: Option<String>,
}

/// A new hazard. Either `enterprise_id`, or `subject` / `subject_id` for an operator not in the register.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CreateHazardRequest {
    pub enterprise_id: Option<i64>,
    pub subject_id: Option<i64>,
    pub subject: Option<NewSubject>,
    pub source: Source,
    /// 12350 reference number, referral document number and the like (`limits::SHORT`).
    #[schema(max_length = 100)]
    pub source_ref: Option<String>,
    /// Bureau users only, for tip-offs and employee reports.
    pub reporter: Option<Reporter>,
    pub level: Level,
    /// A code from `GET /api/v1/hazard-categories`.
    #[schema(max_length = 100)]
    pub category: String,
    /// Required; at most `limits::NAME` characters.
    #[schema(max_length = 200)]
    pub title: String,
    /// Required; at most `limits::TEXT` characters.
    #[schema(max_length = 5000)]
    pub description: String,
    /// 隐患部位; at most `limits::ADDRESS` characters.
    #[schema(max_length = 500)]
    pub location: Option<String>,
    pub found_at: DateTime<Utc>,
    pub deadline: Option<NaiveDate>,
    /// Instead of `deadline`: so many working days (工作日) from today, following
    /// the holiday calendar with its make-up working days (调休).
    pub deadline_working_days: Option<u32>,
    #[schema(max_length = 100)]
    pub checklist_item_code: Option<String>,
    pub risk_point_id: Option<i64>,
    /// Photos of the scene, uploaded first through `POST /api/v1/attachments`; at most `limits::LIST`.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub attachment_ids: Vec<i64>,
    /// Fixed on the spot (立查立改): recorded and closed at once; needs `after_attachment_ids`.
    #[serde(default)]
    pub fixed_on_spot: bool,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub after_attachment_ids: Vec<i64>,
}

/// A step's body as the service applies it: the union of the steps' own
/// bodies ([`super::steps`]), narrowed to the step's fields before it is used.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionRequest {
    /// The version read; a stale one answers 409 `version_conflict`.
    pub version: Option<i32>,
    /// The step's note or reason; at most `limits::TEXT` characters.
    pub note: Option<String>,
    /// `confirm`: the level settled on (default: the reported level).
    pub level: Option<Level>,
    /// `confirm` / `dismiss` of a tip-off: 属实 / 不属实.
    pub outcome: Option<Outcome>,
    /// `confirm`: any reward paid to the reporter (`limits::SHORT`).
    pub reward: Option<String>,
    /// `verify`: whether the review passed.
    pub passed: Option<bool>,
    /// `assign`: 交办.
    pub assignment: Option<Assignment>,
    /// `plan`: 治理方案 with the 五定.
    pub plan: Option<Plan>,
    /// `request_extension`: the date asked for.
    pub until: Option<NaiveDate>,
    /// `decide_extension`.
    pub approved: Option<bool>,
    /// `suspend`: true when production or use is suspended, false when resumed.
    pub suspended: Option<bool>,
    /// `progress` / `submit`: funds spent so far, in yuan.
    pub funds_spent: Option<f64>,
    /// `assign` / `confirm` of a downgraded hazard: the rectification deadline.
    pub deadline: Option<NaiveDate>,
    /// Evidence for this step (the "after" photo is required to `submit`); at most `limits::LIST`.
    #[serde(default)]
    pub attachment_ids: Vec<i64>,
}

/// 交办 of a major hazard.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct Assignment {
    /// The body assigning it (交办单位), e.g. 武汉市安委办 (`limits::NAME`).
    #[schema(max_length = 200)]
    pub assigning_body: String,
    /// The assigning bureau, when the body is a bureau; when absent, a bureau
    /// named exactly `assigning_body` is taken.
    #[serde(default)]
    pub assigning_bureau_id: Option<i64>,
    /// The unit responsible for rectification (责任单位) (`limits::NAME`).
    #[schema(max_length = 200)]
    pub responsible_unit: String,
    /// At most `limits::SHORT` characters.
    #[schema(max_length = 100)]
    pub responsible_person: String,
    /// 挂牌督办 level: `province`, `city` or `county`.
    #[schema(max_length = 100)]
    pub supervision_level: String,
    /// The 督办 notice number (`limits::SHORT`).
    #[schema(max_length = 100)]
    pub notice_no: Option<String>,
    pub deadline: NaiveDate,
}

/// 治理方案 with the 五定 (措施、责任、资金、时限、预案).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct Plan {
    /// At most `limits::TEXT` characters.
    #[schema(max_length = 5000)]
    pub measures: String,
    /// At most `limits::SHORT` characters.
    #[schema(max_length = 100)]
    pub responsible_person: String,
    /// Funds planned, in yuan.
    pub funds: f64,
    pub deadline: NaiveDate,
    /// At most `limits::TEXT` characters.
    #[schema(max_length = 5000)]
    pub emergency_plan: String,
}

/// One step of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub action: String,
    pub from_status: Option<Status>,
    pub to_status: Status,
    /// Hidden (null) for the report of a protected reporter when an enterprise user reads it.
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
    pub data: Option<Value>,
}

/// A hazard as one flat object.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HazardResponse {
    pub id: i64,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub subject_id: Option<i64>,
    pub bureau_id: i64,
    pub sector: Option<Sector>,
    pub region_code: String,
    pub source: Source,
    pub source_ref: Option<String>,
    /// Bureau users only.
    pub reporter: Option<Reporter>,
    pub verification_outcome: Option<Outcome>,
    /// Bureau users only.
    pub reward: Option<String>,
    pub level: Level,
    /// Who closes it.
    pub closure: Closure,
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: Option<String>,
    pub found_at: DateTime<Utc>,
    pub deadline: Option<NaiveDate>,
    /// Days until the deadline (negative: overdue), for open hazards.
    pub days_left: Option<i64>,
    pub overdue: bool,
    pub checklist_item_code: Option<String>,
    pub risk_point_id: Option<i64>,
    pub status: Status,
    pub suspended: bool,
    pub assignment: Option<Value>,
    pub plan: Option<Value>,
    pub report: Option<Value>,
    pub extension_until: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    /// Funds spent, in yuan.
    pub funds_spent: Option<f64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub attachments: Vec<AttachmentResponse>,
    pub timeline: Vec<TimelineEntry>,
    /// Warnings about this request, e.g. a working-day deadline past the published holiday calendar.
    pub warnings: Vec<String>,
    /// The steps this caller may take now (`POST /api/v1/hazards/{id}/{action}`), from the hazard's policy:
    /// exactly those the API accepts with a valid body.
    pub allowed_actions: Vec<Action>,
    /// Whether this caller may file or amend the 双报告 now (`PUT /api/v1/hazards/{id}/report`).
    pub may_file_report: bool,
    /// The record-keeping operations this caller may use now: `correct`
    /// (`POST /api/v1/hazards/{id}/correct`), `merge` (`POST /api/v1/hazards/{id}/merge`).
    pub record_actions: Vec<super::correct::RecordAction>,
    /// A duplicate voided by a merge: the record kept.
    pub merged_into: Option<i64>,
}

/// A row of a hazard list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HazardSummary {
    pub id: i64,
    pub enterprise_id: Option<i64>,
    pub subject_id: Option<i64>,
    pub bureau_id: i64,
    pub sector: Option<Sector>,
    pub source: Source,
    pub level: Level,
    pub category: String,
    pub title: String,
    pub status: Status,
    pub deadline: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub overdue: bool,
    pub found_at: DateTime<Utc>,
    pub version: i32,
}

/// Filters of `GET /api/v1/hazards`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HazardFilter {
    pub status: Option<Status>,
    pub level: Option<Level>,
    pub source: Option<Source>,
    /// Past the deadline and not closed, dismissed or voided; sorted most overdue first.
    pub overdue: Option<bool>,
    pub enterprise_id: Option<i64>,
    /// A region code; a city or province code covers the regions below it.
    #[param(pattern = "^([0-9]{6})?$")]
    pub region: Option<String>,
    #[param(value_type = Option<crate::enterprise::domain::Sector>)]
    pub sector: Option<String>,
    /// Deadline on or before this date, `YYYY-MM-DD` (years 1–9999).
    pub due_before: Option<NaiveDate>,
    /// 1-based page number, 1–100000 (`json::MAX_PAGE`, default 1); a larger one is 422 `validation_failed`.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
}

/// One cell of the status × level × sector counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountRow {
    pub status: Status,
    pub level: Level,
    pub sector: Option<String>,
    pub count: i64,
}

/// A hazard category from the dictionary.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryResponse {
    pub code: String,
    pub name: String,
}

/// One row of the major-hazard list (一单) with its four systems.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MajorHazardRow {
    pub id: i64,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub title: String,
    pub status: Status,
    pub deadline: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub overdue: bool,
    pub suspended: bool,
    /// 交办: the responsible unit it was assigned to, if assigned.
    pub assigned_to: Option<String>,
    pub supervision_level: Option<String>,
    pub notice_no: Option<String>,
    /// 台账: steps recorded in its timeline.
    pub ledger_entries: i64,
    /// 销号: closed after verification.
    pub closed: bool,
    /// 通报: named in a published bulletin.
    pub notified: bool,
}

/// Query of `GET /api/v1/major-hazards`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MajorFilter {
    /// Only hazards not yet closed.
    pub open_only: Option<bool>,
    /// Only those assigned (交办) at this 挂牌督办 level.
    pub supervision_level: Option<SupervisionLevel>,
    /// Only those assigned by this bureau.
    pub assigning_bureau_id: Option<i64>,
    /// Only those whose responsible unit (责任单位) is exactly this (`limits::NAME`).
    #[param(max_length = 200)]
    pub responsible_unit: Option<String>,
}
