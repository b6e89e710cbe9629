//! An item outcome written from an older version than the stored one, kept apart
//! until an inspector of the team chooses (and kept afterwards, with the choice).
use crate::inspection::domain::{Outcome, Resolution};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_result_conflicts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub item_code: String,
    pub outcome: Outcome,
    pub note: Option<String>,
    /// The version the writing device had seen.
    pub base_version: i32,
    /// The stored version it met.
    pub server_version: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub resolution: Option<Resolution>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
