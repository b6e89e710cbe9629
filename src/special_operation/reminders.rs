//! The nightly special-operation to-dos (a step of `crate::jobs`), for the
//! enterprise's 主要负责人 and 安全管理人员: a certificate expiring within the window
//! of the rules (`reminders.days_before`, 60) or expired, a review due within it or
//! overdue, and a worker listed without a certificate. Set-based: one query per
//! kind over running listings of open enterprises, read in chunks by id; each
//! to-do's dedupe key names the listing and the date it is about, so a re-run adds
//! nothing and a renewed certificate gets new to-dos.
//!
//! The to-dos close with the step (`todo::closes_with_step`): recording a new
//! certificate or review date, or ending the listing ([`close_resolved`]).

use super::list::cert_of;
use super::rules::rules;
use crate::auth::Role;
use crate::enterprise::domain::EnterpriseStatus;
use crate::entities::{enterprise, special_operation_worker as worker, todo};
use crate::error::AppResult;
use crate::notice::{self, Notice};
use crate::todo::Assignee;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::BTreeMap;

/// Listings read at once.
const CHUNK: u64 = 1_000;

/// What one run added (to-dos written, each for one role of one enterprise).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ReminderReport {
    pub expiring: u64,
    pub review_due: u64,
    pub missing: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Expiry,
    Review,
    Missing,
}

/// The key prefix of every to-do about listing `id`.
pub fn key_prefix(id: i64) -> String {
    format!("special_operation:{id}:")
}

/// The key prefixes the listing's present state calls for (whatever the day).
fn current_prefixes(w: &worker::Model) -> Vec<String> {
    let p = key_prefix(w.id);
    match cert_of(w) {
        None => vec![format!("{p}missing:")],
        Some(c) => {
            let mut out = vec![format!("{p}expiry:{}:", c.expires_on)];
            out.extend(c.review_due.map(|r| format!("{p}review:{r}:")));
            out
        }
    }
}

/// Closes the listing's open to-dos its present state no longer calls for (all of
/// them once it ended), in the caller's transaction.
pub async fn close_resolved<C: ConnectionTrait>(db: &C, w: &worker::Model, at: DateTime<Utc>) -> AppResult<()> {
    let keep = if w.ended_on.is_some() { Vec::new() } else { current_prefixes(w) };
    let open: Vec<(i64, String)> = todo::Entity::find()
        .select_only()
        .columns([todo::Column::Id, todo::Column::DedupeKey])
        .filter(todo::Column::DedupeKey.starts_with(key_prefix(w.id)))
        .filter(todo::Column::DoneAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let done: Vec<i64> =
        open.into_iter().filter(|(_, k)| !keep.iter().any(|p| k.starts_with(p.as_str()))).map(|(id, _)| id).collect();
    if !done.is_empty() {
        todo::Entity::update_many()
            .col_expr(todo::Column::DoneAt, Expr::value(at))
            .filter(todo::Column::Id.is_in(done))
            .exec(db)
            .await?;
    }
    Ok(())
}

fn condition(kind: Kind, horizon: NaiveDate) -> Condition {
    use worker::Column as W;
    let held = Condition::all().add(W::CertificateNo.is_not_null());
    match kind {
        Kind::Expiry => held.add(W::ExpiresOn.lte(horizon)),
        // An expiry inside the window is the one to-do (as the status ranks 将到期 first).
        Kind::Review => held.add(W::ExpiresOn.gt(horizon)).add(W::ReviewDue.lte(horizon)),
        Kind::Missing => Condition::all().add(W::CertificateNo.is_null()),
    }
}

fn notice_of(kind: Kind, w: &worker::Model, enterprise: &str, category: &str, today: NaiveDate) -> Vec<Notice> {
    let (date, words) = match kind {
        Kind::Expiry => {
            let d = w.expires_on.unwrap_or(today);
            let words = if d < today {
                format!("已于 {d} 过期，请及时换证")
            } else {
                format!("将于 {d} 到期，请及时换证")
            };
            (Some(d), words)
        }
        Kind::Review => {
            let d = w.review_due.unwrap_or(today);
            let words = if d < today {
                format!("应于 {d} 复审，已逾期")
            } else {
                format!("应于 {d} 前复审，请按时申请复审")
            };
            (Some(d), words)
        }
        Kind::Missing => (None, "尚未登记特种作业操作证，未持证不得上岗作业".to_owned()),
    };
    let tag = match kind {
        Kind::Expiry => "expiry",
        Kind::Review => "review",
        Kind::Missing => "missing",
    };
    let at = date.map(|d| d.to_string()).unwrap_or_default();
    [Role::Principal, Role::SafetyOfficer]
        .into_iter()
        .map(|role| Notice {
            assignee: Assignee::EnterpriseRole(w.enterprise_id, role),
            todo_kind: "special_operation_certificate",
            title: format!("{enterprise}的特种作业人员{}（{category}）{words}", w.name),
            link: format!("/enterprises/{}/special-operations", w.enterprise_id),
            mail: None,
            ctx: crate::mail::NoticeContext::default(),
            key: format!("{}{tag}:{at}:{}", key_prefix(w.id), role.as_str()),
        })
        .collect()
}

async fn one_kind<C: ConnectionTrait>(db: &C, at: DateTime<Utc>, kind: Kind) -> AppResult<u64> {
    use worker::Column as W;
    let r = rules()?;
    let today = crate::clock::china_date(at);
    let horizon = today.checked_add_days(Days::new(u64::from(r.reminders.days_before))).unwrap_or(today);
    let (mut after, mut written) = (0_i64, 0_u64);
    loop {
        let rows: Vec<(worker::Model, Option<enterprise::Model>)> = worker::Entity::find()
            .find_also_related(enterprise::Entity)
            .filter(W::EndedOn.is_null())
            .filter(enterprise::Column::Status.ne(EnterpriseStatus::Closed))
            .filter(condition(kind, horizon))
            .filter(W::Id.gt(after))
            .order_by_asc(W::Id)
            .limit(CHUNK)
            .all(db)
            .await?;
        let Some(last) = rows.last().map(|(w, _)| w.id) else { break };
        after = last;
        let mut due: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
        let mut notices = Vec::new();
        for (w, e) in &rows {
            let name = e.as_ref().map(|e| e.name.as_str()).unwrap_or_default();
            let ns = notice_of(kind, w, name, &r.category_name(&w.category), today);
            let date = if kind == Kind::Review { w.review_due } else { w.expires_on };
            if let Some(d) = date {
                due.entry(d).or_default().extend(ns.iter().map(|n| n.key.clone()));
            }
            notices.extend(ns);
        }
        written += notice::send(db, at, notices).await?.todos;
        for (d, keys) in due {
            crate::todo::set_due(db, keys, Some(d)).await?;
        }
    }
    Ok(written)
}

/// Runs the step on `at` (the day is Beijing's).
pub async fn run<C: ConnectionTrait>(db: &C, at: DateTime<Utc>) -> AppResult<ReminderReport> {
    Ok(ReminderReport {
        expiring: one_kind(db, at, Kind::Expiry).await?,
        review_due: one_kind(db, at, Kind::Review).await?,
        missing: one_kind(db, at, Kind::Missing).await?,
    })
}
