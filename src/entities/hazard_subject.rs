//! A provisional subject (临时主体) for a lead about an operator not in the
//! register (打非治违), kept until it is linked to an enterprise or closed.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard_subjects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bureau_id: i64,
    pub name: String,
    pub address: Option<String>,
    pub description: Option<String>,
    pub region_code: String,
    pub enterprise_id: Option<i64>,
    /// `open`, `linked`, `closed`.
    pub status: String,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
