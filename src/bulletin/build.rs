//! Building bulletins for the last completed period, and publishing items.

use super::{Content, MajorProgress, OverdueMajor, SectorFigures};
use crate::audit::{self, AuditCtx};
use crate::auth::{CurrentUser, Role};
use crate::clock::china_day_start;
use crate::entities::{bulletin, bulletin_item, bureau, hazard};
use crate::error::{AppError, AppResult};
use crate::hazard::domain::Status;
use crate::notice::Notice;
use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, HashSet};

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

/// Figures per (supervising bureau, sector) for the period, in one pass over
/// the ledger: recorded in the period, closed in it, and open past the deadline
/// at its end.
async fn figures_by_bureau<C: ConnectionTrait>(
    db: &C,
    start: NaiveDate,
    end: NaiveDate,
) -> AppResult<Vec<(i64, SectorFigures)>> {
    let (from, to) = (china_day_start(start), china_day_start(end + Duration::days(1)));
    // Found in the period (an imported history is not new).
    let new = Condition::all().add(hazard::Column::FoundAt.gte(from)).add(hazard::Column::FoundAt.lt(to));
    let closed = Condition::all().add(hazard::Column::ClosedAt.gte(from)).add(hazard::Column::ClosedAt.lt(to));
    // The overdue rule (`hazard::domain::is_overdue`) on the period's last day.
    let overdue = crate::hazard::list::overdue_on(end);
    let count = |c: Condition| Expr::from(Func::sum(Expr::case(c, 1).finally(0))).cast_as("BIGINT");
    let rows = hazard::Entity::find()
        .select_only()
        .column(hazard::Column::BureauId)
        .column(hazard::Column::Sector)
        .column_as(count(new.clone()), "new")
        .column_as(count(closed.clone()), "closed")
        .column_as(count(overdue.clone()), "overdue")
        .filter(hazard::Column::Status.ne("voided"))
        .filter(Condition::any().add(new).add(closed).add(overdue))
        .group_by(hazard::Column::BureauId)
        .group_by(hazard::Column::Sector);
    let rows: Vec<(i64, Option<String>, i64, i64, i64)> = rows.into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(b, sector, new, closed, overdue)| (b, SectorFigures { sector, new, closed, overdue }))
        .collect())
}

