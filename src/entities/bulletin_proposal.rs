//! A regulator's proposal to publish items of a bulletin, decided by an approver.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bulletin_proposals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bulletin_id: i64,
    /// The hazards proposed for the public page (JSON array of ids).
    pub hazard_ids: String,
    pub proposed_by: i64,
    pub proposed_at: DateTimeUtc,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    /// `None` while pending; approved or returned once decided.
    pub approved: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
