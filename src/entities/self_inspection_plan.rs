//! An enterprise's self-inspection plan (排查计划); see `crate::self_inspection`.
use crate::enterprise::domain::Sector;
use crate::self_inspection::domain::{Frequency, Kind, Level};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "self_inspection_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    /// The enterprise's supervising bureau when the plan was made (scope).
    pub bureau_id: i64,
    pub sector: Sector,
    pub kind: Kind,
    pub level: Level,
    pub frequency: Frequency,
    pub title: String,
    /// JSON array of the chosen item codes; `None`: every applicable item.
    pub item_codes: Option<String>,
    pub assignee_id: i64,
    pub active: bool,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
