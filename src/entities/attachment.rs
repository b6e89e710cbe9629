//! An uploaded file (附件): content-addressed by SHA-256; linked to a hazard
//! when the hazard or one of its steps names it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sha256: String,
    pub content_type: String,
    pub size: i64,
    pub file_name: String,
    pub uploaded_by: i64,
    pub uploaded_at: DateTimeUtc,
    pub hazard_id: Option<i64>,
    /// `before`, `after`, `plan`, `evidence`, `report`.
    pub purpose: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
