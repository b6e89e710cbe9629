//! The current site plan (平面图) of an enterprise (`crate::risk::site_plan`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "site_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    /// The bytes in the content store.
    pub sha256: String,
    pub content_type: String,
    /// Pixels, from the image header.
    pub width: i32,
    pub height: i32,
    pub size: i64,
    pub file_name: String,
    pub uploaded_by: i64,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
