//! A major hazard an internal bulletin lists: that bulletin is the hazard's 通报.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bulletin_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bulletin_id: i64,
    pub hazard_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
