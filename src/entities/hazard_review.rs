//! The regulators' 核销 review (现场审查) of a major hazard's submission.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub hazard_id: i64,
    /// The `verify` step that recorded it.
    pub event_id: Option<i64>,
    pub reviewed_on: Date,
    /// The reviewers' names, a JSON array of strings (at least two).
    pub reviewers: String,
    pub opinion: String,
    pub passed: bool,
    /// Whether the review lifted the suspension (停产停用).
    pub lift_suspension: bool,
    pub author_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
