//! Request and response shapes of penalty cases (English field names; Chinese labels
//! beside every code).

use super::domain::{CaseDocument, CaseStatus, Clock, Decision, Duty, PartyKind, PartyRole, Procedure, Step};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A party of a new case.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewParty {
    pub kind: PartyKind,
    /// A unit in the register (its name is taken from the register).
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name: String,
    /// A person's identity number (never published).
    #[schema(max_length = 40)]
    pub id_number: Option<String>,
    /// For a person: `principal` or `responsible` (default `responsible`).
    pub role: Option<PartyRole>,
}

/// A violation charged in a new case.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewViolation {
    #[schema(max_length = 40)]
    pub catalogue_code: String,
    /// The party's index in `parties` (default 0).
    #[serde(default)]
    pub party: usize,
    /// The fine row's stage (default `first`).
    #[schema(max_length = 40)]
    pub stage: Option<String>,
    /// Violations of one party with the same act number are one act: one fine, under
    /// the provision with the higher fine (行政处罚法 art. 29). Default: its own act.
    pub act: Option<i32>,
    /// Simple procedure: the fine imposed on the spot.
    pub fine_yuan: Option<i64>,
}

/// `POST /api/v1/cases`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCase {
    #[schema(max_items = 20)]
    pub parties: Vec<NewParty>,
    #[schema(max_length = 5000)]
    pub facts: String,
    pub inspection_id: Option<i64>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub hazard_ids: Vec<i64>,
    #[schema(max_items = 50)]
    pub violations: Vec<NewViolation>,
    pub procedure: Procedure,
    /// The second certified inspector (协办人); required.
    pub co_handler_id: Option<i64>,
    /// 重大复杂案件: collective discussion before the decision.
    #[serde(default)]
    pub complex: bool,
    /// The day of the act (default today), for the law in force.
    pub act_on: Option<NaiveDate>,
}

/// A violation's fine as proposed in 案件处理呈批.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposedFine {
    /// The violation's id.
    pub violation_id: i64,
    /// The benchmark step (裁量阶次) code, where the entry has a benchmark.
    #[schema(max_length = 20)]
    pub step: Option<String>,
    /// 0 for no fine under this provision (e.g. the lesser provision of one act).
    pub fine_yuan: i64,
    /// For a fine that is a share of income: the previous year's income.
    pub annual_income_yuan: Option<i64>,
    /// Why the amount lies outside its step or below the statutory minimum.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: String,
    /// A 减轻 ground (行政处罚法 art. 32) is claimed.
    #[serde(default)]
    pub mitigation: bool,
}

/// The body of a step (`POST /api/v1/cases/{id}/{step}`): each step reads the fields
/// it needs and lists every missing or bad one at once.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// Free text: the opinion, the record, the reason (every step).
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub note: String,
    /// The day the step refers to (default today): served, paid, heard, discussed.
    pub on: Option<NaiveDate>,
    /// investigate: `inquiry_record` or `evidence_list`.
    pub record: Option<CaseDocument>,
    /// investigate, statement, hearing, serve: files already uploaded (photos, 执法全过程记录
    /// media, signed records), linked to the step as evidence.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub attachment_ids: Vec<i64>,
    /// report: the outcome proposed.
    pub decision: Option<Decision>,
    /// report: the fines per violation.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub fines: Vec<ProposedFine>,
    /// report: other measures (`suspension`, `licence_suspension`, `licence_revocation`, `closure`).
    #[serde(default)]
    #[schema(max_items = 10)]
    pub measures: Vec<String>,
    /// report (no penalty): `minor` (轻微不罚) or `first_offence` (首违不罚).
    #[schema(max_length = 100)]
    pub no_penalty_ground: Option<String>,
    /// statement: the party waives the rest of the statement period and any hearing.
    #[serde(default)]
    pub waive: bool,
    /// `hearing_request`: the hearing officer (not the handler).
    pub hearing_officer_id: Option<i64>,
    /// review: `approve` or `return` (back to investigation).
    #[schema(max_length = 100)]
    pub opinion: Option<String>,
    /// discuss: who took part.
    #[serde(default)]
    #[schema(max_items = 30)]
    pub participants: Vec<String>,
    /// serve: the way (直接送达, 留置送达, 邮寄送达, 电子送达, 公告送达 …).
    #[schema(max_length = 50)]
    pub method: Option<String>,
    /// pay: the amount paid, yuan.
    pub amount_yuan: Option<i64>,
    /// instalment: the new payment due date; extend: the days added.
    pub due: Option<NaiveDate>,
    pub days: Option<i32>,
    /// `daily_penalty`: the day the unit was ordered to correct (the re-inspection is `on`).
    pub ordered_on: Option<NaiveDate>,
    /// transfer: to whom (公安机关 …).
    #[schema(max_length = 100)]
    pub to: Option<String>,
}

