//! One drawn enterprise of a draw, its team and its published result; see `crate::draw`.
use crate::draw::domain::TaskResult;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "draw_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub draw_id: i64,
    /// Position in the draw's result (0-based), unique per draw.
    pub seq: i32,
    pub enterprise_id: i64,
    pub credit_code: String,
    /// JSON array of the team's certificate numbers in pick order (`[]`: unstaffed).
    pub certificate_nos: String,
    /// JSON array of the team's user ids in pick order.
    pub inspector_ids: String,
    /// The `double_random` inspection made for it (`None` when unstaffed).
    pub inspection_id: Option<i64>,
    pub result: Option<TaskResult>,
    pub result_note: Option<String>,
    pub result_by: Option<i64>,
    pub result_at: Option<DateTimeUtc>,
    /// When the result was published on the public site (一公开).
    pub published_at: Option<DateTimeUtc>,
    pub published_by: Option<i64>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
