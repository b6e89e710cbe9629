//! Request and response types of the inputs API (English field names; the
//! pages and the workbooks show them in Chinese).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A region's denominators for one year; entering them again updates them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
pub struct DenominatorInput {
    /// The region's code (6 digits), the bureau's own or below.
    #[schema(max_length = 6)]
    pub region_code: String,
    pub year: i32,
    /// 地区生产总值, 亿元 (> 0).
    pub gdp_100m_yuan: Option<f64>,
    /// 工矿商贸就业人员, persons (> 0).
    pub industrial_workers: Option<i64>,
    /// Where the figures come from (统计公报, 年鉴 …).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub source: String,
}

/// A region's baseline of one indicator for one year (e.g. 2020 deaths); entering it again updates it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
pub struct BaselineInput {
    #[schema(max_length = 6)]
    pub region_code: String,
    /// An indicator code (`GET /api/v1/indicators` lists them; `data/indicators.toml`).
    #[schema(value_type = crate::indicator::rules::IndicatorCode)]
    pub indicator: String,
    pub year: i32,
    /// In the indicator's unit, ≥ 0.
    pub value: f64,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub source: String,
}

/// A bureau's own target for a region it covers: either `value`, or `change_percent`
/// with an earlier `base_year` (as the shipped targets). Entering the same region,
/// indicator and year again updates it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
pub struct TargetInput {
    #[schema(max_length = 6)]
    pub region_code: String,
    #[schema(value_type = crate::indicator::rules::IndicatorCode)]
    pub indicator: String,
    /// The year the target is for.
    pub year: i32,
    /// The plan's name (e.g. 江汉区应急体系建设“十四五”规划).
    #[schema(max_length = 200)]
    pub plan: String,
    /// An absolute target in the indicator's unit.
    pub value: Option<f64>,
    /// A change against the region's baseline of `base_year`, percent (negative: a fall).
    pub change_percent: Option<f64>,
    pub base_year: Option<i32>,
    /// Where in the plan (page, table row) or the document it comes from.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub line: String,
    /// 约束性 (binding) rather than 预期性.
    #[serde(default)]
    pub binding: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DenominatorResponse {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub year: i32,
    pub gdp_100m_yuan: Option<f64>,
    pub industrial_workers: Option<i64>,
    pub source: String,
    /// The bureau that entered it last.
    pub bureau_id: i64,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BaselineResponse {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub indicator: String,
    pub indicator_name: String,
    pub year: i32,
    pub value: f64,
    pub source: String,
    pub bureau_id: i64,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetResponse {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub indicator: String,
    pub indicator_name: String,
    pub year: i32,
    pub plan: String,
    pub value: Option<f64>,
    pub change_percent: Option<f64>,
    pub base_year: Option<i32>,
    pub line: String,
    pub binding: bool,
    pub bureau_id: i64,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// What a save did: `created` false when an entry was updated (or already so).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Saved<T> {
    pub created: bool,
    /// False when the entry was already exactly so (nothing written).
    pub changed: bool,
    pub item: T,
}

/// Which entries to list: a region the caller's bureau covers (default: all it covers) and a year.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct InputsFilter {
    /// A region code (6 digits); only that region.
    pub region: Option<String>,
    pub year: Option<i32>,
}
