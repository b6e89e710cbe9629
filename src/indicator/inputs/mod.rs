//! The indicator cockpit's inputs (指标基数与目标), entered by regulators for the
//! regions their bureau covers: a region's denominators per year (地区生产总值 in
//! 亿元, 工矿商贸就业人员), its baselines per indicator and year (e.g. 2020 deaths,
//! what a change target is measured against), and the bureau's own targets beside
//! the plans' shipped ones (`data/indicators.toml`). Entered through the API, the
//! page `/indicators/inputs` ([`crate::web`]) or two workbooks ([`import`]); read
//! by the cockpit through [`load`].
//!
//! Decisions (where the issue was silent):
//! - One entry per key — denominators per (region, year), baselines per (region,
//!   indicator, year), bureau targets per (region, indicator, year) — whoever of
//!   the bureaus covering the region entered it; entering it again updates it (the
//!   change log keeps the old and the new row's digests), and entering exactly
//!   the same again writes nothing. The row records the bureau and user that
//!   entered it last.
//! - A region outside the caller's territory is the field error of an unknown
//!   region (422) in a body or a workbook row, and 404 as a list filter or for a
//!   target's withdrawal.
//! - Figures are stored as floating-point numbers (double precision), like the
//!   other measures of the product; a GDP to 0.01 亿元 is well within it.
//! - A denominators entry needs at least one of the two figures; each entry needs
//!   a source note (the issue's “来源”), and a target its plan and line.
//! - A withdrawn target is kept, marked deleted (`deleted_at`), so the change log
//!   still matches every row; entering the same key again revives it.
//! - Bureau users read (any bureau role); only regulators enter.
//! - Bureau targets reach the cockpit as `rules::Target` with `verified = true`:
//!   the bureau's own figure, not an interpretation of a plan's text.

pub mod checks;
pub mod demo;
mod handlers;
pub mod import;
pub mod json;
pub mod list;
pub mod service;

use crate::entities::{indicator_baseline as baseline, indicator_denominator as denom, indicator_target as target};
use crate::error::AppResult;
use crate::indicator::rules::Target;
use crate::routes::{ApiRoutes, RouteExt, routes};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The most rows of each table [`load`] reads.
pub const CAP: u64 = 100_000;

/// A region's denominators for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Denominator {
    pub region_code: String,
    pub year: i32,
    pub gdp_100m_yuan: Option<f64>,
    pub industrial_workers: Option<i64>,
}

/// A region's baseline of one indicator for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub region_code: String,
    pub indicator: String,
    pub year: i32,
    pub value: f64,
}

/// Everything entered (small tables: regions × years), capped at `100_000` rows each.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub denominators: Vec<Denominator>,
    pub baselines: Vec<Baseline>,
    pub targets: Vec<Target>,
}

/// Everything entered: the denominators, the baselines and the live bureau targets
/// (as `rules::Target`, `verified = true`, `plan` the plan name entered), by region and year.
pub async fn load<C: ConnectionTrait>(db: &C) -> AppResult<Inputs> {
    let denominators = denom::Entity::find()
        .order_by_asc(denom::Column::RegionCode)
        .order_by_asc(denom::Column::Year)
        .limit(CAP)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Denominator {
            region_code: m.region_code,
            year: m.year,
            gdp_100m_yuan: m.gdp_100m_yuan,
            industrial_workers: m.industrial_workers,
        })
        .collect();
    let baselines = baseline::Entity::find()
        .order_by_asc(baseline::Column::RegionCode)
        .order_by_asc(baseline::Column::Indicator)
        .order_by_asc(baseline::Column::Year)
        .limit(CAP)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Baseline { region_code: m.region_code, indicator: m.indicator, year: m.year, value: m.value })
        .collect();
    let targets = target::Entity::find()
        .filter(target::Column::DeletedAt.is_null())
        .order_by_asc(target::Column::RegionCode)
        .order_by_asc(target::Column::Indicator)
        .order_by_asc(target::Column::Year)
        .limit(CAP)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Target {
            indicator: m.indicator,
            region: m.region_code,
            plan: m.plan,
            year: m.year,
            value: m.value,
            change_percent: m.change_percent,
            base_year: m.base_year,
            line: m.line,
            binding: m.binding,
            verified: true,
        })
        .collect();
    Ok(Inputs { denominators, baselines, targets })
}

pub fn routes() -> ApiRoutes {
    let upload = || crate::upload::limit(crate::upload::LEDGER);
    ApiRoutes::new()
        .routes(routes!(handlers::list_indicator_denominators, handlers::save_indicator_denominator))
        .routes(routes!(import::http::import_indicator_denominators).layer(upload()))
        .routes(routes!(handlers::list_indicator_baselines, handlers::save_indicator_baseline))
        .routes(routes!(handlers::list_indicator_targets, handlers::save_indicator_target))
        .routes(routes!(handlers::delete_indicator_target))
        .routes(routes!(import::http::import_indicator_targets).layer(upload()))
}
