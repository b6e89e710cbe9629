//! The cockpit's response shapes (`GET /api/v1/indicators`, `/{code}`, `/{code}/records`).

use super::assess::IndicatorStatus;
use super::rules::{Direction, Unit};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `?region=&year=`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct IndicatorQuery {
    /// A region code (6 digits) the caller's bureau covers; its own region when absent.
    pub region: Option<String>,
    /// The year; this year when absent.
    pub year: Option<i32>,
}

/// The target a figure is judged against.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetView {
    /// The target in the indicator's unit; `None` for a change without the baseline.
    pub value: Option<f64>,
    pub change_percent: Option<f64>,
    pub base_year: Option<i32>,
    pub plan: String,
    pub year: i32,
    pub line: String,
    pub binding: bool,
    pub verified: bool,
    /// The region the target was set for, when it is an ancestor of the one shown.
    pub inherited_from: Option<String>,
}

/// One indicator's figure for a region and year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorItem {
    #[schema(value_type = crate::indicator::rules::IndicatorCode)]
    pub code: String,
    pub name: String,
    pub unit: Unit,
    pub direction: Direction,
    /// The year to this month (0: nothing computed).
    pub month: u32,
    pub value: Option<f64>,
    pub numerator: i64,
    /// Records counted below the line; GDP (亿元) or workers (十万人) for the rates per
    /// them; `None` for counts.
    pub denominator: Option<f64>,
    pub target: Option<TargetView>,
    /// The region's baseline the target changes from.
    pub baseline: Option<f64>,
    pub status: IndicatorStatus,
    /// The records it is computed from, in Chinese.
    pub source: String,
    /// What is counted, in Chinese.
    pub counts: String,
    /// The list behind the numerator.
    pub records_href: String,
}

/// `GET /api/v1/indicators`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorsResponse {
    pub region: String,
    pub region_name: String,
    pub year: i32,
    /// When the figures were computed; `None`: not yet.
    pub as_of: Option<DateTime<Utc>>,
    pub items: Vec<IndicatorItem>,
}

/// One month of the year's series.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthFigure {
    pub month: u32,
    pub value: Option<f64>,
    pub numerator: i64,
    pub denominator: Option<f64>,
}

/// One region below the one shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegionFigure {
    pub region_code: String,
    pub name: String,
    pub value: Option<f64>,
    pub numerator: i64,
    pub denominator: Option<f64>,
    pub target: Option<f64>,
    pub status: IndicatorStatus,
}

/// `GET /api/v1/indicators/{code}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorDetail {
    pub region: String,
    pub region_name: String,
    pub year: i32,
    pub as_of: Option<DateTime<Utc>>,
    pub item: IndicatorItem,
    pub months: Vec<MonthFigure>,
    pub regions: Vec<RegionFigure>,
}

/// One record behind a figure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordView {
    pub label: String,
    pub detail: String,
    pub region_code: String,
    /// Counted in the numerator (otherwise only below the line).
    pub counted: bool,
    pub href: String,
}

/// `GET /api/v1/indicators/{code}/records`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordsResponse {
    pub code: String,
    pub region: String,
    pub year: i32,
    /// The day the records are taken as of (today, or the year's last day).
    pub on: NaiveDate,
    pub items: Vec<RecordView>,
    /// How many there are (the list is capped).
    pub total: u64,
}
