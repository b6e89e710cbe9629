//! One revision of a bureau's annual supervision and inspection plan; see `crate::annual_plan`.
use crate::annual_plan::domain::Status;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "annual_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bureau_id: i64,
    pub year: i32,
    /// 1 for the plan, then 2, 3 … for its revisions.
    pub revision: i32,
    /// The approved revision this one revises.
    pub revises_id: Option<i64>,
    pub status: Status,
    /// `"<bureau>:<year>"` while approved (unique), else NULL.
    pub approved_slot: Option<String>,
    pub inspectors: i32,
    pub available_days: i32,
    pub reserve_percent: i32,
    pub days_per_inspection: f64,
    /// JSON array of enterprise ids (重点检查).
    pub key_enterprise_ids: String,
    /// JSON array of `domain::Target` (双随机 per sector and class, counts frozen when saved).
    pub random_targets: String,
    /// JSON array of 12 planned counts.
    pub monthly: String,
    pub notes: Option<String>,
    /// Why this revision was made (revisions only).
    pub reason: Option<String>,
    pub returned_reason: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<DateTimeUtc>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTimeUtc>,
    /// 报本级政府批准: the date and the document.
    pub government_approved_on: Option<Date>,
    pub government_document: Option<String>,
    /// 上一级备案: the date.
    pub filed_on: Option<Date>,
    pub superseded_at: Option<DateTimeUtc>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
