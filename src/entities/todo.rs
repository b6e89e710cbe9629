//! To-do item (待办).
use crate::auth::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "todos")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: Option<i64>,
    pub bureau_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub role: Option<Role>,
    pub kind: String,
    pub title: String,
    pub link: String,
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub created_at: DateTimeUtc,
    pub done_at: Option<DateTimeUtc>,
    /// The Beijing date the step it asks for is due, if it has one.
    pub due_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
