//! A scoring of a hazchem enterprise under the guide (`crate::grading::assessment`).
use crate::risk::domain::RiskLevel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "risk_assessments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub guide_version: String,
    /// JSON array of `{code, points, note}`.
    pub deductions: String,
    /// Comma-separated direct-red situation codes that held.
    pub direct_red: String,
    pub score: f64,
    pub grade: RiskLevel,
    pub assessed_on: Date,
    pub valid_until: Date,
    /// 评估人（专家或单位）.
    pub assessor: String,
    pub recorded_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
