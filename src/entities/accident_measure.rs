//! One 整改措施 after an accident, with its deadline (`crate::accident::measures`).
use crate::accident::domain::MeasureStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accident_measures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub accident_id: i64,
    /// The accident's bureau (whose regulators follow it up).
    pub bureau_id: i64,
    pub description: String,
    pub responsible_unit: String,
    pub deadline: Date,
    pub status: MeasureStatus,
    /// What shows it was done.
    pub evidence: Option<String>,
    /// Who checked it was done.
    pub verifier: Option<String>,
    pub done_on: Option<Date>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
