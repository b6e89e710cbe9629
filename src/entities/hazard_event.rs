//! One step of a hazard's timeline (处理过程).
use crate::hazard::domain::Status;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub hazard_id: i64,
    pub action: String,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub actor_id: Option<i64>,
    pub at: DateTimeUtc,
    pub note: Option<String>,
    /// The action's details (JSON), e.g. the 交办 or the extension asked for.
    pub data: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
