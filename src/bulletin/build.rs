//! Building bulletins for the last completed period, and publishing items.

use super::{Content, OverdueMajor, SectorFigures};
use crate::audit::{self, AuditCtx};
use crate::auth::{CurrentUser, Role, Scope};
use crate::clock::china_day_start;
use crate::entities::{bulletin, bulletin_publication, bureau, enterprise, hazard};
use crate::error::{AppError, AppResult};
use crate::hazard::service::scoped;
use crate::notice::Notice;
use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
};
use std::collections::{BTreeMap, HashMap};

/// The last period that ended before `today`: half-months (1st–15th, 16th–end)
/// by default, whole months when `monthly`.
pub fn last_period(today: NaiveDate, monthly: bool) -> (NaiveDate, NaiveDate) {
    let first = today.with_day(1).unwrap_or(today);
    let prev_end = first - Duration::days(1);
    let prev_first = prev_end.with_day(1).unwrap_or(prev_end);
    if monthly {
        return (prev_first, prev_end);
    }
    if today.day() > 15 {
        (first, first + Duration::days(14))
    } else {
        (prev_first.with_day(16).unwrap_or(prev_first), prev_end)
    }
}

async fn figures<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    start: NaiveDate,
    end: NaiveDate,
) -> AppResult<Vec<SectorFigures>> {
    let (from, to) = (china_day_start(start), china_day_start(end + Duration::days(1)));
    let mut by: BTreeMap<Option<String>, SectorFigures> = BTreeMap::new();
    let count = |rows: Vec<(Option<String>, i64)>, by: &mut BTreeMap<Option<String>, SectorFigures>, which: u8| {
        for (sector, n) in rows {
            let f = by.entry(sector.clone()).or_insert(SectorFigures { sector, new: 0, closed: 0, overdue: 0 });
            match which {
                0 => f.new = n,
                1 => f.closed = n,
                _ => f.overdue = n,
            }
        }
    };
    let grouped = |q: sea_orm::Select<hazard::Entity>| {
        q.select_only()
            .column(hazard::Column::Sector)
            .column_as(hazard::Column::Id.count(), "n")
            .group_by(hazard::Column::Sector)
            .into_tuple::<(Option<String>, i64)>()
    };
    let base = || scoped(hazard::Entity::find(), scope).filter(hazard::Column::Status.ne("voided"));
    let new = grouped(base().filter(hazard::Column::CreatedAt.gte(from)).filter(hazard::Column::CreatedAt.lt(to)));
    count(new.all(db).await?, &mut by, 0);
    let closed = grouped(base().filter(hazard::Column::ClosedAt.gte(from)).filter(hazard::Column::ClosedAt.lt(to)));
    count(closed.all(db).await?, &mut by, 1);
    let overdue = grouped(base().filter(hazard::Column::IsOpen.eq(true)).filter(hazard::Column::Deadline.lt(end)));
    count(overdue.all(db).await?, &mut by, 2);
    Ok(by.into_values().collect())
}

async fn overdue_majors<C: ConnectionTrait>(db: &C, scope: &Scope, end: NaiveDate) -> AppResult<Vec<OverdueMajor>> {
    let rows = scoped(hazard::Entity::find(), scope)
        .filter(hazard::Column::Level.eq("major"))
        .filter(hazard::Column::IsOpen.eq(true))
        .filter(hazard::Column::Deadline.lt(end))
        .limit(500)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().filter_map(|h| h.enterprise_id).collect();
    let names: HashMap<i64, String> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|h| OverdueMajor {
            hazard_id: h.id,
            enterprise_name: h
                .enterprise_id
                .and_then(|e| names.get(&e).cloned())
                .unwrap_or_else(|| "未登记主体".to_owned()),
            days_overdue: h.deadline.map_or(0, |d| (end - d).num_days()),
            deadline: h.deadline,
            title: h.title,
        })
        .collect())
}

