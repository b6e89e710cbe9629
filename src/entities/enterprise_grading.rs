//! One change of an enterprise's risk grade or supervision class, with the inputs
//! and rule set that produced it (`crate::grading`); append-only.
use crate::risk::domain::RiskLevel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprise_gradings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub risk_grade: Option<RiskLevel>,
    pub supervision_class: String,
    /// `computed`, `guide`, `override` or `release`.
    pub source: String,
    pub rules_version: String,
    /// JSON: the figures read and the rule that held.
    pub inputs: String,
    pub reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
