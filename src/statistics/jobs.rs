//! The statistics' part of the jobs:
//!
//! - once a period has ended and until its due date, every enterprise that
//!   owes a report gets a to-do for its principal (one set-based statement;
//!   closed when the report is submitted);
//! - once the due date has passed, each supervising bureau with enterprises
//!   that have not submitted gets one notice for its regulators (to-do and
//!   mail) naming how many, with a link to the list of them.
//!
//! Both are keyed, so each goes out once per (enterprise or bureau, period)
//! whatever the number of runs. Enterprise reminders carry no mail: they are a
//! standing duty, not news, and a bureau of 100,000 enterprises would
//! otherwise send 100,000 mails each quarter.

use super::period::Period;
use super::service::owing;
use crate::audit::AuditCtx;
use crate::auth::Role;
use crate::clock::china_date;
use crate::entities::{bureau, enterprise, todo};
use crate::error::AppResult;
use crate::mail::{Kind, NoticeContext};
use crate::notice::Notice;
use crate::todo::Assignee;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
use std::collections::HashMap;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct StatisticsReport {
    /// New "please report" to-dos for enterprises.
    pub reminded: u64,
    /// Bureaus told in this run of enterprises that have not reported (notices
    /// written now; a bureau told before, in an earlier run, is not counted).
    pub bureaus_flagged: u64,
}

/// Reminds enterprises of the periods open for reporting: `INSERT INTO todos …
/// SELECT … FROM enterprises WHERE <owes a report> ON CONFLICT DO NOTHING`.
async fn remind<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, period: Period) -> AppResult<u64> {
    let title = format!("待报送：{}隐患排查治理情况统计（{} 前报送）", period.zh(), period.due());
    // `service::todo_key` in SQL; a period prints as digits and `Q` only, so it is safe to write in.
    let key = Expr::cust(format!(r#"'hazard_stats:' || CAST("enterprises"."id" AS TEXT) || ':{period}'"#));
    let rows = owing(enterprise::Entity::find(), period)
        .select_only()
        .column(enterprise::Column::Id)
        .column_as(Expr::val(Role::Principal.as_str()), "role")
        .column_as(Expr::val("statistics_to_submit"), "kind")
        .column_as(Expr::val(title), "title")
        .column_as(Expr::val("/hazard-statistics"), "link")
        .column_as(key, "dedupe_key")
        .column_as(Expr::val(ctx.at), "created_at")
        .into_query();
    let insert = Query::insert()
        .into_table(todo::Entity)
        .columns([
            todo::Column::EnterpriseId,
            todo::Column::Role,
            todo::Column::Kind,
            todo::Column::Title,
            todo::Column::Link,
            todo::Column::DedupeKey,
            todo::Column::CreatedAt,
        ])
        .select_from(rows)
        .map_err(|e| crate::error::AppError::Internal(e.into()))?
        .on_conflict(OnConflict::column(todo::Column::DedupeKey).do_nothing().to_owned())
        .to_owned();
    Ok(db.execute(&insert).await?.rows_affected())
}

/// Tells each bureau how many of its enterprises have not reported for a period
/// past due, once; returns how many bureaus were told now.
async fn flag<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, period: Period) -> AppResult<u64> {
    let missing: Vec<(i64, i64)> = owing(enterprise::Entity::find(), period)
        .select_only()
        .column(enterprise::Column::SupervisingBureauId)
        .column_as(enterprise::Column::Id.count(), "n")
        .group_by(enterprise::Column::SupervisingBureauId)
        .into_tuple()
        .all(db)
        .await?;
    if missing.is_empty() {
        return Ok(0);
    }
    let names: HashMap<i64, String> = bureau::Entity::find()
        .filter(bureau::Column::Id.is_in(missing.iter().map(|m| m.0)))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let link = format!("/hazard-statistics?period={period}&state=not_submitted");
    let notices: Vec<Notice> = missing
        .iter()
        .map(|&(b, n)| {
            let bureau_name = names.get(&b).cloned().unwrap_or_default();
            Notice {
                assignee: Assignee::BureauRole(b, Role::Regulator),
                todo_kind: "statistics_late",
                title: format!("隐患统计逾期未报：{}（{n} 家企业）", period.zh()),
                link: link.clone(),
                mail: Some(Kind::StatisticsLate),
                ctx: NoticeContext {
                    enterprise_name: format!("{bureau_name}监管的 {n} 家企业"),
                    hazard_title: format!("{}隐患排查治理情况统计", period.zh()),
                    deadline: Some(period.due()),
                    ..NoticeContext::default()
                },
                key: format!("hazard_stats:{period}:bureau:{b}:late"),
            }
        })
        .collect();
    Ok(crate::notice::send(db, ctx.at, notices).await?.todos)
}

/// Runs both as of `ctx.at`, in the caller's transaction.
pub async fn run<C: ConnectionTrait>(db: &C, ctx: &AuditCtx) -> AppResult<StatisticsReport> {
    let today = china_date(ctx.at);
    let mut report = StatisticsReport::default();
    for p in Period::open_for_reporting(today) {
        report.reminded += remind(db, ctx, p).await?;
    }
    for p in Period::last_past_due(today) {
        report.bureaus_flagged += flag(db, ctx, p).await?;
    }
    Ok(report)
}
