//! Bulletin (通报) of a bureau for one period.
use crate::bulletin::BulletinStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bulletins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bureau_id: i64,
    pub period_start: Date,
    pub period_end: Date,
    pub status: BulletinStatus,
    /// The figures and lists as built (JSON, see `crate::bulletin::Content`).
    pub content: String,
    pub created_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub published_by: Option<i64>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
