//! An inspection (执法检查) of one enterprise by a team; see `crate::inspection::domain`.
use crate::inspection::domain::{Kind, Status};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The bureau that carries it out (the team's), whose documents it issues.
    pub bureau_id: i64,
    pub enterprise_id: i64,
    pub kind: Kind,
    pub status: Status,
    pub planned_date: Date,
    /// 现场检查方案.
    pub plan_text: String,
    /// JSON array of the pinned checklist versions: `[{"checklist_id", "version", "hash"}]`.
    pub checklists: String,
    /// The inspection a re-inspection (复查) follows up.
    pub parent_id: Option<i64>,
    /// The double-random draw that chose it, if any.
    pub draw_id: Option<i64>,
    /// Whether it counts against the enterprise's yearly cap (by kind, at creation).
    pub counts_against_cap: bool,
    /// Whether it exceeded the cap when created, so needs the second approval.
    pub over_cap: bool,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTimeUtc>,
    pub cap_approved_by: Option<i64>,
    pub cap_approved_at: Option<DateTimeUtc>,
    pub cap_reason: Option<String>,
    pub rejected_reason: Option<String>,
    pub started_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// "position unavailable" and the like, when there is no fix.
    pub position_note: Option<String>,
    /// The enterprise's people present (names and posts), free text.
    pub people_present: Option<String>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
