//! One publication of a drawn task's result on the public site (一公开); see `crate::draw::publish`.
use crate::draw::domain::TaskResult;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "draw_publications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub draw_id: i64,
    pub task_id: i64,
    /// The drawing bureau, named on the public site.
    pub bureau_id: i64,
    pub enterprise_id: i64,
    /// The enterprise's name as published (the register's at publication).
    pub enterprise_name: String,
    pub credit_code: String,
    pub result: TaskResult,
    /// The Beijing date the result was recorded.
    pub result_on: Date,
    /// The Beijing date of publication.
    pub published_on: Date,
    pub published_at: DateTimeUtc,
    pub published_by: i64,
    /// The earlier publication of the same task this one corrects.
    pub supersedes_id: Option<i64>,
    /// The later publication that corrects this one.
    pub superseded_by_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
