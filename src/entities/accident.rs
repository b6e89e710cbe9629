//! A production-safety accident (生产安全事故) with its legal grade (`crate::accident`).
use crate::accident::domain::{AccidentGrade, AccidentType};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accidents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The bureau whose territory it is (the enterprise's supervising bureau).
    pub bureau_id: i64,
    pub enterprise_id: Option<i64>,
    /// An operator not in the register.
    pub operator_name: Option<String>,
    /// The operator's 统一社会信用代码, when known.
    pub operator_credit_code: Option<String>,
    pub occurred_at: DateTimeUtc,
    pub accident_type: AccidentType,
    pub place: String,
    pub summary: String,
    pub deaths: i32,
    pub missing: i32,
    /// Serious injuries, acute industrial poisoning included.
    pub serious_injuries: i32,
    pub direct_loss_yuan: i64,
    pub grade: AccidentGrade,
    /// When the enterprise reported it to the bureau.
    pub reported_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
