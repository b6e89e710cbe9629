//! The queries regulators live in: the filtered ledger (overdue first when
//! asked), counts by status × level × sector, and the major-hazard list (一单).

use super::domain::{Level, Source, Status};
use super::json::{CountRow, HazardFilter};
use super::service::scoped;
use crate::auth::Scope;
use crate::enterprise::domain::Sector;
use crate::enterprise::domain::{RegionCode, RegionLevel};
use crate::entities::{hazard, hazard_event, hazard_tally};
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;

fn region_condition(region: &RegionCode) -> Condition {
    if region.level() == RegionLevel::County {
        return Condition::all().add(hazard::Column::RegionCode.eq(region.as_str()));
    }
    let (low, high) = region.bounds();
    Condition::all().add(Expr::col((hazard::Entity, hazard::Column::RegionCode)).between(low, high))
}

/// The scoped, filtered query (no order, no paging).
pub fn filtered(scope: &Scope, f: &HazardFilter, today: NaiveDate) -> AppResult<Select<hazard::Entity>> {
    let mut q = scoped(hazard::Entity::find(), scope);
    if let Some(s) = f.status {
        q = q.filter(hazard::Column::Status.eq(s));
    }
    if let Some(l) = f.level {
        q = q.filter(hazard::Column::Level.eq(l));
    }
    if let Some(s) = f.source {
        q = q.filter(hazard::Column::Source.eq(s));
    }
    if f.overdue == Some(true) {
        q = q.filter(overdue_on(today));
    }
    if let Some(e) = f.enterprise_id {
        q = q.filter(hazard::Column::EnterpriseId.eq(e));
    }
    if let Some(r) = f.region.as_deref().filter(|r| !r.is_empty()) {
        let region = RegionCode::parse(r).map_err(|e| AppError::validation("region", e.to_string()))?;
        q = q.filter(region_condition(&region));
    }
    if let Some(s) = f.sector.as_deref().filter(|s| !s.is_empty()) {
        if s.parse::<crate::enterprise::domain::Sector>().is_err() {
            return Err(AppError::validation("sector", format!("未知的行业：{}", crate::limits::preview(s))));
        }
        q = q.filter(hazard::Column::Sector.eq(s));
    }
    if let Some(d) = f.due_before {
        q = q.filter(hazard::Column::Deadline.lte(in_range("due_before", d)?));
    }
    searched(q, f)
}

/// Years 1–9999, the dates `YYYY-MM-DD` writes and both engines store.
fn in_range(field: &str, d: NaiveDate) -> AppResult<NaiveDate> {
    if (1..=9999).contains(&chrono::Datelike::year(&d)) {
        Ok(d)
    } else {
        Err(AppError::validation(field, "日期应在 0001-01-01 至 9999-12-31 之间"))
    }
}

/// The ledger's search filters: keyword, category, found and deadline ranges,
/// 挂牌 level. The keyword matches title, description and location as typed
/// (an escaped `LIKE`, `crate::like`).
fn searched(mut q: Select<hazard::Entity>, f: &HazardFilter) -> AppResult<Select<hazard::Entity>> {
    let mut fields = crate::error::FieldErrors::new();
    crate::limits::check(&mut fields, "q", "关键词", f.q.as_deref(), crate::limits::NAME);
    crate::limits::check(&mut fields, "category", "隐患类别", f.category.as_deref(), crate::limits::SHORT);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        q = q.filter(
            Condition::any()
                .add(crate::like::contains(hazard::Column::Title, text))
                .add(crate::like::contains(hazard::Column::Description, text))
                .add(crate::like::contains(hazard::Column::Location, text)),
        );
    }
    if let Some(c) = f.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        q = q.filter(hazard::Column::Category.eq(c));
    }
    if let Some(d) = f.due_after {
        q = q.filter(hazard::Column::Deadline.gte(in_range("due_after", d)?));
    }
    if let Some(d) = f.found_from {
        q = q.filter(hazard::Column::FoundAt.gte(crate::clock::china_day_start(in_range("found_from", d)?)));
    }
    if let Some(d) = f.found_to {
        let next = in_range("found_to", d)?.succ_opt().unwrap_or(NaiveDate::MAX);
        q = q.filter(hazard::Column::FoundAt.lt(crate::clock::china_day_start(next)));
    }
    if let Some(l) = f.supervision_level {
        q = q.filter(hazard::Column::AssignmentLevel.eq(l));
    }
    Ok(q)
}

/// The columns a list row shows: a page reads these, not the whole record.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct ListRow {
    pub id: i64,
    pub enterprise_id: Option<i64>,
    pub subject_id: Option<i64>,
    pub bureau_id: i64,
    pub sector: Option<Sector>,
    pub source: Source,
    pub level: Level,
    pub category: String,
    pub title: String,
    pub status: Status,
    pub is_open: bool,
    pub deadline: Option<NaiveDate>,
    pub found_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

