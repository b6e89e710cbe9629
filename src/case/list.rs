//! The scoped case list: the handler's own cases, the legal reviewer's and the
//! approver's queues, with the 90-day clock on each row; newest change first, a
//! page at a time (at most [`MAX_PER_PAGE`]).

use super::domain::CaseStatus;
use super::domain::Procedure;
use super::json::CaseSummary;
use super::view::clock_at;
use crate::auth::CurrentUser;
use crate::entities::case;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use serde::Deserialize;
use utoipa::IntoParams;

pub const MAX_PER_PAGE: u64 = 100;

/// The columns a list row shows (a case has 39; the facts text is not among these)
/// and what it reads from the case's documents, parties and handler.
#[derive(Debug, sea_orm::FromQueryResult)]
struct ListRow {
    id: i64,
    procedure: Procedure,
    status: CaseStatus,
    filed_on: Option<NaiveDate>,
    time_limit_days: i32,
    fine_total_yuan: i64,
    updated_at: chrono::DateTime<chrono::Utc>,
    number: Option<String>,
    first_party: Option<String>,
    party_count: i64,
    handler_name: Option<String>,
}

// A row's 立案 (or on-site decision) number, parties and handler, read with the row:
// one query per page instead of four.
pub(crate) const NUMBER: &str = "(SELECT d.number FROM case_documents d WHERE d.case_id = cases.id \
    AND d.kind IN ('case_filing', 'simple_decision') ORDER BY d.id LIMIT 1)";
pub(crate) const FIRST_PARTY: &str =
    "(SELECT p.name FROM case_parties p WHERE p.case_id = cases.id ORDER BY p.position LIMIT 1)";
const PARTIES: &str = "(SELECT COUNT(*) FROM case_parties p WHERE p.case_id = cases.id)";
const HANDLER: &str = "(SELECT u.display_name FROM users u WHERE u.id = cases.handler_id)";

impl ListRow {
    const COLUMNS: [case::Column; 7] = [
        case::Column::Id,
        case::Column::Procedure,
        case::Column::Status,
        case::Column::FiledOn,
        case::Column::TimeLimitDays,
        case::Column::FineTotalYuan,
        case::Column::UpdatedAt,
    ];
}

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

/// The queue's condition on the people, and the statuses it lists. Every list names
/// its statuses (all of them by default) so that the `(bureau_id, status,
/// updated_at)` index serves it newest first; `mine` lists by person instead.
fn queue(user: &CurrentUser, q: Option<&str>) -> AppResult<(Condition, Option<Vec<CaseStatus>>)> {
    use CaseStatus as S;
    use case::Column as C;
    Ok(match q {
        None | Some("") => (Condition::all(), Some(S::ALL.to_vec())),
        Some("mine") => (Condition::any().add(C::HandlerId.eq(user.id)).add(C::CoHandlerId.eq(user.id)), None),
        Some("review") => (Condition::all(), Some(vec![S::Notified, S::Heard, S::Reported])),
        Some("approve") => (Condition::all(), Some(vec![S::Proposed, S::Reviewed, S::Paid, S::Transferred])),
        Some("open") => {
            let open = S::ALL.iter().copied().filter(|s| !matches!(s, S::Closed | S::NotFiled)).collect();
            (Condition::all(), Some(open))
        }
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
    let (people, statuses) = queue(user, f.queue.as_deref())?;
    let statuses = match (statuses, f.status) {
        (Some(all), Some(s)) => Some(all.into_iter().filter(|x| *x == s).collect()),
        (None, Some(s)) => Some(vec![s]),
        (all, None) => all,
    };
    let mut q = crate::scope::scoped(case::Entity::find(), &user.scope).filter(people);
    if let Some(s) = statuses {
        q = q.filter(case::Column::Status.is_in(s));
    }
    let key = format!("{}|{}|{:?}|{:?}", user.scope.cache_key(), user.id, f.queue, f.status);
    let total = if let Some(t) = state.case_totals.get(&key) {
        t
    } else {
        let t = q.clone().count(db).await?;
        state.case_totals.put(key, t);
        t
    };
    // The page's ids first, from the index alone; then those rows.
    let page_ids = q
        .select_only()
        .column(case::Column::Id)
        .order_by_desc(case::Column::UpdatedAt)
        .order_by_desc(case::Column::Id)
        .offset((page - 1).saturating_mul(per_page))
        .limit(per_page)
        .into_query();
    let rows = case::Entity::find()
        .select_only()
        .columns(ListRow::COLUMNS)
        .expr_as(Expr::cust(NUMBER), "number")
        .expr_as(Expr::cust(FIRST_PARTY), "first_party")
        .expr_as(Expr::cust(PARTIES), "party_count")
        .expr_as(Expr::cust(HANDLER), "handler_name")
        .filter(case::Column::Id.in_subquery(page_ids))
        .order_by_desc(case::Column::UpdatedAt)
        .order_by_desc(case::Column::Id)
        .into_model::<ListRow>()
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let first = c.first_party.unwrap_or_default();
        let party = match c.party_count {
            0 | 1 => first,
            n => format!("{first}等 {n} 个当事人"),
        };
        out.push(CaseSummary {
            id: c.id,
            number: c.number,
            procedure: c.procedure,
            procedure_label: c.procedure.zh().to_owned(),
            status: c.status,
            status_label: c.status.zh().to_owned(),
            parties: party,
            handler_name: c.handler_name.unwrap_or_default(),
            filed_on: c.filed_on,
            clock: clock_at(c.filed_on, c.status, c.time_limit_days, today)?,
            fine_total_yuan: c.fine_total_yuan,
            updated_at: c.updated_at,
        });
    }
    Ok((out, total))
}
