//! What bureaus enter for the cockpit — denominators (GDP, workers), baselines and
//! their own targets — as the figures read them.

use super::rules::Target;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

/// Everything entered, bureau targets first (they come before the shipped plans').
#[derive(Debug, Clone, Default)]
pub struct Entered {
    /// `(region, year, GDP in 亿元, industrial workers)`.
    pub denominators: Vec<(String, i32, Option<f64>, Option<i64>)>,
    /// `(region, indicator, year, value)`.
    pub baselines: Vec<(String, String, i32, f64)>,
    pub targets: Vec<Target>,
}

impl Entered {
    pub fn gdp(&self, region: &str, year: i32) -> Option<f64> {
        self.denominators.iter().find(|d| d.0 == region && d.1 == year).and_then(|d| d.2)
    }

    pub fn workers(&self, region: &str, year: i32) -> Option<i64> {
        self.denominators.iter().find(|d| d.0 == region && d.1 == year).and_then(|d| d.3)
    }

    pub fn baseline(&self, region: &str, indicator: &str, year: i32) -> Option<f64> {
        self.baselines.iter().find(|b| b.0 == region && b.1 == indicator && b.2 == year).map(|b| b.3)
    }
}

/// Loads what is entered, with the shipped targets after the bureaus'.
pub async fn load<C: ConnectionTrait>(db: &C) -> AppResult<Entered> {
    let i = super::inputs::load(db).await?;
    let mut targets = i.targets;
    targets.extend(super::rules::data()?.targets.iter().cloned());
    Ok(Entered {
        denominators: i
            .denominators
            .into_iter()
            .map(|d| (d.region_code, d.year, d.gdp_100m_yuan, d.industrial_workers))
            .collect(),
        baselines: i.baselines.into_iter().map(|b| (b.region_code, b.indicator, b.year, b.value)).collect(),
        targets,
    })
}
