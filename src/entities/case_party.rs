//! A party (当事人) of a penalty case: a unit, or a person (its 主要负责人 or another
//! responsible person).
use crate::case::domain::{PartyKind, PartyRole};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_parties")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    /// Order in the case, from 0; violations name their party by it.
    pub position: i32,
    pub kind: PartyKind,
    pub enterprise_id: Option<i64>,
    pub name: String,
    /// A person's identity number: printed on the party's own documents, never published.
    pub id_number: Option<String>,
    pub role: PartyRole,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
