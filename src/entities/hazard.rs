//! Hidden hazard (隐患): one row per hazard, never deleted; see `crate::hazard`.
use crate::enterprise::domain::Sector;
use crate::hazard::domain::{Closure, Level, Outcome, Source, Status, SupervisionLevel};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "hazards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: Option<i64>,
    /// A provisional subject (打非治违 lead) when the operator is not in the register.
    pub subject_id: Option<i64>,
    /// The supervising bureau (监管主体) when the hazard was recorded.
    pub bureau_id: i64,
    pub sector: Option<Sector>,
    pub region_code: String,
    pub source: Source,
    /// 12350 reference number, referral document number and the like.
    pub source_ref: Option<String>,
    /// Protected reporter identity (举报人): never shown to enterprise users.
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_user_id: Option<i64>,
    /// 核查结果 of a tip-off or report.
    pub verification_outcome: Option<Outcome>,
    pub reward: Option<String>,
    pub level: Level,
    /// Who closes it.
    pub closure: Closure,
    /// Who closes it while it is general: the closer its source gives, set at
    /// intake (see `crate::hazard::domain::origin`).
    pub origin_closure: Closure,
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: Option<String>,
    pub found_at: DateTimeUtc,
    pub deadline: Option<Date>,
    pub checklist_item_code: Option<String>,
    pub risk_point_id: Option<i64>,
    pub status: Status,
    pub is_open: bool,
    /// Production or use suspended during remediation (WSL art. 65).
    pub suspended: bool,
    /// When the enterprise handed in its 复产申请 (with the 评估报告) since the suspension.
    pub resumption_applied_at: Option<DateTimeUtc>,
    /// 交办: the 挂牌督办 level; the `assignment_*`, `assign*` columns are set together.
    pub assignment_level: Option<SupervisionLevel>,
    /// The assigning bureau where the assigning body is one.
    pub assigning_bureau_id: Option<i64>,
    /// 交办单位 as written (e.g. 武汉市安委办, which is not a bureau).
    pub assigning_body: Option<String>,
    /// 责任单位 and 责任人.
    pub assigned_unit: Option<String>,
    pub assigned_person: Option<String>,
    /// The 督办 notice number.
    pub assignment_notice_no: Option<String>,
    pub assigned_at: Option<DateTimeUtc>,
    pub assignment_deadline: Option<Date>,
    /// The 交办 date (the day the notice was issued; deadlines in working days count from it).
    pub assigned_on: Option<Date>,
    /// The supervising bureau named at 交办 (the listing bureau when a 挂牌 level is given).
    pub supervising_bureau_id: Option<i64>,
    /// 配合单位: a JSON array of names.
    pub cooperating_units: Option<String>,
    /// 治理方案 (五定): measures, responsible person, funds in fen, deadline, emergency plan.
    pub plan_measures: Option<String>,
    pub plan_person: Option<String>,
    pub plan_funds_fen: Option<i64>,
    pub plan_deadline: Option<Date>,
    pub plan_emergency: Option<String>,
    /// 双报告 contents (see `crate::hazard::report`), filed at `reported_at`.
    pub report_current_state: Option<String>,
    pub report_harm: Option<String>,
    pub report_remediation: Option<String>,
    pub report_congress_on: Option<Date>,
    pub reported_at: Option<DateTimeUtc>,
    pub extension_until: Option<Date>,
    pub extension_reason: Option<String>,
    /// The user who submitted completion; the acceptor must be someone else.
    pub rectified_by: Option<i64>,
    /// 整改责任人 named at the submission.
    pub rectifier_name: Option<String>,
    /// 验收人 named at the acceptance, and the user who recorded it.
    pub acceptor_name: Option<String>,
    pub accepted_by: Option<i64>,
    /// Who asked for the pending extension; someone else decides it.
    pub extension_requested_by: Option<i64>,
    /// A void waiting for an approver: who asked for it and why.
    pub void_requested_by: Option<i64>,
    pub void_reason: Option<String>,
    /// Funds spent on rectification, in fen (分).
    pub funds_spent: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub status_changed_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub version: i32,
    /// A duplicate voided by a merge: the record of the same hazard that was kept.
    pub merged_into: Option<i64>,
    /// The inspection whose finding this is (source `inspection`).
    pub inspection_id: Option<i64>,
    /// The self-inspection task whose 不符合 item this is (source `self_inspection`).
    pub self_inspection_task_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
