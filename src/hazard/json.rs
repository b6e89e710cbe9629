//! Request and response types of the hazard ledger.

use super::domain::{Action, Closure, Level, Outcome, Source, Status};
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

/// A protected reporter (举报人); shown to the supervising regulators only.
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
    /// `confirm`: the level settled on (default: the reported level); `regrade`: the new level.
    pub level: Option<Level>,
    /// `regrade`: why the level changes.
    pub reason: Option<String>,
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
    /// `request_extension`: instead of `until`, working days from the current deadline.
    pub until_working_days: Option<u32>,
    /// `suspend`: what is stopped (停产停业范围 / 停止使用的设施).
    pub scope_text: Option<String>,
    /// `suspend`: the legal basis.
    pub basis: Option<String>,
    /// `submit` of a major hazard / `apply_resumption`: the 评估报告, uploaded first.
    #[serde(default)]
    pub assessment_report_ids: Vec<i64>,
    /// `submit` of a suspended major hazard / `apply_resumption`: the 复产申请, uploaded first.
    #[serde(default)]
    pub resumption_application_ids: Vec<i64>,
    /// `verify` of a major hazard (核销): the review's date (default today).
    pub reviewed_on: Option<NaiveDate>,
    /// `verify` of a major hazard: the reviewers' names (at least two, distinct).
    #[serde(default)]
    pub reviewers: Vec<String>,
    /// `verify` of a major hazard: the review's opinion.
    pub opinion: Option<String>,
    /// `verify` of a major hazard: a passed review lifts the suspension only when this is true.
    pub lift_suspension: Option<bool>,
    /// `decide_extension`.
    pub approved: Option<bool>,
    /// `progress` / `submit`: funds spent so far, in yuan.
    pub funds_spent: Option<f64>,
    /// `assign` / `confirm` / `regrade` of a downgraded hazard / `reopen`: the rectification deadline.
    pub deadline: Option<NaiveDate>,
    /// `regrade` / `reopen`: instead of `deadline`, so many working days from today.
    pub deadline_working_days: Option<u32>,
    /// `submit`: the person responsible for the rectification (整改责任人).
    pub rectifier_name: Option<String>,
    /// `verify`: the person who accepts it (验收人).
    pub acceptor_name: Option<String>,
    /// Evidence for this step (the "after" photo is required to `submit`); at most `limits::LIST`.
    #[serde(default)]
    pub attachment_ids: Vec<i64>,
}

/// 交办 of a major hazard (as sent, and as the detail shows it).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct Assignment {
    /// The 交办 date (default: today, Beijing time); not in the future.
    #[serde(default)]
    pub assigned_on: Option<NaiveDate>,
    /// The supervising bureau (督办单位): the user's own bureau or one below it
    /// (default: the user's own). It is the listing bureau (谁挂牌谁摘牌) unless
    /// `supervision_level` is `none`.
    #[serde(default)]
    pub supervising_bureau_id: Option<i64>,
    /// Read only: the supervising bureau's name.
    #[schema(max_length = 200)]
    #[serde(default)]
    pub supervising_bureau_name: Option<String>,
    /// Read only: the listing bureau, the supervising bureau when a 挂牌 level is given.
    #[serde(default)]
    pub assigning_bureau_id: Option<i64>,
    /// Optional display text of the assigning body when it is not a bureau,
    /// e.g. 武汉市安委办 (`limits::NAME`).
    #[schema(max_length = 200)]
    #[serde(default)]
    pub assigning_body: Option<String>,
    /// The unit responsible for rectification (责任单位) (`limits::NAME`).
    #[schema(max_length = 200)]
    pub responsible_unit: String,
    /// At most `limits::SHORT` characters.
    #[schema(max_length = 100)]
    pub responsible_person: String,
    /// 配合单位: names (each `limits::NAME`, at most `limits::LIST`).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub cooperating_units: Vec<String>,
    /// 挂牌督办 level: `province`, `city`, `county`, or `none` (不挂牌).
    #[schema(max_length = 100)]
    pub supervision_level: String,
    /// The 督办 notice number (`limits::SHORT`).
    #[schema(max_length = 100)]
    pub notice_no: Option<String>,
    /// The rectification deadline; or instead `deadline_working_days`.
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
    /// Instead of `deadline`: so many working days (1–365) counted from
    /// `assigned_on` with the holiday calendar (not in the response).
    #[serde(default, skip_serializing)]
    pub deadline_working_days: Option<u32>,
}

