//! The scoped case list: the handler's own cases, the legal reviewer's and the
//! approver's queues, with the 90-day clock on each row; newest change first, a
//! page at a time (at most [`MAX_PER_PAGE`]).

use super::domain::CaseStatus;
use super::json::CaseSummary;
use super::view::{clock_of, user_names};
use crate::auth::CurrentUser;
use crate::entities::{case, case_document, case_party};
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use std::collections::HashMap;
use utoipa::IntoParams;

pub const MAX_PER_PAGE: u64 = 100;

/// Filters of `GET /api/v1/cases`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct CaseFilter {
    /// `mine` (handler or co-handler), `review` (awaiting 法制审核), `approve`
    /// (awaiting 立案, a decision, an extension or 结案), `open` (not closed).
    pub queue: Option<String>,
    pub status: Option<CaseStatus>,
    /// From 1.
    pub page: Option<u64>,
    /// At most 100 (default 20).
    pub per_page: Option<u64>,
}

fn queue(user: &CurrentUser, q: Option<&str>) -> AppResult<Condition> {
    use CaseStatus as S;
    use case::Column as C;
    Ok(match q {
        None | Some("") => Condition::all(),
        Some("mine") => Condition::any().add(C::HandlerId.eq(user.id)).add(C::CoHandlerId.eq(user.id)),
        Some("review") => Condition::all().add(C::Status.is_in([S::Notified, S::Heard, S::Reported])),
        Some("approve") => Condition::all().add(C::Status.is_in([S::Proposed, S::Reviewed, S::Paid, S::Transferred])),
        Some("open") => Condition::all().add(C::Status.is_not_in([S::Closed, S::NotFiled])),
        Some(other) => {
            return Err(AppError::validation("queue", format!("没有队列“{}”", crate::limits::preview(other))));
        }
    })
}

/// A page of the caller's cases and the total. Totals are cached per scope, filter
/// and user (the `mine` queue), dropped on any case write in this process and after
/// 30 s for writes by other processes.
#[allow(clippy::too_many_lines)] // one query and the row assembly, field by field
pub async fn list(
    state: &crate::state::AppState,
    user: &CurrentUser,
    f: &CaseFilter,
    today: NaiveDate,
) -> AppResult<(Vec<CaseSummary>, u64)> {
    let db = state.db.conn();
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let per_page = f.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
    let page = f.page.unwrap_or(1).max(1);
    let mut q = crate::scope::scoped(case::Entity::find(), &user.scope).filter(queue(user, f.queue.as_deref())?);
    if let Some(s) = f.status {
        q = q.filter(case::Column::Status.eq(s));
    }
    let key = format!("{}|{}|{:?}|{:?}", user.scope.cache_key(), user.id, f.queue, f.status);
    let total = if let Some(t) = state.case_totals.get(&key) {
        t
    } else {
        let t = q.clone().count(db).await?;
        state.case_totals.put(key, t);
        t
    };
    let rows = q
        .order_by_desc(case::Column::UpdatedAt)
        .order_by_desc(case::Column::Id)
        .offset((page - 1).saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let numbers: HashMap<i64, String> = case_document::Entity::find()
        .select_only()
        .columns([case_document::Column::CaseId, case_document::Column::Number])
        .filter(case_document::Column::CaseId.is_in(ids.clone()))
        .filter(case_document::Column::Kind.is_in(["case_filing", "simple_decision"]))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut parties: HashMap<i64, Vec<String>> = HashMap::new();
    let party_rows: Vec<(i64, String)> = case_party::Entity::find()
        .select_only()
        .columns([case_party::Column::CaseId, case_party::Column::Name])
        .filter(case_party::Column::CaseId.is_in(ids))
        .order_by_asc(case_party::Column::Position)
        .into_tuple()
        .all(db)
        .await?;
    for (id, name) in party_rows {
        parties.entry(id).or_default().push(name);
    }
    let names = user_names(db, rows.iter().map(|c| c.handler_id).collect()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let p = parties.remove(&c.id).unwrap_or_default();
        let party = match p.len() {
            0 | 1 => p.join(""),
            n => format!("{}等 {n} 个当事人", p[0]),
        };
        out.push(CaseSummary {
            id: c.id,
            number: numbers.get(&c.id).cloned(),
            procedure: c.procedure,
            procedure_label: c.procedure.zh().to_owned(),
            status: c.status,
            status_label: c.status.zh().to_owned(),
            parties: party,
            handler_name: names.get(&c.handler_id).cloned().unwrap_or_default(),
            filed_on: c.filed_on,
            clock: clock_of(&c, today)?,
            fine_total_yuan: c.fine_total_yuan,
            updated_at: c.updated_at,
        });
    }
    Ok((out, total))
}
