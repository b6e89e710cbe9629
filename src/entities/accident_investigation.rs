//! The investigation of an accident (事故调查), one per accident (`crate::accident::investigation`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accident_investigations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub accident_id: i64,
    /// The government or department that organises the investigation.
    pub organised_by: String,
    /// 调查组组长.
    pub leader: String,
    /// The members as a JSON list of `{name, unit}`.
    pub members: String,
    /// Days the report's deadline was extended by (art. 29: at most 60).
    pub extended_days: i32,
    pub extension_reason: Option<String>,
    pub report_submitted_on: Option<Date>,
    pub report_summary: Option<String>,
    pub updated_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
