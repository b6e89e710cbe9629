//! An enterprise's stored credit score, for lists and filters; always equal to the
//! score recomputed from its events, `rule_version` and `as_of` (`anjian credit
//! recompute --check`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_scores")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub enterprise_id: i64,
    /// Hundredths of a point.
    pub score_centi: i64,
    pub class_code: String,
    pub rule_version: String,
    pub as_of: Date,
    pub events: i32,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
