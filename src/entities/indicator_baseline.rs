//! A region's baseline value of one indicator for one year (`crate::indicator::inputs`),
//! e.g. its 2020 accident deaths: what a change target is measured against.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_baselines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_code: String,
    /// An indicator code of `data/indicators.toml`.
    pub indicator: String,
    pub year: i32,
    pub value: f64,
    pub source: String,
    pub bureau_id: i64,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
