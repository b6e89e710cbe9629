//! A finding of responsibility (责任认定) of an accident's investigation (`crate::accident::investigation`).
use crate::accident::domain::Responsibility;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accident_findings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub accident_id: i64,
    /// The unit or person held responsible.
    pub party: String,
    pub responsibility: Responsibility,
    /// 处理建议.
    pub suggestion: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