/// A party as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyView {
    pub position: i32,
    pub kind: PartyKind,
    pub kind_label: String,
    pub role: PartyRole,
    pub role_label: String,
    pub enterprise_id: Option<i64>,
    pub name: String,
    /// Shown to the bureau's users only; masked except the last four characters.
    pub id_number_masked: Option<String>,
}

/// A violation as shown, with its law and the ranges that bind it.
#[allow(clippy::struct_excessive_bools)] // independent facts of the violation, not a state machine
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ViolationView {
    pub id: i64,
    pub party_position: i32,
    pub catalogue_code: String,
    pub citation: String,
    pub conduct: String,
    /// The entry has not been checked against the official text.
    pub verified: bool,
    pub stage: String,
    pub stage_label: String,
    pub act: i32,
    /// e.g. 5万元以下.
    pub statutory_text: String,
    pub step_code: Option<String>,
    pub step_label: Option<String>,
    pub fine_yuan: Option<i64>,
    pub reason: String,
    pub mitigation: bool,
    pub outside_step: bool,
    pub daily_penalty: bool,
}

/// A step taken.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseStepView {
    pub id: i64,
    pub step: Step,
    pub step_label: String,
    pub actor_id: i64,
    pub actor_name: String,
    pub at: DateTime<Utc>,
    pub from_status: CaseStatus,
    pub to_status: CaseStatus,
    pub body: serde_json::Value,
    /// The files recorded with the step.
    pub attachments: Vec<crate::attachment::json::AttachmentResponse>,
}

/// A numbered document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub kind: CaseDocument,
    pub title: String,
    pub number: String,
    pub step_id: Option<i64>,
    pub issued_at: DateTime<Utc>,
}

/// A person of the case in a duty.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DutyHolder {
    pub duty: Duty,
    pub duty_label: String,
    pub user_id: i64,
    pub name: String,
}

/// Money owed on `today`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Money {
    pub fine_yuan: i64,
    pub late_fee_yuan: i64,
    pub paid_yuan: i64,
    pub owed_yuan: i64,
    pub payment_due: Option<NaiveDate>,
}

/// One case in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: i64,
    pub number: Option<String>,
    pub procedure: Procedure,
    pub procedure_label: String,
    pub status: CaseStatus,
    pub status_label: String,
    pub parties: String,
    pub handler_name: String,
    pub filed_on: Option<NaiveDate>,
    pub clock: Option<Clock>,
    pub fine_total_yuan: i64,
    pub updated_at: DateTime<Utc>,
}

/// A case with everything on it.
#[allow(clippy::struct_excessive_bools)] // independent facts of the case, not a state machine
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseResponse {
    pub id: i64,
    pub bureau_id: i64,
    pub number: Option<String>,
    pub procedure: Procedure,
    pub procedure_label: String,
    pub status: CaseStatus,
    pub status_label: String,
    pub facts: String,
    pub complex: bool,
    pub inspection_id: Option<i64>,
    pub hazard_ids: Vec<i64>,
    pub parties: Vec<PartyView>,
    pub violations: Vec<ViolationView>,
    pub duties: Vec<DutyHolder>,
    pub filed_on: Option<NaiveDate>,
    pub clock: Option<Clock>,
    pub hearing_right: bool,
    pub notified_on: Option<NaiveDate>,
    pub statement_until: Option<NaiveDate>,
    pub discussed: bool,
    /// Collective discussion is required before the decision.
    pub needs_discussion: bool,
    pub decision: Option<Decision>,
    pub decided_on: Option<NaiveDate>,
    pub served_on: Option<NaiveDate>,
    pub money: Money,
    pub closed_on: Option<NaiveDate>,
    pub published_at: Option<DateTime<Utc>>,
    /// The last day to publish the decision (安全生产法 art. 78), while unpublished.
    pub publication_due: Option<NaiveDate>,
    pub revoked_on: Option<NaiveDate>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// For an art. 112 proposal: the case whose decision the unit refused to follow.
    pub origin_case_id: Option<i64>,
    pub steps: Vec<CaseStepView>,
    pub documents: Vec<DocumentView>,
    /// The steps the caller may take now.
    pub allowed_actions: Vec<Step>,
    pub version: i32,
}
