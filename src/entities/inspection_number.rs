//! The 执法文书 number counter of a bureau, per document type and year.
use crate::inspection::domain::DocumentType;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_document_numbers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub bureau_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: DocumentType,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    /// The next number to reserve.
    pub next: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
