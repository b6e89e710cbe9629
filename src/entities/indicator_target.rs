//! A bureau's own target for a region it covers (`crate::indicator::inputs`): one
//! row per region, indicator and year; `deleted_at` set when withdrawn (kept for
//! the change log, entered again by updating the same row).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_code: String,
    pub indicator: String,
    pub year: i32,
    pub plan: String,
    pub value: Option<f64>,
    pub change_percent: Option<f64>,
    pub base_year: Option<i32>,
    pub line: String,
    pub binding: bool,
    pub bureau_id: i64,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
