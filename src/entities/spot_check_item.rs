//! A bureau's own random spot-check item (抽查事项清单); see `crate::draw::spot_items`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "spot_check_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bureau_id: i64,
    /// 抽查主体.
    pub subject: String,
    /// 抽查对象 (sectors, as text).
    pub object: String,
    /// 抽查事项.
    pub matter: String,
    /// 依据.
    pub basis: String,
    /// 抽查内容.
    pub content: String,
    /// 抽查方式 (现场检查、书面检查…).
    pub method: String,
    /// 抽查比例和频次.
    pub frequency: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub withdrawn_by: Option<i64>,
    pub withdraw_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
