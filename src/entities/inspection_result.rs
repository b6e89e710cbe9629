//! The outcome of one checklist item on an inspection (one row per item).
use crate::inspection::domain::Outcome;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub item_code: String,
    /// The pinned checklist version the item comes from.
    pub checklist_hash: String,
    pub outcome: Outcome,
    pub note: Option<String>,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
    /// Bumped by every change; a write from an older version is kept as a conflict.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
