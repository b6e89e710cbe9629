//! An emergency-plan filing (应急预案备案) of an enterprise (`crate::emergency_plan`).
use crate::emergency_plan::domain::FilingStatus;
use crate::enterprise::domain::Sector;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "emergency_plan_filings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    /// The supervising bureau the filing is lodged with (the enterprise's at filing).
    pub bureau_id: i64,
    /// The enterprise's sector at filing (for bureau users limited to some sectors).
    pub sector: Sector,
    pub status: FilingStatus,
    /// 1 for the first submission, +1 for each resubmission after a return.
    pub round: i32,
    pub return_reason: Option<String>,
    /// The 备案登记表 number, once accepted.
    pub number: Option<String>,
    pub year: Option<i32>,
    pub seq: Option<i64>,
    pub accepted_on: Option<Date>,
    pub filed_by: i64,
    pub filed_at: DateTimeUtc,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
