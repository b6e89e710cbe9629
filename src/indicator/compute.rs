//! Computing and storing the figures (`indicator_values`): the nightly job for the
//! whole database, and on demand for one region (its subtree of regions).
//!
//! Decisions:
//! - A computation replaces the year's stored figures of what it covered (all, or the
//!   region's codes) in the caller's transaction, so a page never reads half a run,
//!   and records its run (`indicator_runs`) for the page's as-of time.
//! - The job computes the current year once a Beijing day; in January it also
//!   recomputes the year just ended, whose December the last run of that year saw
//!   only up to its day.
//! - Derived indicators (deaths per 亿元 GDP, per 100,000 workers) are not stored:
//!   they are the stored deaths over the denominators entered, divided when read.

use super::counts::Within;
use super::period::Year;
use super::sources;
use crate::entities::indicator_run;
use crate::error::AppResult;
use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Value};

const COLUMNS: [&str; 7] = ["year", "month", "code", "region_code", "sector", "numerator", "denominator"];

/// What a computation did.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ComputeReport {
    pub year: i32,
    /// The region computed; empty: every region.
    pub region: String,
    pub rows: u64,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
}

/// Computes `year`'s figures as of `now` (within a region, or all) and replaces the stored ones.
pub async fn run<C: ConnectionTrait>(
    db: &C,
    within: &Within,
    year: i32,
    now: DateTime<Utc>,
) -> AppResult<ComputeReport> {
    let clock = std::time::Instant::now();
    let y = Year::new(year, crate::clock::china_date(now));
    let figures = sources::all(db, within, &y).await?;
    let mut delete = crate::entities::indicator_value::Entity::delete_many()
        .filter(crate::entities::indicator_value::Column::Year.eq(year));
    if let Some((low, high)) = within.bounds() {
        delete = delete.filter(crate::entities::indicator_value::Column::RegionCode.between(low, high));
    }
    delete.exec(db).await?;
    let mut values: Vec<Value> = Vec::with_capacity(figures.len() * COLUMNS.len());
    for (code, f) in &figures {
        values.extend([
            year.into(),
            i32::try_from(f.month).unwrap_or(0).into(),
            code.as_str().into(),
            f.count.region_code.clone().into(),
            f.count.sector.map_or("", |s| s.as_str()).into(),
            f.count.numerator.into(),
            f.count.denominator.into(),
        ]);
    }
    crate::db::bulk::insert(db, "indicator_values", &COLUMNS, values, &[]).await?;
    let region = within.region.as_ref().map(|r| r.as_str().to_owned()).unwrap_or_default();
    let rows = figures.len() as u64;
    let finished_at = now + chrono::Duration::from_std(clock.elapsed()).unwrap_or_default();
    indicator_run::Entity::insert(indicator_run::ActiveModel {
        year: Set(year),
        region: Set(region.clone()),
        rows: Set(i64::try_from(rows).unwrap_or(i64::MAX)),
        started_at: Set(now),
        finished_at: Set(finished_at),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(ComputeReport { year, region, rows, started_at: now, finished_at })
}

/// The nightly computation: the current year once a day (and the last year in January).
pub async fn run_daily<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> AppResult<Vec<ComputeReport>> {
    let today = crate::clock::china_date(now);
    let done = indicator_run::Entity::find()
        .filter(indicator_run::Column::Year.eq(today.year()))
        .filter(indicator_run::Column::Region.eq(""))
        .filter(indicator_run::Column::StartedAt.gte(crate::clock::china_day_start(today)))
        .one(db)
        .await?;
    if done.is_some() {
        return Ok(Vec::new());
    }
    let mut years = vec![today.year()];
    if today.month() == 1 {
        years.insert(0, today.year() - 1);
    }
    let mut out = Vec::new();
    for year in years {
        out.push(run(db, &Within::default(), year, now).await?);
    }
    Ok(out)
}
