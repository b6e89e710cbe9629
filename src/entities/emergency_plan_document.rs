//! One plan document of an emergency-plan filing (`crate::emergency_plan`).
use crate::emergency_plan::domain::{EvaluationForm, PlanKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "emergency_plan_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub filing_id: i64,
    pub kind: PlanKind,
    pub title: String,
    /// The document's file (an attachment owned by the filing).
    pub attachment_id: i64,
    /// 发布日期.
    pub published_on: Date,
    /// The 评审/论证 date.
    pub evaluated_on: Date,
    pub evaluation_form: EvaluationForm,
    pub evaluation_conclusion: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
