//! An item a regulator chose to publish from a bulletin, as shown to the public.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bulletin_publications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bulletin_id: i64,
    pub hazard_id: i64,
    /// The public text (JSON): enterprise name, hazard title, deadline, days overdue. No personal data.
    pub summary: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
