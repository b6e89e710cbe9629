//! Bureau (监管机构) row.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bureaus")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// `province`, `prefecture`, `county` or `park`.
    pub kind: String,
    pub region_code: String,
    pub parent_id: Option<i64>,
    /// Materialised path of ids, e.g. `/1/3/17/`: the subtree is `path LIKE '/1/3/%'`.
    pub path: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
