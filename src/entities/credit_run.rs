//! One recomputation of the credit scores, and a version adoption (below).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `job`, `cli`, `api`, `adoption`.
    pub trigger: String,
    pub as_of: Date,
    pub rule_version: String,
    pub started_at: DateTimeUtc,
    pub events_added: i64,
    pub events_voided: i64,
    pub enterprises: i64,
    pub changed: i64,
    pub took_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