/// One page and the total. Overdue lists come most overdue first; others newest
/// first. Totals are cached per scope, filter and day, and dropped on any
/// hazard write in this process (and after 30 s for writes by other processes).
pub async fn list(
    state: &crate::state::AppState,
    scope: &Scope,
    f: &HazardFilter,
    today: NaiveDate,
) -> AppResult<(Vec<ListRow>, u64)> {
    use hazard::Column as H;
    let db = state.db.conn();
    let (offset, limit) = crate::json::PageParams { page: f.page, per_page: f.per_page }.resolve()?;
    let q = filtered(scope, f, today)?;
    // Every filter but the page: one total per filter, scope and day.
    let key = format!("{}|{today}|{:?}", scope.cache_key(), HazardFilter { page: None, per_page: None, ..f.clone() });
    let total = if let Some(t) = state.hazard_totals.get(&key) {
        t
    } else {
        let t = q.clone().count(db).await?;
        state.hazard_totals.put(key, t);
        t
    };
    let q = if f.overdue == Some(true) {
        q.order_by_asc(hazard::Column::Deadline).order_by_asc(hazard::Column::Id)
    } else {
        q.order_by_desc(hazard::Column::Id)
    };
    let columns = [H::Id, H::EnterpriseId, H::SubjectId, H::BureauId, H::Sector, H::Source, H::Level, H::Category];
    let items = q
        .select_only()
        .columns(columns)
        .columns([H::Title, H::Status, H::IsOpen, H::Deadline, H::FoundAt, H::Version])
        .offset(offset)
        .limit(limit)
        .into_model::<ListRow>()
        .all(db)
        .await?;
    Ok((items, total))
}

/// Counts by status × level × sector within the scope. A bureau scope sums the
/// tallies the database keeps per bureau (a few rows per bureau, whatever the
/// number of hazards); an enterprise user's scope counts its own hazards.
pub async fn counts<C: ConnectionTrait>(db: &C, scope: &Scope) -> AppResult<Vec<CountRow>> {
    let rows: Vec<(Status, Level, String, i64)> = match scope {
        Scope::Bureaus { path, sectors } => {
            let mut q = hazard_tally::Entity::find()
                .select_only()
                .column(hazard_tally::Column::Status)
                .column(hazard_tally::Column::Level)
                .column(hazard_tally::Column::Sector)
                .column_as(Expr::col(hazard_tally::Column::N).sum().cast_as("BIGINT"), "count")
                .filter(hazard_tally::Column::BureauId.in_subquery(crate::scope::subtree(path)));
            if let Some(s) = sectors {
                q = q.filter(hazard_tally::Column::Sector.is_in(s.iter().cloned()));
            }
            q.group_by(hazard_tally::Column::Status)
                .group_by(hazard_tally::Column::Level)
                .group_by(hazard_tally::Column::Sector)
                .into_tuple()
                .all(db)
                .await?
        }
        Scope::Enterprises(_) => {
            scoped(hazard::Entity::find(), scope)
                .select_only()
                .column(hazard::Column::Status)
                .column(hazard::Column::Level)
                .column_as(Expr::cust("COALESCE(sector, '')"), "sector")
                .column_as(hazard::Column::Id.count(), "count")
                .group_by(hazard::Column::Status)
                .group_by(hazard::Column::Level)
                .group_by(hazard::Column::Sector)
                .into_tuple()
                .all(db)
                .await?
        }
    };
    Ok(rows
        .into_iter()
        .filter(|r| r.3 > 0)
        .map(|(status, level, sector, count)| {
            let sector = Some(sector).filter(|s| !s.is_empty());
            CountRow { status, level, sector, count }
        })
        .collect())
}

/// Timeline entries per hazard (the 台账 of each item).
pub async fn ledger_counts<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, i64)> = hazard_event::Entity::find()
            .select_only()
            .column(hazard_event::Column::HazardId)
            .column_as(hazard_event::Column::Id.count(), "n")
            .filter(hazard_event::Column::HazardId.is_in(chunk.iter().copied()))
            .group_by(hazard_event::Column::HazardId)
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// [`super::domain::is_overdue`] as a query condition: overdue on `day`. The
/// owed states are all open; `is_open` is named too so that the indexes on
/// `(…, is_open, deadline)` serve the deadline range.
pub fn overdue_on(day: NaiveDate) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(hazard::Column::IsOpen.eq(true))
        .add(hazard::Column::Status.is_in(super::domain::OWED.map(super::domain::Status::as_str)))
        .add(hazard::Column::Deadline.lt(day))
}
