//! A risk point (风险点) of an enterprise, graded by LEC or LS (`crate::risk`).
use crate::risk::domain::{Method, OwningLevel, RiskLevel};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "risk_points")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub name: String,
    pub location: String,
    /// 危险有害因素.
    pub hazard_factors: String,
    pub method: Method,
    /// L of LEC or of LS.
    pub l: f64,
    pub e: Option<f64>,
    pub c: Option<f64>,
    pub s: Option<f64>,
    /// D (LEC) or R (LS).
    pub score: f64,
    /// The level of the score alone.
    pub scored_level: RiskLevel,
    /// The level that applies (red when a direct-red condition held).
    pub level: RiskLevel,
    /// Codes of the direct-red conditions that held, comma-separated.
    pub direct_red: String,
    pub rules_version: String,
    pub control_measures: String,
    pub emergency_measures: String,
    pub owning_level: OwningLevel,
    pub responsible_person: String,
    /// 重大危险源 grade 1–4, if the point is one.
    pub installation_grade: Option<i16>,
    /// People at once in a toxic or explosive place, if it is one.
    pub people_exposed: Option<i32>,
    pub fatal_accident_unchanged: bool,
    pub review_due: Date,
    /// Comma-separated codes of national checklist items (`checklists/`) the point is linked to.
    pub checklist_items: String,
    /// Place on the enterprise's site plan, as fractions 0–1 of its width and height.
    pub plan_x: Option<f64>,
    pub plan_y: Option<f64>,
    /// The unguessable key of the public notice board (告知牌) printed as a QR code.
    pub board_token: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
