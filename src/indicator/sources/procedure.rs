//! Figures over the procedures with a legal deadline: draw results published in
//! time (一公开), penalty decisions published in time (安全生产法 art. 78), and cases
//! decided within the time limit of 立案 (行政处罚法 art. 60).
//!
//! Each record enters the day its deadline passes or the day it is done, whichever
//! comes first, and is done if that was on time — so a result still within its
//! deadline counts nowhere yet. Deadlines are the modules' own (`draw::publish`,
//! `case::publication`, working days over the holiday calendar). A record is placed
//! in its enterprise's region, or its bureau's when there is no enterprise.

use super::ledger::group;
use super::{Within, Year};
use crate::clock::china_date;
use crate::entities::{bureau, case, draw, draw_task, enterprise};
use crate::error::AppResult;
use crate::indicator::flow::Flow;
use chrono::{Days, NaiveDate};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// Regions (and sectors) of the enterprises and bureaus records name.
#[derive(Default)]
struct Places {
    enterprises: HashMap<i64, (String, String)>,
    bureaus: HashMap<i64, String>,
}

impl Places {
    async fn load<C: ConnectionTrait>(db: &C, enterprise_ids: Vec<i64>, bureau_ids: Vec<i64>) -> AppResult<Self> {
        let mut p = Self::default();
        for chunk in dedup(enterprise_ids).chunks(500) {
            let rows: Vec<(i64, String, String)> = enterprise::Entity::find()
                .select_only()
                .column(enterprise::Column::Id)
                .column(enterprise::Column::RegionCode)
                .column(enterprise::Column::Sector)
                .filter(enterprise::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(db)
                .await?;
            p.enterprises.extend(rows.into_iter().map(|(id, r, s)| (id, (r, s))));
        }
        for chunk in dedup(bureau_ids).chunks(500) {
            let rows: Vec<(i64, String)> = bureau::Entity::find()
                .select_only()
                .column(bureau::Column::Id)
                .column(bureau::Column::RegionCode)
                .filter(bureau::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(db)
                .await?;
            p.bureaus.extend(rows);
        }
        Ok(p)
    }

    /// `(region, sector)` of a record of an enterprise, else of a bureau.
    fn of(&self, enterprise: Option<i64>, bureau: i64) -> Option<(&str, Option<&str>)> {
        match enterprise.and_then(|e| self.enterprises.get(&e)) {
            Some((r, s)) => Some((r.as_str(), Some(s.as_str()))),
            None => self.bureaus.get(&bureau).map(|r| (r.as_str(), None)),
        }
    }
}

fn dedup(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn inside(within: &Within, region: &str) -> bool {
    within.bounds().is_none_or(|(low, high)| region >= low.as_str() && region <= high.as_str())
}

/// `(entered, done)` of a step due by `due` and taken on `taken`.
fn timely(due: NaiveDate, taken: Option<NaiveDate>) -> (NaiveDate, Option<NaiveDate>) {
    let late = due.succ_opt().unwrap_or(due);
    (taken.map_or(late, |t| Ord::min(t, late)), taken.filter(|t| *t <= due))
}

/// Draw results recorded in the year (or a little before, due in it), published in time.
pub async fn draws_published<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Flow>> {
    let cal = crate::calendar::load(db).await?;
    let from = crate::clock::china_day_start(y.start() - Days::new(31));
    let tasks = draw_task::Entity::find()
        .filter(draw_task::Column::ResultAt.gte(from))
        .filter(draw_task::Column::ResultAt.lt(crate::clock::china_day_start(y.end())))
        .all(db)
        .await?;
    let draw_ids: Vec<i64> = tasks.iter().map(|t| t.draw_id).collect();
    let mut bureau_of = HashMap::new();
    for chunk in dedup(draw_ids).chunks(500) {
        let rows: Vec<(i64, i64)> = draw::Entity::find()
            .select_only()
            .column(draw::Column::Id)
            .column(draw::Column::BureauId)
            .filter(draw::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        bureau_of.extend(rows);
    }
    let places =
        Places::load(db, tasks.iter().map(|t| t.enterprise_id).collect(), bureau_of.values().copied().collect())
            .await?;
    let records = tasks.iter().filter_map(|t| {
        let due = crate::draw::publish::task_deadline(&cal, t)?;
        let (region, sector) = places.of(Some(t.enterprise_id), *bureau_of.get(&t.draw_id)?)?;
        let (entered, done) = timely(due, t.published_at.map(china_date));
        in_year(y, entered).then_some((region, sector, entered, done))
    });
    Ok(group(y, records.filter(|r| inside(within, r.0))))
}

fn in_year(y: &Year, day: NaiveDate) -> bool {
    day >= y.start() && day < y.end()
}

/// Cases decided, or filed, near enough to the year to count in it.
async fn cases_near<C: ConnectionTrait>(db: &C, y: &Year, before: u64) -> AppResult<Vec<case::Model>> {
    use sea_orm::Condition;
    let from = y.start() - Days::new(before);
    Ok(case::Entity::find()
        .filter(case::Column::FiledOn.is_not_null())
        .filter(
            Condition::any()
                .add(case::Column::DecidedOn.gte(from).and(case::Column::DecidedOn.lt(y.end())))
                .add(case::Column::FiledOn.gte(from).and(case::Column::FiledOn.lt(y.end()))),
        )
        .all(db)
        .await?)
}

async fn places_of<C: ConnectionTrait>(db: &C, cases: &[case::Model]) -> AppResult<Places> {
    Places::load(
        db,
        cases.iter().filter_map(|c| c.enterprise_id).collect(),
        cases.iter().map(|c| c.bureau_id).collect(),
    )
    .await
}

/// Published penalty decisions, published within the working days after the decision.
pub async fn penalties_published<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Flow>> {
    let cal = crate::calendar::load(db).await?;
    let cases: Vec<case::Model> =
        cases_near(db, y, 31).await?.into_iter().filter(crate::case::publication::publishable).collect();
    let places = places_of(db, &cases).await?;
    let mut records = Vec::new();
    for c in &cases {
        let Some(decided) = c.decided_on else { continue };
        let due = crate::case::publication::due(&cal, decided)?;
        let (entered, done) = timely(due, c.published_at.map(china_date));
        if let Some((region, sector)) = places.of(c.enterprise_id, c.bureau_id)
            && in_year(y, entered)
            && inside(within, region)
        {
            records.push((region, sector, entered, done));
        }
    }
    Ok(group(y, records.into_iter()))
}

/// Filed cases: decided within the limit of filing, or late.
pub async fn cases_in_time<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Flow>> {
    let limit = u64::from(crate::indicator::rules::data()?.cases.limit_days);
    let cases = cases_near(db, y, limit + 1).await?;
    let places = places_of(db, &cases).await?;
    let records = cases.iter().filter_map(|c| {
        let due = c.filed_on? + Days::new(limit);
        let (entered, done) = timely(due, c.decided_on);
        let (region, sector) = places.of(c.enterprise_id, c.bureau_id)?;
        (in_year(y, entered) && inside(within, region)).then_some((region, sector, entered, done))
    });
    Ok(group(y, records))
}
