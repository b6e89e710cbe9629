//! An on-site measure (现场处理措施, WSL art. 65) decided during an inspection.
use crate::inspection::record::domain::MeasureKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_measures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub kind: MeasureKind,
    /// What it covers (the area, the equipment, the workshop).
    pub scope_text: String,
    pub basis: String,
    pub decided_by: i64,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
