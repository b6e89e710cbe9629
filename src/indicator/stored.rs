//! Reading the stored figures: sums over a region's subtree (optionally some
//! sectors), by indicator and month, or by the region's children — never a scan of
//! the records themselves.

use crate::auth::{CurrentUser, Scope};
use crate::enterprise::domain::RegionCode;
use crate::entities::{indicator_run, indicator_value as v};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::fmt::Write;

/// One sum of stored figures.
#[derive(Debug, Clone)]
pub struct Sum {
    pub code: String,
    pub month: i32,
    /// Set when summed by region.
    pub region_code: Option<String>,
    pub numerator: i64,
    pub denominator: i64,
}

/// The sectors a user's figures are limited to (`None`: all, records without a sector included).
pub fn sectors_of(user: &CurrentUser) -> Option<Vec<String>> {
    match &user.scope {
        Scope::Bureaus { sectors, .. } => sectors.clone(),
        Scope::Enterprises(_) => Some(Vec::new()),
    }
}

/// Sums for `year` within `region`: by code and month (`code` None), or for one code by
/// month and stored region (`code` Some, `by_region`).
pub async fn sums<C: ConnectionTrait>(
    db: &C,
    year: i32,
    region: &RegionCode,
    sectors: Option<&[String]>,
    code: Option<&str>,
    by_region: bool,
) -> AppResult<Vec<Sum>> {
    let (low, high) = region.bounds();
    let mut cond = Condition::all().add(v::Column::Year.eq(year)).add(v::Column::RegionCode.between(low, high));
    if let Some(s) = sectors {
        cond = cond.add(v::Column::Sector.is_in(s.iter().cloned()));
    }
    if let Some(c) = code {
        cond = cond.add(v::Column::Code.eq(c));
    }
    let mut q = v::Entity::find()
        .select_only()
        .column(v::Column::Code)
        .column(v::Column::Month)
        .column_as(Expr::cust("CAST(SUM(numerator) AS BIGINT)"), "n")
        .column_as(Expr::cust("CAST(SUM(denominator) AS BIGINT)"), "d")
        .filter(cond)
        .group_by(v::Column::Code)
        .group_by(v::Column::Month);
    if by_region {
        let rows: Vec<(String, i32, i64, i64, String)> =
            q.column(v::Column::RegionCode).group_by(v::Column::RegionCode).into_tuple().all(db).await?;
        return Ok(rows
            .into_iter()
            .map(|(code, month, numerator, denominator, r)| Sum {
                code,
                month,
                region_code: Some(r),
                numerator,
                denominator,
            })
            .collect());
    }
    q = q.order_by_asc(v::Column::Month);
    let rows: Vec<(String, i32, i64, i64)> = q.into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(code, month, numerator, denominator)| Sum { code, month, region_code: None, numerator, denominator })
        .collect())
}

/// When the figures of `region` for `year` were last computed: the latest run of
/// everything, of the region, or of a region containing it.
pub async fn as_of<C: ConnectionTrait>(db: &C, year: i32, region: &RegionCode) -> AppResult<Option<DateTime<Utc>>> {
    let mut covering = vec![String::new()];
    let mut at = Some(region.clone());
    while let Some(r) = at {
        covering.push(r.as_str().to_owned());
        at = crate::bureau::regions::parent(&r);
    }
    let run = indicator_run::Entity::find()
        .filter(indicator_run::Column::Year.eq(year))
        .filter(indicator_run::Column::Region.is_in(covering))
        .order_by_desc(indicator_run::Column::StartedAt)
        .one(db)
        .await?;
    Ok(run.map(|r| r.started_at))
}

/// What the cockpit's figures depend on besides the day: the latest computation and
/// what was entered (denominators, baselines, targets) — cheap reads of small tables.
pub async fn version<C: ConnectionTrait>(db: &C) -> AppResult<String> {
    use crate::entities::{indicator_baseline as b, indicator_denominator as d, indicator_target as t};
    let run: Option<i64> = indicator_run::Entity::find()
        .select_only()
        .column_as(indicator_run::Column::Id.max(), "m")
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let mut out = format!("{}", run.unwrap_or(0));
    for (n, at) in [
        (d::Entity::find().count(db).await?, max_at::<C, d::Entity>(db, d::Column::UpdatedAt).await?),
        (b::Entity::find().count(db).await?, max_at::<C, b::Entity>(db, b::Column::UpdatedAt).await?),
        (t::Entity::find().count(db).await?, max_at::<C, t::Entity>(db, t::Column::UpdatedAt).await?),
    ] {
        let _ = write!(out, "|{n}:{}", at.map(|a| a.to_rfc3339()).unwrap_or_default());
    }
    Ok(out)
}

async fn max_at<C: ConnectionTrait, E: EntityTrait>(db: &C, col: E::Column) -> AppResult<Option<DateTime<Utc>>> {
    Ok(E::find().select_only().column_as(col.max(), "m").into_tuple::<Option<DateTime<Utc>>>().one(db).await?.flatten())
}
