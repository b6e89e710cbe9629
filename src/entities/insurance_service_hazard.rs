//! A hazard found by a hazard-inspection service (`crate::insurance::prevention`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "insurance_service_hazards")]
pub struct Model {
    pub service_id: i64,
    /// A hazard is found by one service at most.
    #[sea_orm(primary_key, auto_increment = false)]
    pub hazard_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
