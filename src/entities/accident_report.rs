//! One report of an accident from one level to the next (逐级上报, `crate::accident::reports`).
use crate::accident::domain::ReportLevel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accident_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub accident_id: i64,
    pub from_level: ReportLevel,
    pub to_level: ReportLevel,
    pub reported_at: DateTimeUtc,
    /// What was reported, in short.
    pub content: String,
    pub recorded_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