/// Every open major hazard past its deadline at the period's end, most overdue
/// first, with its supervising bureau.
async fn overdue_majors<C: ConnectionTrait>(db: &C, end: NaiveDate) -> AppResult<Vec<(i64, OverdueMajor)>> {
    // Literal terms, so that SQLite uses the partial index of open major hazards.
    let rows = hazard::Entity::find()
        .filter(Expr::cust(r#""hazards"."is_open" = TRUE AND "hazards"."level" = 'major'"#))
        .filter(crate::hazard::list::overdue_on(end))
        .order_by_asc(hazard::Column::Deadline)
        .order_by_asc(hazard::Column::Id)
        .all(db)
        .await?;
    let names = crate::enterprise::service::names(db, rows.iter().filter_map(|h| h.enterprise_id)).await?;
    Ok(rows
        .into_iter()
        .map(|h| {
            let major = OverdueMajor {
                hazard_id: h.id,
                enterprise_name: h
                    .enterprise_id
                    .and_then(|e| names.get(&e).cloned())
                    .unwrap_or_else(|| "未登记主体".to_owned()),
                days_overdue: h.deadline.map_or(0, |d| (end - d).num_days()),
                deadline: h.deadline,
                title: h.title,
            };
            (h.bureau_id, major)
        })
        .collect())
}

/// Every open listed major hazard (认定 done, not closed) and its progress at
/// the period's end: overdue ones first, then by deadline.
async fn open_majors<C: ConnectionTrait>(db: &C, end: NaiveDate) -> AppResult<Vec<(i64, MajorProgress)>> {
    let rows = hazard::Entity::find()
        .filter(Expr::cust(r#""hazards"."is_open" = TRUE AND "hazards"."level" = 'major'"#))
        .filter(hazard::Column::Status.ne(Status::Reported))
        .all(db)
        .await?;
    let names = crate::enterprise::service::names(db, rows.iter().filter_map(|h| h.enterprise_id)).await?;
    let mut out: Vec<(i64, MajorProgress)> = rows
        .into_iter()
        .map(|h| {
            let major = MajorProgress {
                hazard_id: h.id,
                enterprise_name: h
                    .enterprise_id
                    .and_then(|e| names.get(&e).cloned())
                    .unwrap_or_else(|| "未登记主体".to_owned()),
                title: h.title,
                status: h.status,
                supervision_level: h.assignment_level,
                deadline: h.deadline,
                overdue: crate::hazard::domain::is_overdue(h.status, h.deadline, end),
                days_left: h.deadline.map(|d| (d - end).num_days()),
            };
            (h.bureau_id, major)
        })
        .collect();
    out.sort_by_key(|(_, m)| (!m.overdue, m.deadline.is_none(), m.deadline, m.hazard_id));
    Ok(out)
}

/// Records that the bulletin lists these major hazards (their 通报).
async fn record_items<C: ConnectionTrait>(db: &C, bulletin_id: i64, majors: &[MajorProgress]) -> AppResult<()> {
    for chunk in majors.chunks(500) {
        let rows = chunk.iter().map(|m| bulletin_item::ActiveModel {
            bulletin_id: Set(bulletin_id),
            hazard_id: Set(m.hazard_id),
            ..Default::default()
        });
        bulletin_item::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([bulletin_item::Column::HazardId, bulletin_item::Column::BulletinId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// At most this many overdue major hazards are named in one bulletin.
const MAJORS_PER_BULLETIN: usize = 500;

/// What a bureau's bulletin says: the figures and overdue majors of every
/// bureau in its subtree, summed by sector.
fn content_for(
    b: &bureau::Model,
    bureaus: &[bureau::Model],
    figures: &[(i64, SectorFigures)],
    majors: &[(i64, OverdueMajor)],
    open: &[(i64, MajorProgress)],
) -> Content {
    let subtree: HashSet<i64> = bureaus.iter().filter(|x| x.path.starts_with(&b.path)).map(|x| x.id).collect();
    let mut by: BTreeMap<Option<String>, SectorFigures> = BTreeMap::new();
    for (_, f) in figures.iter().filter(|(id, _)| subtree.contains(id)) {
        let sum = by.entry(f.sector.clone()).or_insert(SectorFigures {
            sector: f.sector.clone(),
            new: 0,
            closed: 0,
            overdue: 0,
        });
        sum.new += f.new;
        sum.closed += f.closed;
        sum.overdue += f.overdue;
    }
    let overdue_majors = majors
        .iter()
        .filter(|(id, _)| subtree.contains(id))
        .take(MAJORS_PER_BULLETIN)
        .map(|(_, m)| m.clone())
        .collect();
    let listed =
        open.iter().filter(|(id, _)| subtree.contains(id)).take(MAJORS_PER_BULLETIN).map(|(_, m)| m.clone()).collect();
    Content { bureau_name: b.name.clone(), by_sector: by.into_values().collect(), overdue_majors, majors: listed }
}

/// The paths of the bureaus that have hazards: only a bureau with one of these
/// in its subtree can have anything to report.
async fn subtrees_with_hazards<C: ConnectionTrait>(db: &C, bureaus: &[bureau::Model]) -> AppResult<Vec<String>> {
    use crate::entities::hazard_tally;
    let with_hazards: HashSet<i64> = hazard_tally::Entity::find()
        .select_only()
        .column(hazard_tally::Column::BureauId)
        .filter(hazard_tally::Column::N.gt(0))
        .distinct()
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(bureaus.iter().filter(|b| with_hazards.contains(&b.id)).map(|b| b.path.clone()).collect())
}

/// A to-do for the regulators of the bureau: review the new bulletin.
async fn ask_for_review<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    b: &bureau::Model,
    row: &bulletin::Model,
) -> AppResult<()> {
    let notice = Notice {
        assignee: crate::todo::Assignee::BureauRole(b.id, Role::Regulator),
        todo_kind: "bulletin_to_review",
        title: format!("通报待审核：{}（{} 至 {}）", b.name, row.period_start, row.period_end),
        link: format!("/bulletins/{}", row.id),
        mail: None,
        ctx: crate::mail::NoticeContext::default(),
        key: format!("bulletin:{}:review", row.id),
    };
    crate::notice::send(db, ctx.at, vec![notice]).await?;
    Ok(())
}

/// Builds the last period's bulletin for every bureau with something to report
/// that has none yet; returns how many are new. The ledger is read once for
/// all bureaus, and not at all when every bureau has its bulletin.
pub async fn build_due<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, monthly: bool) -> AppResult<usize> {
    let (start, end) = last_period(crate::clock::china_date(ctx.at), monthly);
    let bureaus = bureau::Entity::find().all(db).await?;
    let built: HashSet<i64> = bulletin::Entity::find()
        .select_only()
        .column(bulletin::Column::BureauId)
        .filter(bulletin::Column::PeriodStart.eq(start))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let paths = subtrees_with_hazards(db, &bureaus).await?;
    let pending = |b: &&bureau::Model| !built.contains(&b.id) && paths.iter().any(|p| p.starts_with(&b.path));
    if !bureaus.iter().any(|b| pending(&b)) {
        return Ok(0);
    }
    let figures = figures_by_bureau(db, start, end).await?;
    let majors = overdue_majors(db, end).await?;
    let open = open_majors(db, end).await?;
    let mut made = 0;
    for b in bureaus.iter().filter(pending) {
        let content = content_for(b, &bureaus, &figures, &majors, &open);
        if content.by_sector.is_empty() {
            continue;
        }
        let row = bulletin::ActiveModel {
            bureau_id: Set(b.id),
            period_start: Set(start),
            period_end: Set(end),
            status: Set(super::BulletinStatus::Draft),
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
            // Another process built it first (sea-orm reports the skipped row either way).
            Err(sea_orm::DbErr::RecordNotInserted | sea_orm::DbErr::RecordNotFound(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        audit::record(db, ctx, "create", &row).await?;
        record_items(db, row.id, &content.majors).await?;
        ask_for_review(db, ctx, b, &row).await?;
        made += 1;
    }
    Ok(made)
}

/// A bulletin the user may see (their bureau's or one below it).
pub async fn get_visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<bulletin::Model> {
    crate::scope::get::<bulletin::Entity, _>(db, &user.scope, id).await
}
