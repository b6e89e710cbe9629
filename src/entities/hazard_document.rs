//! A document (文书) issued for a hazard: one number per (hazard, kind), kept for reprints.
use crate::document::DocumentKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub hazard_id: i64,
    pub kind: DocumentKind,
    /// The issuing bureau, whose name heads the document.
    pub bureau_id: i64,
    /// e.g. 江汉区应急隐改〔2026〕12号.
    pub number: String,
    pub issued_at: DateTimeUtc,
    pub issued_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
