//! Imported holiday override (节假日与调休): a date that is off (`off`, 休) or
//! working (`work`, 班) against the weekly rule; wins over the shipped table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "holidays")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    /// `off` or `work` (see `crate::calendar::DayKind`).
    pub kind: String,
    pub name: Option<String>,
    pub imported_at: DateTimeUtc,
    /// The importing user; `None` for the operator's CLI.
    pub imported_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
