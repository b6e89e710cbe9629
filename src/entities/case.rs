//! A penalty case (行政处罚案件) of a bureau, by the general or the simple procedure.
use crate::case::domain::{CaseStatus, Decision, Procedure};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The bureau whose case it is (the handler's).
    pub bureau_id: i64,
    /// The first party that is a registered unit, for scope and the art. 113 count.
    pub enterprise_id: Option<i64>,
    pub inspection_id: Option<i64>,
    /// Comma-separated ledger hazard ids the case grew from.
    pub hazard_ids: String,
    pub procedure: Procedure,
    pub status: CaseStatus,
    /// 案情: the facts as found.
    pub facts: String,
    /// Marked complex or major (重大复杂) by the handler: collective discussion required.
    pub complex: bool,
    /// 承办人 and 协办人 (two certified inspectors).
    pub handler_id: i64,
    pub co_handler_id: Option<i64>,
    /// The approver who approved the filing (立案).
    pub filed_by: Option<i64>,
    pub filed_on: Option<Date>,
    /// 90 plus approved extensions.
    pub time_limit_days: i32,
    pub hearing_right: bool,
    pub hearing_officer_id: Option<i64>,
    pub notified_on: Option<Date>,
    /// The last day for 陈述申辩.
    pub statement_until: Option<Date>,
    pub reviewer_id: Option<i64>,
    pub discussed: bool,
    pub decision: Option<Decision>,
    pub decided_by: Option<i64>,
    pub decided_on: Option<Date>,
    /// The fines decided (or proposed, before the decision), yuan.
    pub fine_total_yuan: i64,
    pub served_on: Option<Date>,
    pub payment_due: Option<Date>,
    pub paid_yuan: i64,
    pub paid_on: Option<Date>,
    pub closed_on: Option<Date>,
    /// Published on the public site (安全生产法 art. 78).
    pub published_at: Option<DateTimeUtc>,
    /// The decision was revoked (复议 or 诉讼), and its publication withdrawn.
    pub revoked_on: Option<Date>,
    pub withdrawn_at: Option<DateTimeUtc>,
    /// The decided case whose refusal to correct this art. 112 case proposes to fine again.
    pub origin_case_id: Option<i64>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
