//! Coverage of a plan, done vs planned: key enterprises inspected this year, random
//! targets planned vs drawn vs completed, months planned vs completed, capacity used.
//!
//! Decisions where the issue is silent:
//! - "inspected" means a completed inspection of a kind that counts against the
//!   yearly cap (`data/inspection-caps.toml`), by the plan's bureau or one below it,
//!   completed in the plan's year (Beijing time); a key enterprise counts once;
//! - "drawn" counts the tasks of executed draws (superseded ones left out) linked to
//!   any revision of the plan, or of the plan's bureau, unlinked and planned in the
//!   year; a task is "completed" when its inspection is; tasks fall under the target
//!   of their enterprise's sector and supervision class (no class = the default);
//! - capacity used = completed inspections × days per inspection.

use super::json::KeyEnterprise;
use super::view;
use crate::enterprise::domain::Sector;
use crate::entities::{annual_plan as plan, bureau, draw, draw_task, enterprise, inspection};
use crate::error::{AppError, AppResult};
use crate::inspection::domain::Status as InspectionStatus;
use crate::inspection::governance::cap;
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A key enterprise and whether it was inspected.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AnnualPlanKeyCoverage)]
pub struct KeyCoverage {
    #[serde(flatten)]
    pub enterprise: KeyEnterprise,
    pub inspected: bool,
    /// The last completion in the year (Beijing date).
    pub last_completed_on: Option<NaiveDate>,
}

/// One random target: planned vs drawn vs completed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AnnualPlanTargetCoverage)]
pub struct TargetCoverage {
    pub sector: Sector,
    pub supervision_class: String,
    pub class_name: String,
    pub planned: u64,
    pub drawn: u64,
    pub completed: u64,
}

/// One month: planned vs completed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AnnualPlanMonthCoverage)]
pub struct MonthCoverage {
    pub month: u32,
    pub planned: u32,
    pub completed: u64,
}

/// Body of `GET /api/v1/annual-plans/{id}/coverage`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AnnualPlanCoverage)]
pub struct CoverageResponse {
    pub plan_id: i64,
    pub year: i32,
    pub key_planned: u64,
    pub key_inspected: u64,
    pub key_enterprises: Vec<KeyCoverage>,
    pub random: Vec<TargetCoverage>,
    /// Draw tasks whose enterprise falls under no target of the plan.
    pub drawn_outside_targets: u64,
    pub monthly: Vec<MonthCoverage>,
    pub completed_inspections: u64,
    pub capacity_days: f64,
    pub used_days: f64,
}

fn class_of(e: &enterprise::Model) -> String {
    cap::caps().class_of(e).map(|c| c.code.clone()).unwrap_or_default()
}

/// The counted inspections of the bureau's tree completed in the year.
async fn completed<C: ConnectionTrait>(db: &C, b: &bureau::Model, year: i32) -> AppResult<Vec<inspection::Model>> {
    let day = |y| NaiveDate::from_ymd_opt(y, 1, 1).ok_or(AppError::NotFound);
    let (from, to) = (crate::clock::china_day_start(day(year)?), crate::clock::china_day_start(day(year + 1)?));
    let rows = inspection::Entity::find()
        .filter(inspection::Column::BureauId.in_subquery(crate::scope::subtree(&b.path)))
        .filter(inspection::Column::Status.eq(InspectionStatus::Completed))
        .filter(inspection::Column::CompletedAt.gte(from))
        .filter(inspection::Column::CompletedAt.lt(to))
        .all(db)
        .await?;
    Ok(rows.into_iter().filter(|i| cap::caps().counts(i.kind)).collect())
}

/// The draw tasks counted for the plan.
async fn tasks<C: ConnectionTrait>(db: &C, p: &plan::Model, chain: &[i64]) -> AppResult<Vec<draw_task::Model>> {
    let day = |y| NaiveDate::from_ymd_opt(y, 1, 1).ok_or(AppError::NotFound);
    let own = Condition::all()
        .add(draw::Column::PlanId.is_null())
        .add(draw::Column::BureauId.eq(p.bureau_id))
        .add(draw::Column::PlannedDate.gte(day(p.year)?))
        .add(draw::Column::PlannedDate.lt(day(p.year + 1)?));
    let draws = draw::Entity::find()
        .filter(draw::Column::Status.eq(crate::draw::domain::Status::Executed))
        .filter(Condition::any().add(draw::Column::PlanId.is_in(chain.iter().copied())).add(own))
        .all(db)
        .await?;
    let ids: Vec<i64> = draws.iter().map(|d| d.id).collect();
    Ok(draw_task::Entity::find().filter(draw_task::Column::DrawId.is_in(ids)).all(db).await?)
}

