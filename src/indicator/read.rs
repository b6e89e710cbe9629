//! The cockpit's figures for a user: the region (the user's bureau's, or one it
//! covers — the figures are territorial, 属地), the year, the stored sums, and each
//! indicator judged against its target ([`super::assess`]).

use super::assess::{self, Status};
use super::entered::Entered;
use super::period::Year;
use super::rules::{self, Indicator, IndicatorCode, Unit};
use super::stored::{self, Sum};
use super::view::{IndicatorDetail, IndicatorItem, IndicatorsResponse, MonthFigure, RegionFigure, TargetView};
use crate::auth::CurrentUser;
use crate::enterprise::domain::RegionCode;
use crate::entities::bureau;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};
use std::collections::BTreeMap;

/// The region and year asked for, checked against the user.
#[derive(Debug, Clone)]
pub struct Asked {
    pub region: RegionCode,
    pub year: i32,
    pub today: NaiveDate,
    pub sectors: Option<Vec<String>>,
}

impl Asked {
    pub fn year(&self) -> Year {
        Year::new(self.year, self.today)
    }
}

/// 403 for anyone but a bureau user; the region must be the bureau's or below it
/// (404 otherwise, as any record outside the scope), the year 2000 to next year.
pub async fn asked<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    region: Option<&str>,
    year: Option<i32>,
    today: NaiveDate,
) -> AppResult<Asked> {
    let Some(own) = user.bureau.as_ref().filter(|_| user.is_bureau_user()) else { return Err(AppError::Forbidden) };
    let own = bureau::Entity::find_by_id(own.id).one(db).await?.ok_or(AppError::NotFound)?;
    let code = region.map(str::trim).filter(|r| !r.is_empty()).unwrap_or(&own.region_code);
    let region = RegionCode::parse(code).map_err(|e| AppError::validation("region", e.to_string()))?;
    if !crate::bureau::covers_region(&own, &region) {
        return Err(AppError::NotFound);
    }
    let year = year.unwrap_or(today.year());
    if !(2000..=today.year() + 1).contains(&year) {
        return Err(AppError::validation("year", format!("年份应在 2000 至 {} 之间", today.year() + 1)));
    }
    Ok(Asked { region, year, today, sectors: stored::sectors_of(user) })
}

pub fn region_name(code: &RegionCode) -> String {
    crate::bureau::regions::name(code.as_str()).map_or_else(|| code.as_str().to_owned(), str::to_owned)
}

/// A figure's numerator and denominator as the indicator reads them.
fn figure(
    ind: &Indicator,
    code: IndicatorCode,
    sums: &BTreeMap<&str, (i64, i64)>,
    region: &str,
    year: i32,
    e: &Entered,
) -> (i64, Option<f64>) {
    use IndicatorCode as I;
    let get = |c: IndicatorCode| sums.get(c.as_str()).copied().unwrap_or((0, 0));
    #[allow(clippy::cast_precision_loss)] // workers far below 2^52
    match code {
        I::DeathsPer100mGdp => (get(I::AccidentDeaths).0, e.gdp(region, year)),
        I::DeathsPer100kWorkers => (get(I::AccidentDeaths).0, e.workers(region, year).map(|w| w as f64 / 100_000.0)),
        _ => {
            let (n, d) = get(code);
            #[allow(clippy::cast_precision_loss)]
            (n, (ind.unit == Unit::Percent).then_some(d as f64))
        }
    }
}

/// The judged item for one region from its sums of one month.
struct Judge<'a> {
    asked: &'a Asked,
    entered: &'a Entered,
    share: f64,
    at_risk: f64,
}

