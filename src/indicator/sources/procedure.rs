//! Figures over the procedures with a legal deadline: draw results published in
//! time (一公开), penalty decisions published in time (安全生产法 art. 78), and cases
//! decided within the time limit of 立案 (行政处罚法 art. 60).
//!
//! Each record enters the day its deadline passes or the day it is done, whichever
//! comes first, and is done if that was on time — so a result still within its
//! deadline counts nowhere yet. Deadlines are the modules' own (`draw::publish`,
//! `case::publication`, working days over the holiday calendar). A record is placed
//! in its enterprise's region, or its bureau's when there is no enterprise.

use super::{Rec, Within, Year};
use crate::clock::china_date;
use crate::entities::{bureau, case, case_party, draw, draw_task, enterprise};
use crate::error::AppResult;
use chrono::{Days, NaiveDate};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// Regions, sectors and names of the enterprises and bureaus records name.
#[derive(Default)]
struct Places {
    enterprises: HashMap<i64, (String, String, String)>,
    bureaus: HashMap<i64, String>,
}

impl Places {
    async fn load<C: ConnectionTrait>(db: &C, enterprise_ids: Vec<i64>, bureau_ids: Vec<i64>) -> AppResult<Self> {
        let mut p = Self::default();
        for chunk in dedup(enterprise_ids).chunks(500) {
            let rows: Vec<(i64, String, String, String)> = enterprise::Entity::find()
                .select_only()
                .column(enterprise::Column::Id)
                .column(enterprise::Column::RegionCode)
                .column(enterprise::Column::Sector)
                .column(enterprise::Column::Name)
                .filter(enterprise::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(db)
                .await?;
            p.enterprises.extend(rows.into_iter().map(|(id, r, s, n)| (id, (r, s, n))));
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
    fn of(&self, enterprise: Option<i64>, bureau: i64) -> Option<(String, Option<String>)> {
        match enterprise.and_then(|e| self.enterprises.get(&e)) {
            Some((r, s, _)) => Some((r.clone(), Some(s.clone()))),
            None => self.bureaus.get(&bureau).map(|r| (r.clone(), None)),
        }
    }

    fn name(&self, enterprise: i64) -> String {
        self.enterprises.get(&enterprise).map(|e| e.2.clone()).unwrap_or_default()
    }
}

fn dedup(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `(entered, done)` of a step due by `due` and taken on `taken`.
fn timely(due: NaiveDate, taken: Option<NaiveDate>) -> (NaiveDate, Option<NaiveDate>) {
    let late = due.succ_opt().unwrap_or(due);
    (taken.map_or(late, |t| Ord::min(t, late)), taken.filter(|t| *t <= due))
}

fn taken(day: Option<NaiveDate>, what: &str) -> String {
    day.map_or_else(|| format!("尚未{what}"), |d| format!("{d} {what}"))
}

/// Draw results recorded in the year (or a little before, due in it), published in time.
pub async fn draws_published<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Rec>> {
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
    let recs = tasks.iter().filter_map(|t| {
        let due = crate::draw::publish::task_deadline(&cal, t)?;
        let (region_code, sector) = places.of(Some(t.enterprise_id), *bureau_of.get(&t.draw_id)?)?;
        let published = t.published_at.map(china_date);
        let (entered, done) = timely(due, published);
        Some(Rec {
            id: t.id,
            region_code,
            sector,
            entered,
            done,
            label: places.name(t.enterprise_id),
            detail: format!("抽查结果应于 {due} 前公开；{}", taken(published, "公开")),
            href: format!("/draws/{}/results", t.draw_id),
        })
    });
    Ok(recs.filter(|r| r.within(*y, within)).collect())
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

/// The cases' places and their first parties' names as published (a person as 张某).
async fn places_of<C: ConnectionTrait>(db: &C, cases: &[case::Model]) -> AppResult<(Places, HashMap<i64, String>)> {
    let places = Places::load(
        db,
        cases.iter().filter_map(|c| c.enterprise_id).collect(),
        cases.iter().map(|c| c.bureau_id).collect(),
    )
    .await?;
    let mut names: HashMap<i64, (i32, String)> = HashMap::new();
    for chunk in cases.chunks(500) {
        let parties = case_party::Entity::find()
            .filter(case_party::Column::CaseId.is_in(chunk.iter().map(|c| c.id)))
            .all(db)
            .await?;
        for p in parties {
            let name = crate::case::publication::public_name(p.kind, &p.name);
            let e = names.entry(p.case_id).or_insert((p.position, name.clone()));
            if p.position < e.0 {
                *e = (p.position, name);
            }
        }
    }
    Ok((places, names.into_iter().map(|(k, v)| (k, v.1)).collect()))
}

fn case_rec(
    c: &case::Model,
    places: &Places,
    names: &HashMap<i64, String>,
    days: (NaiveDate, Option<NaiveDate>),
    detail: String,
) -> Option<Rec> {
    let (region_code, sector) = places.of(c.enterprise_id, c.bureau_id)?;
    Some(Rec {
        id: c.id,
        region_code,
        sector,
        entered: days.0,
        done: days.1,
        label: names.get(&c.id).cloned().unwrap_or_else(|| format!("案件 {}", c.id)),
        detail,
        href: format!("/cases/{}", c.id),
    })
}

/// Published penalty decisions, published within the working days after the decision.
pub async fn penalties_published<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Rec>> {
    let cal = crate::calendar::load(db).await?;
    let cases: Vec<case::Model> =
        cases_near(db, y, 31).await?.into_iter().filter(crate::case::publication::publishable).collect();
    let (places, names) = places_of(db, &cases).await?;
    let mut out = Vec::new();
    for c in &cases {
        let Some(decided) = c.decided_on else { continue };
        let due = crate::case::publication::due(&cal, decided)?;
        let published = c.published_at.map(china_date);
        let detail = format!("{decided} 作出处罚决定，应于 {due} 前公开；{}", taken(published, "公开"));
        if let Some(r) = case_rec(c, &places, &names, timely(due, published), detail) {
            out.push(r);
        }
    }
    Ok(out.into_iter().filter(|r| r.within(*y, within)).collect())
}

/// Filed cases: decided within the limit of filing, or late.
pub async fn cases_in_time<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Rec>> {
    let limit = u64::from(crate::indicator::rules::data()?.cases.limit_days);
    let cases = cases_near(db, y, limit + 1).await?;
    let (places, names) = places_of(db, &cases).await?;
    let recs = cases.iter().filter_map(|c| {
        let filed = c.filed_on?;
        let due = filed + Days::new(limit);
        let detail = format!("{filed} 立案，应于 {due} 前作出决定；{}", taken(c.decided_on, "作出决定"));
        case_rec(c, &places, &names, timely(due, c.decided_on), detail)
    });
    Ok(recs.filter(|r| r.within(*y, within)).collect())
}
