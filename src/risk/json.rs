//! Request and response types of the risk-point API.

use super::domain::{DirectRed, Method, OwningLevel, RiskLevel};
use crate::entities::risk_point;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A risk point as the enterprise (or a regulator) records it. LEC needs `l`, `e` and
/// `c` from the LEC tables (`GET /api/v1/risk-rules`); LS needs `l` and `s`, whole
/// numbers 1–5.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RiskPointBody {
    #[schema(max_length = 200)]
    pub name: String,
    #[schema(max_length = 500)]
    pub location: String,
    /// 危险有害因素.
    #[schema(max_length = 5000)]
    pub hazard_factors: String,
    pub method: Method,
    pub l: f64,
    pub e: Option<f64>,
    pub c: Option<f64>,
    pub s: Option<f64>,
    /// 管控措施.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub control_measures: String,
    /// 应急处置措施.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub emergency_measures: String,
    pub owning_level: OwningLevel,
    /// 责任人.
    #[schema(max_length = 100)]
    pub responsible_person: String,
    /// 重大危险源 grade 1–4, if the point is one (一级 and 二级 make it red).
    #[schema(minimum = 1, maximum = 4)]
    pub installation_grade: Option<i16>,
    /// People at once in a toxic or explosive place, if it is one (10 or more make it red);
    /// 0 to 100,000.
    #[schema(minimum = 0, maximum = 100_000)]
    pub people_exposed: Option<i32>,
    /// A fatal accident happened here and the conditions are unchanged (makes it red).
    #[serde(default)]
    pub fatal_accident_unchanged: bool,
    /// The next review (复核) date; a year from today when not given.
    pub review_due: Option<NaiveDate>,
    /// Codes of the national checklist items (`checklists/`) the point concerns; at most 20.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub checklist_items: Vec<String>,
}

/// A checklist item a point is linked to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChecklistItemRef {
    pub code: String,
    pub text: String,
}

/// A hazard recorded at a point.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PointHazard {
    pub id: i64,
    pub title: String,
    pub level: crate::hazard::domain::Level,
    pub status: crate::hazard::domain::Status,
    pub status_label: String,
    pub is_open: bool,
}

/// A direct-red condition that held, with its wording.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DirectRedView {
    pub code: DirectRed,
    pub label: String,
}

/// A graded risk point.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskPointResponse {
    pub id: i64,
    pub enterprise_id: i64,
    pub name: String,
    pub location: String,
    pub hazard_factors: String,
    pub method: Method,
    pub l: f64,
    pub e: Option<f64>,
    pub c: Option<f64>,
    pub s: Option<f64>,
    /// D (LEC) or R (LS).
    pub score: f64,
    /// The level of the score alone.
    pub scored_level: RiskLevel,
    /// The level that applies: red when a direct-red condition holds — one of the
    /// point's facts, or an open major hazard recorded at it (while it is open).
    pub level: RiskLevel,
    /// 重大风险（红） …, for display.
    pub level_label: String,
    pub direct_red: Vec<DirectRedView>,
    /// The rule set it was graded under.
    pub rules_version: String,
    pub control_measures: String,
    pub emergency_measures: String,
    pub owning_level: OwningLevel,
    pub responsible_person: String,
    pub installation_grade: Option<i16>,
    pub people_exposed: Option<i32>,
    pub fatal_accident_unchanged: bool,
    pub review_due: NaiveDate,
    pub checklist_items: Vec<ChecklistItemRef>,
    /// Open hazards recorded at the point.
    pub open_hazards: u64,
    /// The hazards recorded at the point: all of them (at most 50) when one point is
    /// read, the first five open ones in a list.
    pub hazards: Vec<PointHazard>,
    /// Place on the site plan as fractions 0–1 of its width and height; empty until placed.
    pub plan_x: Option<f64>,
    pub plan_y: Option<f64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<risk_point::Model> for RiskPointResponse {
    fn from(p: risk_point::Model) -> Self {
        let direct_red = p
            .direct_red
            .split(',')
            .filter_map(|c| c.parse::<DirectRed>().ok())
            .map(|code| DirectRedView { code, label: code.zh().to_owned() })
            .collect();
        Self {
            id: p.id,
            enterprise_id: p.enterprise_id,
            name: p.name,
            location: p.location,
            hazard_factors: p.hazard_factors,
            method: p.method,
            l: p.l,
            e: p.e,
            c: p.c,
            s: p.s,
            score: p.score,
            scored_level: p.scored_level,
            level: p.level,
            level_label: p.level.zh().to_owned(),
            direct_red,
            rules_version: p.rules_version,
            control_measures: p.control_measures,
            emergency_measures: p.emergency_measures,
            owning_level: p.owning_level,
            responsible_person: p.responsible_person,
            installation_grade: p.installation_grade,
            people_exposed: p.people_exposed,
            fatal_accident_unchanged: p.fatal_accident_unchanged,
            review_due: p.review_due,
            checklist_items: super::links::items(&p.checklist_items),
            open_hazards: 0,
            hazards: Vec::new(),
            plan_x: p.plan_x,
            plan_y: p.plan_y,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// Points per level.
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct LevelCounts {
    pub red: u64,
    pub orange: u64,
    pub yellow: u64,
    pub blue: u64,
}

/// An enterprise's risk points, red first, with the counts per level.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskPointList {
    pub items: Vec<RiskPointResponse>,
    pub total: u64,
    pub counts: LevelCounts,
}