impl Judge<'_> {
    fn item(
        &self,
        ind: &Indicator,
        region: &RegionCode,
        sums: &BTreeMap<&str, (i64, i64)>,
        month: u32,
        computed: bool,
    ) -> IndicatorItem {
        let code = ind.formula;
        let (numerator, denominator) = figure(ind, code, sums, region.as_str(), self.asked.year, self.entered);
        let value = if computed { assess::value(ind.unit, numerator, denominator) } else { None };
        let chosen = assess::choose(&self.entered.targets, ind, region, self.asked.year);
        let baseline = chosen
            .as_ref()
            .and_then(|c| c.target.base_year.and_then(|y| self.entered.baseline(region.as_str(), &ind.code, y)));
        let target = chosen.map(|c| TargetView {
            value: assess::target_value(c.target, baseline),
            change_percent: c.target.change_percent,
            base_year: c.target.base_year,
            plan: c.target.plan.clone(),
            year: c.target.year,
            line: c.target.line.clone(),
            binding: c.target.binding,
            verified: c.target.verified,
            inherited_from: c.inherited_from,
        });
        let status = assess::status(ind, value, target.as_ref().and_then(|t| t.value), self.share, self.at_risk);
        IndicatorItem {
            code: ind.code.clone(),
            name: ind.name.clone(),
            unit: ind.unit,
            direction: ind.direction,
            month,
            value,
            numerator,
            denominator,
            target,
            baseline,
            status,
            source: ind.source.clone(),
            counts: ind.counts.clone(),
            records_href: format!(
                "/api/v1/indicators/{}/records?region={}&year={}",
                ind.code,
                region.as_str(),
                self.asked.year
            ),
        }
    }
}

/// The month the stored figures reach (0: none).
fn last_month(rows: &[Sum]) -> u32 {
    rows.iter().map(|s| u32::try_from(s.month).unwrap_or(0)).max().unwrap_or(0)
}

fn at_month(rows: &[Sum], month: u32) -> BTreeMap<&str, (i64, i64)> {
    let mut out = BTreeMap::new();
    for s in rows.iter().filter(|s| u32::try_from(s.month).ok() == Some(month)) {
        let e = out.entry(s.code.as_str()).or_insert((0, 0));
        e.0 += s.numerator;
        e.1 += s.denominator;
    }
    out
}

async fn context<C: ConnectionTrait>(db: &C, asked: &Asked) -> AppResult<(Entered, Option<DateTime<Utc>>)> {
    Ok((super::entered::load(db).await?, stored::as_of(db, asked.year, &asked.region).await?))
}

fn judge<'a>(asked: &'a Asked, entered: &'a Entered, month: u32) -> AppResult<Judge<'a>> {
    let day = if month == 0 { asked.today } else { asked.year().as_of(month) };
    Ok(Judge {
        asked,
        entered,
        share: assess::year_share(asked.year, day),
        at_risk: rules::data()?.status.at_risk_points,
    })
}

/// Every indicator for the asked region and year.
pub async fn overview<C: ConnectionTrait>(db: &C, asked: &Asked) -> AppResult<IndicatorsResponse> {
    let (entered, as_of) = context(db, asked).await?;
    let rows = stored::sums(db, asked.year, &asked.region, asked.sectors.as_deref(), None, false).await?;
    let month = last_month(&rows);
    let sums = at_month(&rows, month);
    let j = judge(asked, &entered, month)?;
    let items =
        rules::data()?.indicators.iter().map(|ind| j.item(ind, &asked.region, &sums, month, as_of.is_some())).collect();
    Ok(IndicatorsResponse {
        region: asked.region.as_str().to_owned(),
        region_name: region_name(&asked.region),
        year: asked.year,
        as_of,
        items,
    })
}

/// The stored codes an indicator reads (a derived one reads the deaths).
fn stored_code(code: IndicatorCode) -> IndicatorCode {
    match code {
        IndicatorCode::DeathsPer100mGdp | IndicatorCode::DeathsPer100kWorkers => IndicatorCode::AccidentDeaths,
        c => c,
    }
}

/// One indicator: its figure, the year's months and the regions below.
pub async fn detail<C: ConnectionTrait>(db: &C, asked: &Asked, code: &str) -> AppResult<IndicatorDetail> {
    let ind = rules::data()?.indicator(code).ok_or(AppError::NotFound)?;
    let (entered, as_of) = context(db, asked).await?;
    let source = stored_code(ind.formula).as_str();
    let rows = stored::sums(db, asked.year, &asked.region, asked.sectors.as_deref(), Some(source), true).await?;
    let month = last_month(&rows);
    let j = judge(asked, &entered, month)?;
    let item = j.item(ind, &asked.region, &at_month(&rows, month), month, as_of.is_some());
    let months = (1..=month)
        .map(|m| {
            let it = j.item(ind, &asked.region, &at_month(&rows, m), m, as_of.is_some());
            MonthFigure { month: m, value: it.value, numerator: it.numerator, denominator: it.denominator }
        })
        .collect();
    let regions = children(&j, ind, &rows, month, as_of.is_some());
    Ok(IndicatorDetail {
        region: asked.region.as_str().to_owned(),
        region_name: region_name(&asked.region),
        year: asked.year,
        as_of,
        item,
        months,
        regions,
    })
}

