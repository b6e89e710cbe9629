//! One change of an accident's figures (补报), with the grade before and after (`crate::accident::figures`).
use crate::accident::domain::AccidentGrade;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accident_figure_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub accident_id: i64,
    pub deaths_before: i32,
    pub missing_before: i32,
    pub serious_injuries_before: i32,
    pub direct_loss_yuan_before: i64,
    pub grade_before: AccidentGrade,
    pub deaths: i32,
    pub missing: i32,
    pub serious_injuries: i32,
    pub direct_loss_yuan: i64,
    pub grade: AccidentGrade,
    pub reason: String,
    pub changed_by: i64,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
