//! An enterprise's hazard statistics report for one period (隐患排查治理情况统计,
//! 16号令 art. 14). Figures are counts of the ledger as generated; money in fen.
use crate::statistics::domain::ReportStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard_statistics")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    /// The supervising bureau when the report was generated.
    pub bureau_id: i64,
    /// `2026Q3` or `2026` (see [`crate::statistics::period::Period`]).
    pub period: String,
    /// `quarter` or `year`.
    pub kind: String,
    pub period_start: Date,
    pub period_end: Date,
    pub due_on: Date,
    pub found_general: i64,
    pub found_major: i64,
    pub rectified_general: i64,
    pub rectified_major: i64,
    pub rectifying_general: i64,
    pub rectifying_major: i64,
    pub overdue_general: i64,
    pub overdue_major: i64,
    pub found_rectified: i64,
    pub funds_fen: i64,
    /// JSON: `[{"code","name","found","rectified"}]`.
    pub by_category: String,
    pub analysis: Option<String>,
    pub status: ReportStatus,
    pub generated_at: DateTimeUtc,
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<DateTimeUtc>,
    pub first_submitted_at: Option<DateTimeUtc>,
    /// Whether the first submission came after the due date.
    pub late: Option<bool>,
    pub return_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// 排查次数: self-inspection tasks the enterprise completed in the period.
    pub self_inspections: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
