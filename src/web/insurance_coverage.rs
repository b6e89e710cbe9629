//! The coverage section of `/insurance`: the figures of `insurance::coverage` by
//! sector and by region, each rate as an SVG bar against the 100 % target (no
//! script; the CSP allows no inline styles, so widths are SVG attributes).

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::insurance::coverage::{self, InsuranceCoverageRow};
use crate::state::AppState;
use chrono::NaiveDate;

/// A line as shown.
pub struct Bar {
    pub name: String,
    pub mandatory: i64,
    pub covered: i64,
    pub rate: String,
    /// 0–100, the bar's width in the 100-wide SVG.
    pub width: u32,
    /// `bar-ok` at the target, else `bar-short`.
    pub class: &'static str,
}

/// One table: by sector or by region.
pub struct Table {
    pub title: &'static str,
    pub head: &'static str,
    pub bars: Vec<Bar>,
}

pub struct CoverageView {
    pub region: String,
    pub target: u32,
    pub total: Bar,
    pub tables: Vec<Table>,
}

fn bar(r: InsuranceCoverageRow, target: u32) -> Bar {
    let p = r.rate_percent.unwrap_or(0.0).clamp(0.0, 100.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to 0–100
    let width = p.round() as u32;
    Bar {
        name: r.name,
        mandatory: r.mandatory,
        covered: r.covered,
        rate: r.rate_percent.map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%")),
        width,
        class: if r.rate_percent.is_some_and(|p| p >= f64::from(target)) { "bar-ok" } else { "bar-short" },
    }
}

/// The section for a bureau user.
pub async fn view(state: &AppState, user: &CurrentUser, region: &str, today: NaiveDate) -> AppResult<CoverageView> {
    let region = region.trim();
    let f = coverage::figures_cached(state, user, Some(region), today).await?.as_ref().clone();
    let target = f.target_percent;
    Ok(CoverageView {
        region: region.to_owned(),
        target,
        total: bar(f.total, target),
        tables: vec![
            Table {
                title: "按行业领域",
                head: "行业领域",
                bars: f.by_sector.into_iter().map(|r| bar(r, target)).collect(),
            },
            Table {
                title: "按行政区划",
                head: "行政区划",
                bars: f.by_region.into_iter().map(|r| bar(r, target)).collect(),
            },
        ],
    })
}