async fn enterprises<C: ConnectionTrait>(db: &C, ids: &HashSet<i64>) -> AppResult<HashMap<i64, enterprise::Model>> {
    let ids: Vec<i64> = ids.iter().copied().collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(1000) {
        for e in enterprise::Entity::find().filter(enterprise::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            out.insert(e.id, e);
        }
    }
    Ok(out)
}

async fn random<C: ConnectionTrait>(
    db: &C,
    p: &plan::Model,
    done: &HashSet<i64>,
) -> AppResult<(Vec<TargetCoverage>, u64)> {
    let chain: Vec<i64> = super::service::chain(db, p).await?.iter().map(|r| r.id).collect();
    let tasks = tasks(db, p, &chain).await?;
    let firms = enterprises(db, &tasks.iter().map(|t| t.enterprise_id).collect()).await?;
    let caps = cap::caps();
    let mut out: Vec<TargetCoverage> = view::targets(p)
        .into_iter()
        .map(|t| TargetCoverage {
            // A plan approved under an earlier code of the class counts under its code now.
            class_name: caps.named(&t.supervision_class).map(|c| c.name.clone()).unwrap_or_default(),
            sector: t.sector,
            supervision_class: caps.named(&t.supervision_class).map_or(t.supervision_class, |c| c.code.clone()),
            planned: t.planned,
            drawn: 0,
            completed: 0,
        })
        .collect();
    let mut outside = 0;
    for t in &tasks {
        let Some(e) = firms.get(&t.enterprise_id) else { continue };
        let class = class_of(e);
        match out.iter_mut().find(|c| c.sector == e.sector && c.supervision_class == class) {
            Some(c) => {
                c.drawn += 1;
                c.completed += u64::from(t.inspection_id.is_some_and(|i| done.contains(&i)));
            }
            None => outside += 1,
        }
    }
    Ok((out, outside))
}

/// The plan's coverage now.
pub async fn coverage<C: ConnectionTrait>(db: &C, p: &plan::Model) -> AppResult<CoverageResponse> {
    let b = bureau::Entity::find_by_id(p.bureau_id).one(db).await?.ok_or(AppError::NotFound)?;
    let done = completed(db, &b, p.year).await?;
    let mut last: HashMap<i64, NaiveDate> = HashMap::new();
    let mut months = [0_u64; 12];
    for i in &done {
        let Some(at) = i.completed_at else { continue };
        let day = crate::clock::china_date(at);
        months[day.month0() as usize] += 1;
        let e = last.entry(i.enterprise_id).or_insert(day);
        *e = (*e).max(day);
    }
    let ids = view::key_ids(p);
    let firms = enterprises(db, &ids.iter().copied().collect()).await?;
    let key_enterprises: Vec<KeyCoverage> = ids
        .iter()
        .filter_map(|id| firms.get(id))
        .map(|e| KeyCoverage {
            enterprise: KeyEnterprise { id: e.id, name: e.name.clone(), credit_code: e.credit_code.clone() },
            inspected: last.contains_key(&e.id),
            last_completed_on: last.get(&e.id).copied(),
        })
        .collect();
    let done_ids: HashSet<i64> = done.iter().map(|i| i.id).collect();
    let (random, drawn_outside_targets) = random(db, p, &done_ids).await?;
    let planned = view::monthly(p);
    let monthly = (1..=12_u32)
        .map(|m| MonthCoverage {
            month: m,
            planned: planned.get(m as usize - 1).copied().unwrap_or(0),
            completed: months[m as usize - 1],
        })
        .collect();
    let cap = view::capacity(p);
    #[allow(clippy::cast_precision_loss)]
    let used = done.len() as f64 * p.days_per_inspection;
    Ok(CoverageResponse {
        plan_id: p.id,
        year: p.year,
        key_planned: ids.len() as u64,
        key_inspected: key_enterprises.iter().filter(|k| k.inspected).count() as u64,
        key_enterprises,
        random,
        drawn_outside_targets,
        monthly,
        completed_inspections: done.len() as u64,
        capacity_days: (cap.days() * 10.0).round() / 10.0,
        used_days: (used * 10.0).round() / 10.0,
    })
}
