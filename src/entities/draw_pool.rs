//! The frozen pool of a draw, stored apart from the draw row; see `crate::draw::pool_codec`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "draw_pools")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub draw_id: i64,
    /// `anjian-pool-v1`, or `json` for pools moved from the old `draws.pool` column.
    pub format: String,
    #[sea_orm(column_type = "Blob")]
    pub body: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
