//! A drill (应急演练) of an emergency plan, recorded by the enterprise (`crate::emergency_plan`).
use crate::emergency_plan::domain::{DrillForm, PlanKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "emergency_plan_drills")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub filing_id: i64,
    pub document_id: i64,
    /// The drilled plan's kind (kept so the due dates read one table).
    pub plan_kind: PlanKind,
    pub form: DrillForm,
    pub drilled_on: Date,
    pub participants: i32,
    pub summary: String,
    pub recorded_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
