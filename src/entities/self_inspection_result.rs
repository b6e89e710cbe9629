//! One pinned checklist item of a self-inspection task and its outcome.
use crate::checklist::Severity;
use crate::inspection::domain::Outcome;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "self_inspection_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub task_id: i64,
    /// Order in the checklist.
    pub position: i32,
    pub code: String,
    /// The checklist version (content hash) the item was pinned from.
    pub checklist_hash: String,
    pub section: String,
    pub text: String,
    /// 判定依据.
    pub basis: String,
    pub severity: Severity,
    pub verified: bool,
    pub outcome: Outcome,
    pub note: Option<String>,
    /// JSON array of attachment ids (photos of a 不符合 item), claimed by its hazard at completion.
    pub attachment_ids: Option<String>,
    /// The self-found hazard a 不符合 item became.
    pub hazard_id: Option<i64>,
    pub updated_by: Option<i64>,
    pub updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
