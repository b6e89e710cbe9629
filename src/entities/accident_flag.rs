//! A regulator's flag on an accident's reporting (谎报/瞒报/漏报), with its reason (`crate::accident::reports`).
use crate::accident::domain::FlagKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accident_flags")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub accident_id: i64,
    pub kind: FlagKind,
    pub reason: String,
    pub flagged_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
