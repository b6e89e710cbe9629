//! One self-inspection task (排查任务); see `crate::self_inspection`.
use crate::enterprise::domain::Sector;
use crate::self_inspection::domain::{Kind, TaskStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "self_inspection_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The plan it was generated from; `None` for an ad hoc task.
    pub plan_id: Option<i64>,
    pub enterprise_id: i64,
    pub bureau_id: i64,
    pub sector: Sector,
    pub kind: Kind,
    pub title: String,
    /// The plan's period (`2026-11`, `2026-W47`, …); unique per plan.
    pub period: Option<String>,
    pub assignee_id: i64,
    pub due_on: Date,
    pub status: TaskStatus,
    /// JSON array of the pinned checklist versions: `[{"checklist_id", "version", "hash"}]`.
    pub checklists: String,
    /// 不符合 items at completion.
    pub findings: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub completed_by: Option<i64>,
    pub completed_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
