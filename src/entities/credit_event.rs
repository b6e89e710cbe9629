//! One credit event (监管风险信号) of an enterprise, collected from the records.
use crate::credit::domain::Signal;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub signal: Signal,
    pub occurred_on: Date,
    /// The record it comes from: `hazard`, `accident`, `case`, `hazard_statistic`, `enterprise`.
    pub source_type: String,
    pub source_id: i64,
    /// What the record says, in a line (a hazard's title, a decision's number).
    pub detail: String,
    pub created_at: DateTimeUtc,
    pub contested_at: Option<DateTimeUtc>,
    pub contested_by: Option<i64>,
    pub contest_reason: Option<String>,
    pub resolved_at: Option<DateTimeUtc>,
    pub resolved_by: Option<i64>,
    pub resolution: Option<String>,
    /// Set when the basis fell away (a revoked decision) or a contest was upheld;
    /// a voided event counts nothing.
    pub voided_at: Option<DateTimeUtc>,
    pub void_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
