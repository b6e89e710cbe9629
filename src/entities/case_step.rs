//! A step taken in a penalty case: who, when, from which status to which, and what
//! was recorded (the step's body as JSON).
use crate::case::domain::{CaseStatus, Step};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub step: Step,
    pub actor_id: i64,
    pub at: DateTimeUtc,
    pub from_status: CaseStatus,
    pub to_status: CaseStatus,
    pub body: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