/// 治理方案 with the contents 16号令 art. 15 asks (as sent, and as the detail shows its latest version).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct Plan {
    /// 目标和任务 (`limits::TEXT`).
    #[schema(max_length = 5000)]
    #[serde(default)]
    pub goals: String,
    /// 方法和措施 (`limits::TEXT`).
    #[schema(max_length = 5000)]
    pub measures: String,
    /// 经费: funds planned, in yuan, more than 0, at most two decimals.
    #[schema(minimum = 0.01, maximum = 1_000_000_000_000_f64)]
    pub funds: f64,
    /// 物资 (`limits::TEXT`).
    #[schema(max_length = 5000)]
    #[serde(default)]
    pub materials: Option<String>,
    /// 负责的机构 (`limits::NAME`).
    #[schema(max_length = 200)]
    #[serde(default)]
    pub responsible_org: String,
    /// 负责的人员 (`limits::SHORT`).
    #[schema(max_length = 100)]
    pub responsible_person: String,
    /// 时限: no later than the rectification deadline.
    pub deadline: NaiveDate,
    /// 要求 (`limits::TEXT`).
    #[schema(max_length = 5000)]
    #[serde(default)]
    pub requirements: Option<String>,
    /// 安全措施 (`limits::TEXT`).
    #[schema(max_length = 5000)]
    #[serde(default)]
    pub safety_measures: String,
    /// 应急预案 (`limits::TEXT`).
    #[schema(max_length = 5000)]
    pub emergency_plan: String,
    /// Read only: whether the enterprise's principal filed (signed) it.
    #[serde(default)]
    pub signed_by_principal: bool,
}

pub use super::plan::PlanVersion;
pub use super::review::Review;
pub use super::suspension::Suspension;

/// One step of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub action: String,
    pub from_status: Option<Status>,
    pub to_status: Status,
    /// Hidden (null) for the report of a protected reporter unless a supervising regulator reads it.
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
    /// Of a tip-off or an employee report (the 12350 number): the supervising regulators only;
    /// of another source: bureau users only.
    pub source_ref: Option<String>,
    /// The supervising regulators only (not grid workers or inspectors, never enterprises).
    pub reporter: Option<Reporter>,
    pub verification_outcome: Option<Outcome>,
    /// The supervising regulators only.
    pub reward: Option<String>,
    pub level: Level,
    /// Who closes it.
    pub closure: Closure,
    /// Who closes it while it is general (the closer its source gives; a major hazard re-graded as general goes back to it).
    pub origin_closure: Closure,
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
    /// The latest 治理方案 version.
    pub plan: Option<Value>,
    /// How many 治理方案 versions were filed (`GET /api/v1/hazards/{id}/plans`).
    pub plan_versions: i64,
    /// The suspension in force, if any.
    pub suspension: Option<Suspension>,
    /// The latest 核销 review of a major hazard.
    pub review: Option<Review>,
    pub report: Option<Value>,
    pub extension_until: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    /// Funds spent, in yuan.
    pub funds_spent: Option<f64>,
    /// 整改责任人 named at the last submission.
    pub rectifier_name: Option<String>,
    /// 验收人 named at the last acceptance.
    pub acceptor_name: Option<String>,
    /// A void waiting for an approver (`approve_void`): who asked for it and why.
    pub void_requested_by: Option<i64>,
    pub void_reason: Option<String>,
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
    /// Deadline on or after this date, `YYYY-MM-DD` (years 1–9999).
    pub due_after: Option<NaiveDate>,
    /// Found on or after this day (Beijing date), `YYYY-MM-DD`.
    pub found_from: Option<NaiveDate>,
    /// Found on or before this day (Beijing date), `YYYY-MM-DD`.
    pub found_to: Option<NaiveDate>,
    /// Part of the title, description or location (`limits::NAME` characters at most).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// A category code from `GET /api/v1/hazard-categories`.
    #[param(max_length = 100)]
    pub category: Option<String>,
    /// Only major hazards assigned (交办) at this 挂牌督办 level.
    pub supervision_level: Option<super::domain::SupervisionLevel>,
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