/// Builds the last period's bulletin for every bureau with something to report;
/// returns how many are new. A second run for the same period adds nothing.
pub async fn build_due<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, monthly: bool) -> AppResult<usize> {
    let (start, end) = last_period(crate::clock::china_date(ctx.at), monthly);
    let mut made = 0;
    for b in bureau::Entity::find().all(db).await? {
        let exists = bulletin::Entity::find()
            .filter(bulletin::Column::BureauId.eq(b.id))
            .filter(bulletin::Column::PeriodStart.eq(start))
            .count(db)
            .await?;
        if exists > 0 {
            continue;
        }
        let scope = Scope::Bureaus { path: b.path.clone(), sectors: None };
        let by_sector = figures(db, &scope, start, end).await?;
        if by_sector.is_empty() {
            continue;
        }
        let content =
            Content { bureau_name: b.name.clone(), by_sector, overdue_majors: overdue_majors(db, &scope, end).await? };
        let row = bulletin::ActiveModel {
            bureau_id: Set(b.id),
            period_start: Set(start),
            period_end: Set(end),
            status: Set("draft".to_owned()),
            content: Set(serde_json::to_string(&content).map_err(|e| AppError::Internal(e.into()))?),
            created_at: Set(ctx.at),
            published_at: Set(None),
            published_by: Set(None),
            version: Set(1),
            ..Default::default()
        };
        let insert = bulletin::Entity::insert(row).on_conflict(
            OnConflict::columns([bulletin::Column::BureauId, bulletin::Column::PeriodStart]).do_nothing().to_owned(),
        );
        let row = match insert.exec_with_returning(db).await {
            Ok(row) => row,
            Err(sea_orm::DbErr::RecordNotInserted) => continue,
            Err(e) => return Err(e.into()),
        };
        audit::record(db, ctx, "create", &row).await?;
        let notice = Notice {
            assignee: crate::todo::Assignee::BureauRole(b.id, Role::Regulator),
            todo_kind: "bulletin_to_review",
            title: format!("通报待审核：{}（{start} 至 {end}）", b.name),
            link: format!("/bulletins/{}", row.id),
            mail: None,
            ctx: crate::mail::NoticeContext::default(),
            key: format!("bulletin:{}:review", row.id),
        };
        crate::notice::send(db, ctx.at, vec![notice]).await?;
        made += 1;
    }
    Ok(made)
}

/// A bulletin the user may see (their bureau's or one below it).
pub async fn get_visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<bulletin::Model> {
    let Scope::Bureaus { path, .. } = &user.scope else { return Err(AppError::NotFound) };
    let row = bulletin::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let b = bureau::Entity::find_by_id(row.bureau_id).one(db).await?.ok_or(AppError::NotFound)?;
    if b.path.starts_with(path.as_str()) { Ok(row) } else { Err(AppError::NotFound) }
}

/// Publishes the chosen overdue major hazards of a bulletin (a regulator of its bureau).
pub async fn publish<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    user: &CurrentUser,
    id: i64,
    hazard_ids: &[i64],
) -> AppResult<bulletin::Model> {
    user.require_any(&[Role::Regulator])?;
    let row = get_visible(db, user, id).await?;
    if user.bureau.as_ref().map(|b| b.id) != Some(row.bureau_id) {
        return Err(AppError::Forbidden);
    }
    let content: Content = serde_json::from_str(&row.content).map_err(|e| AppError::Internal(e.into()))?;
    let unknown: Vec<String> = hazard_ids
        .iter()
        .filter(|h| !content.overdue_majors.iter().any(|m| m.hazard_id == **h))
        .map(|h| format!("隐患 {h} 不在本期通报的逾期重大隐患中"))
        .collect();
    if !unknown.is_empty() {
        let mut fields = crate::error::FieldErrors::new();
        fields.insert("hazard_ids".to_owned(), unknown);
        return Err(AppError::Validation(fields));
    }
    for m in content.overdue_majors.iter().filter(|m| hazard_ids.contains(&m.hazard_id)) {
        let summary = serde_json::json!({"enterprise_name": m.enterprise_name, "title": m.title,
            "deadline": m.deadline, "days_overdue": m.days_overdue});
        bulletin_publication::Entity::insert(bulletin_publication::ActiveModel {
            bulletin_id: Set(row.id),
            hazard_id: Set(m.hazard_id),
            summary: Set(summary.to_string()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([bulletin_publication::Column::HazardId, bulletin_publication::Column::BulletinId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    let mut a: bulletin::ActiveModel = row.clone().into();
    a.status = Set("published".to_owned());
    a.published_at = Set(Some(ctx.at));
    a.published_by = Set(Some(user.id));
    a.version = Set(row.version + 1);
    let row = a.update(db).await?;
    audit::record(db, ctx, "publish", &row).await?;
    Ok(row)
}