/// The region directly below `top` that `code` lies in (`top` itself for its own records).
fn child_of(top: &RegionCode, code: &str) -> Option<RegionCode> {
    let mut cur = RegionCode::parse(code).ok()?;
    if cur.as_str() == top.as_str() {
        return Some(cur);
    }
    for _ in 0..4 {
        let parent = crate::bureau::regions::parent(&cur)?;
        if parent.as_str() == top.as_str() {
            return Some(cur);
        }
        cur = parent;
    }
    None
}

fn children(j: &Judge<'_>, ind: &Indicator, rows: &[Sum], month: u32, computed: bool) -> Vec<RegionFigure> {
    let top = &j.asked.region;
    let mut by_child: BTreeMap<String, Vec<Sum>> = BTreeMap::new();
    for s in rows.iter().filter(|s| u32::try_from(s.month).ok() == Some(month)) {
        if let Some(c) = s.region_code.as_deref().and_then(|r| child_of(top, r)) {
            by_child.entry(c.as_str().to_owned()).or_default().push(s.clone());
        }
    }
    for (code, _) in crate::bureau::regions::within(top) {
        if RegionCode::parse(&code)
            .is_ok_and(|c| crate::bureau::regions::parent(&c).as_ref().map(RegionCode::as_str) == Some(top.as_str()))
        {
            by_child.entry(code).or_default();
        }
    }
    by_child
        .into_iter()
        .filter_map(|(code, sums)| {
            let region = RegionCode::parse(&code).ok()?;
            let it = j.item(ind, &region, &at_month(&sums, month), month, computed);
            let name =
                if code == top.as_str() { format!("{}本级", region_name(&region)) } else { region_name(&region) };
            Some(RegionFigure {
                region_code: code,
                name,
                value: it.value,
                numerator: it.numerator,
                denominator: it.denominator,
                target: it.target.and_then(|t| t.value),
                status: if it.value.is_none() { Status::NoData } else { it.status },
            })
        })
        .collect()
}

fn cache_key(asked: &Asked, code: &str) -> String {
    format!("{}|{}|{:?}|{}|{code}", asked.region.as_str(), asked.year, asked.sectors, asked.today)
}

/// [`overview`], reused while [`stored::version`] is unchanged (a province's figures
/// sum tens of thousands of stored rows; the version is a few index reads).
pub async fn overview_cached(
    state: &crate::state::AppState,
    asked: &Asked,
) -> AppResult<std::sync::Arc<IndicatorsResponse>> {
    let db = state.db.conn();
    let key = cache_key(asked, "");
    let generation = state.indicator_overviews.generation();
    let version = stored::version(db).await?;
    if let Some(hit) = state.indicator_overviews.get(&key, &version) {
        return Ok(hit);
    }
    let fresh = std::sync::Arc::new(overview(db, asked).await?);
    state.indicator_overviews.put(key, version, generation, std::sync::Arc::clone(&fresh));
    Ok(fresh)
}

/// [`detail`], reused the same way.
pub async fn detail_cached(
    state: &crate::state::AppState,
    asked: &Asked,
    code: &str,
) -> AppResult<std::sync::Arc<IndicatorDetail>> {
    let db = state.db.conn();
    let key = cache_key(asked, code);
    let generation = state.indicator_details.generation();
    let version = stored::version(db).await?;
    if let Some(hit) = state.indicator_details.get(&key, &version) {
        return Ok(hit);
    }
    let fresh = std::sync::Arc::new(detail(db, asked, code).await?);
    state.indicator_details.put(key, version, generation, std::sync::Arc::clone(&fresh));
    Ok(fresh)
}
