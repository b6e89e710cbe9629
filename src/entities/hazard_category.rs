//! Hazard category dictionary (隐患类别).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard_categories")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub sort: i32,
    pub active: bool,
    /// The province (6-digit region code) that keeps it; `None`: shipped, offered everywhere.
    pub province_code: Option<String>,
    /// Offered only for this sector's enterprises, if set.
    pub sector: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
