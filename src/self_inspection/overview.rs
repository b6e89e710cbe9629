//! The regulators' overview: per enterprise in scope, the tasks due in a period,
//! completed, overdue, the completion rate and the findings; and the zero-findings
//! warning (零隐患预警: at least `zero_findings.min_completed` tasks completed in
//! the last `zero_findings.days` days and not one 不符合 item among them — the
//! thresholds are in `data/self-inspection.toml`). Paged by enterprise (at most
//! 100 a page, in register order); every figure is a grouped query over the page.

use super::config;
use super::domain::TaskStatus;
use super::json::{OverviewQuery, OverviewResponse, OverviewRow};
use super::policy;
use crate::auth::CurrentUser;
use crate::entities::{enterprise, self_inspection_task as task};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;

/// The first instant of a Beijing day.
fn start_of(d: NaiveDate) -> DateTime<Utc> {
    crate::clock::china_day_start(d)
}

/// Enterprises with the warning: enough completed tasks since `since`, no finding.
fn warned(since: DateTime<Utc>, min_completed: i64) -> SelectStatement {
    Query::select()
        .column(task::Column::EnterpriseId)
        .from(task::Entity)
        .and_where(Expr::col(task::Column::Status).eq(TaskStatus::Completed.as_str()))
        .and_where(Expr::col(task::Column::CompletedAt).gte(since))
        .group_by_col(task::Column::EnterpriseId)
        // A number from the configuration, not user input.
        .and_having(Expr::cust(format!("COUNT(*) >= {min_completed}")))
        .and_having(Expr::cust("COALESCE(SUM(findings), 0) = 0"))
        .to_owned()
}

/// (count, sum of findings) per enterprise of the rows `q` selects.
async fn grouped<C: ConnectionTrait>(db: &C, q: Select<task::Entity>) -> AppResult<HashMap<i64, (i64, i64)>> {
    let rows: Vec<(i64, i64, i64)> = q
        .select_only()
        .column(task::Column::EnterpriseId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .column_as(Expr::cust("CAST(COALESCE(SUM(findings), 0) AS BIGINT)"), "f")
        .group_by(task::Column::EnterpriseId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(e, n, f)| (e, (n, f))).collect())
}

fn rate(done: i64, due: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (due > 0).then(|| (done as f64 * 1000.0 / due as f64).round() / 10.0)
}

/// The overview as of `today`.
pub async fn overview<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    q: &OverviewQuery,
    today: NaiveDate,
) -> AppResult<OverviewResponse> {
    if !policy::reads_overview(user) {
        return Err(AppError::Forbidden);
    }
    let (from, to) = (q.from.unwrap_or(today - Duration::days(29)), q.to.unwrap_or(today));
    let limit = q.limit.unwrap_or(50);
    if from > to {
        return Err(AppError::validation("from", "开始日期不能晚于结束日期"));
    }
    if !(1..=100).contains(&limit) {
        return Err(AppError::validation("limit", "每页条数应在 1–100 之间"));
    }
    let cfg = &config::get().zero_findings;
    let since = start_of(today - Duration::days(cfg.days - 1));
    let mut es = crate::enterprise::service::scoped(enterprise::Entity::find(), &user.scope);
    if q.warning == Some(true) {
        es = es.filter(enterprise::Column::Id.in_subquery(warned(since, cfg.min_completed)));
    }
    let total = es.clone().count(db).await?;
    let page =
        es.order_by_asc(enterprise::Column::Id).limit(limit).offset(crate::json::offset(q.offset)?).all(db).await?;
    let ids: Vec<i64> = page.iter().map(|e| e.id).collect();
    let of = || task::Entity::find().filter(task::Column::EnterpriseId.is_in(ids.clone()));
    let in_period = || of().filter(task::Column::DueOn.gte(from)).filter(task::Column::DueOn.lte(to));
    let due = grouped(db, in_period()).await?;
    let done = grouped(db, in_period().filter(task::Column::Status.eq(TaskStatus::Completed))).await?;
    let late = in_period().filter(task::Column::Status.eq(TaskStatus::Open)).filter(task::Column::DueOn.lt(today));
    let late = grouped(db, late).await?;
    let completed = of().filter(task::Column::Status.eq(TaskStatus::Completed));
    let (start, end) = (start_of(from), start_of(to + Duration::days(1)));
    let found = grouped(
        db,
        completed.clone().filter(task::Column::CompletedAt.gte(start)).filter(task::Column::CompletedAt.lt(end)),
    )
    .await?;
    let window = grouped(db, completed.filter(task::Column::CompletedAt.gte(since))).await?;
    let get = |m: &HashMap<i64, (i64, i64)>, id: i64| m.get(&id).copied().unwrap_or_default();
    let items = page
        .into_iter()
        .map(|e| {
            let (d, c, w) = (get(&due, e.id).0, get(&done, e.id).0, get(&window, e.id));
            OverviewRow {
                enterprise_id: e.id,
                enterprise_name: e.name,
                due: d,
                completed: c,
                overdue: get(&late, e.id).0,
                completion_rate: rate(c, d),
                findings: get(&found, e.id).1,
                completed_in_window: w.0,
                findings_in_window: w.1,
                zero_findings_warning: w.0 >= cfg.min_completed && w.1 == 0,
            }
        })
        .collect();
    Ok(OverviewResponse { from, to, window_days: cfg.days, min_completed: cfg.min_completed, items, total })
}
