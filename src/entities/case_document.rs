//! A numbered document (执法文书) of a penalty case, issued by a step.
use crate::case::domain::CaseDocument;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub step_id: Option<i64>,
    pub kind: CaseDocument,
    pub bureau_id: i64,
    pub year: i32,
    pub seq: i64,
    /// e.g. （江汉）应急罚决〔2026〕3号.
    pub number: String,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
