//! One computed figure of the indicator cockpit (`crate::indicator::compute`): an
//! indicator's numerator and denominator for a year to a month's end, in one
//! county region and sector.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_values")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub year: i32,
    /// 1–12: the year to this month's end (or to the day of computation).
    pub month: i32,
    pub code: String,
    pub region_code: String,
    /// The sector's code; empty for a record with no enterprise in the register.
    pub sector: String,
    pub numerator: i64,
    pub denominator: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
