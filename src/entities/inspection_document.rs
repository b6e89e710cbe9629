//! A 执法文书 number of an inspection: reserved at approval, then issued or voided.
use crate::inspection::domain::{DocumentStatus, DocumentType};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub kind: DocumentType,
    /// The issuing bureau (the inspection's), whose counter the number comes from.
    pub bureau_id: i64,
    pub year: i32,
    /// The number within (bureau, kind, year), from 1 without gaps.
    pub seq: i64,
    /// e.g. （江汉）应急检记〔2026〕15号.
    pub number: String,
    pub status: DocumentStatus,
    pub void_reason: Option<String>,
    pub reserved_at: DateTimeUtc,
    pub issued_at: Option<DateTimeUtc>,
    /// 送达: the date, the way and to whom (an order's deadline counts from it).
    pub served_on: Option<Date>,
    pub service_method: Option<String>,
    pub served_to: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
