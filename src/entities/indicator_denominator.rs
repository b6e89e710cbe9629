//! A region's denominators for one year (`crate::indicator::inputs`): 地区生产总值
//! (亿元) and 工矿商贸就业人员 (persons), one row per region and year.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_denominators")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_code: String,
    pub year: i32,
    pub gdp_100m_yuan: Option<f64>,
    pub industrial_workers: Option<i64>,
    /// Where the figures come from (统计公报, 年鉴 …).
    pub source: String,
    /// The bureau that entered them last.
    pub bureau_id: i64,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
