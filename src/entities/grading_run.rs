//! One recomputation of grades and classes over the register (`crate::grading::compute`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "grading_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `job`, `request`, `demo` or `enterprise`.
    pub trigger: String,
    pub rules_version: String,
    pub started_at: DateTimeUtc,
    pub finished_at: DateTimeUtc,
    pub enterprises: i64,
    pub changed: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
