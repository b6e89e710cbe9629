//! A signature on an inspection's 现场检查记录, or the unit's 负责人's refusal to sign.
use crate::inspection::record::domain::SignerKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_signatures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub signer_kind: SignerKind,
    /// The inspector's account (none for the enterprise's 负责人).
    pub user_id: Option<i64>,
    pub name: String,
    pub certificate_no: Option<String>,
    /// The signature image (an attachment of the inspection).
    pub attachment_id: Option<i64>,
    pub refused: bool,
    pub witness: Option<String>,
    pub reason: Option<String>,
    pub signed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
