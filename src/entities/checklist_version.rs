//! A version of a checklist (检查表版本): national (`bureau_id` NULL) or a
//! bureau's own; never deleted (records pin `content_hash`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "checklist_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The checklist's `id` (stable across its versions).
    pub checklist_id: String,
    /// The authoring bureau; `None` for a national checklist.
    pub bureau_id: Option<i64>,
    /// 1, 2, … per checklist and owner.
    pub seq: i32,
    /// The header's `version` label.
    pub version: String,
    pub title: String,
    #[sea_orm(unique)]
    pub content_hash: String,
    /// The canonical JSON of the `Checklist`.
    pub body: String,
    pub item_count: i32,
    pub unverified_count: i32,
    /// Current, superseded by a later version, or retired by its bureau.
    pub status: crate::checklist::VersionStatus,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
