//! The in-app to-do list (待办). Every module adds items here: for one user, or
//! for everyone holding a role in a bureau or an enterprise. Each item has a
//! dedupe key, so the same cause never produces two items whatever the retries.
//!
//! A to-do may carry the date its step is due (`due_on`); the list shows its
//! urgency (逾期 N 天 / 今天到期 / N 天后到期) and comes most urgent first,
//! undated items last, newest first among equals.
//!
//! A **system** to-do (待认定, 待交办, 待制定治理方案, 待整改, 待验收 … of the
//! ledger, and the quarterly statistics) closes when its step is taken, in the
//! step's own transaction; it cannot be ticked off by hand (409
//! `todo_closes_with_step`). Only other items (e.g. "开通企业账号" after an
//! import) keep the 完成 button.

pub mod urgency;

pub use urgency::Urgency;

use crate::auth::{CurrentUser, Role};
use crate::entities::todo;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiPath, ListResponse};
use crate::routes::{ApiRoutes, routes};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

/// At most this many open to-dos are listed (the most urgent).
pub const LIST_CAP: u64 = 500;

/// Who an item is for.
#[derive(Debug, Clone)]
pub enum Assignee {
    User(i64),
    BureauRole(i64, Role),
    EnterpriseRole(i64, Role),
}

#[derive(Debug, Clone)]
pub struct NewTodo {
    pub assignee: Assignee,
    pub kind: &'static str,
    pub title: String,
    pub link: String,
    /// Same key, same item: a second add is ignored.
    pub dedupe_key: String,
}

/// The row of a new item.
pub fn row(at: DateTime<Utc>, t: NewTodo) -> todo::ActiveModel {
    let (user_id, bureau_id, enterprise_id, role) = match t.assignee {
        Assignee::User(u) => (Some(u), None, None, None),
        Assignee::BureauRole(b, r) => (None, Some(b), None, Some(r)),
        Assignee::EnterpriseRole(e, r) => (None, None, Some(e), Some(r)),
    };
    todo::ActiveModel {
        user_id: Set(user_id),
        bureau_id: Set(bureau_id),
        enterprise_id: Set(enterprise_id),
        role: Set(role),
        kind: Set(t.kind.to_owned()),
        title: Set(t.title),
        link: Set(t.link),
        dedupe_key: Set(t.dedupe_key),
        created_at: Set(at),
        done_at: Set(None),
        due_on: Set(None),
        ..Default::default()
    }
}

/// Adds an item unless one with the same key exists (inside the caller's transaction).
pub async fn add<C: ConnectionTrait>(db: &C, at: DateTime<Utc>, t: NewTodo) -> AppResult<()> {
    todo::Entity::insert(row(at, t))
        .on_conflict(OnConflict::column(todo::Column::DedupeKey).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Sets the due date of the open items with these keys (written just before, in the same transaction).
pub async fn set_due<C: ConnectionTrait>(db: &C, keys: Vec<String>, due: Option<NaiveDate>) -> AppResult<()> {
    let Some(due) = due else { return Ok(()) };
    for chunk in keys.chunks(500) {
        todo::Entity::update_many()
            .col_expr(todo::Column::DueOn, Expr::value(due))
            .filter(todo::Column::DedupeKey.is_in(chunk.iter().cloned()))
            .filter(todo::Column::DoneAt.is_null())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Whether an item closes when its step is taken (no 完成 by hand): the
/// ledger's items (`hazard:…`), the 双报告 due after 认定 (`major_report:…`,
/// closed by filing it), the statistics reminders (`hazard_stats:…`) and the
/// self-inspection tasks (`self_inspection:…`, done at completion), the late
/// double-random publications (`draw_publish_late:…`, done by publishing), the
/// risk-point reviews (`risk_review:…`, done by recording the review) and an
/// accident's overdue reports and measures (`accident_report:…`, `accident_measure:…`,
/// done by recording the report or completing the measure) and the special-operation
/// certificates' (`special_operation:…`, done by renewing the certificate or ending the listing).
pub fn closes_with_step(dedupe_key: &str) -> bool {
    [
        "hazard:",
        "major_report:",
        "hazard_stats:",
        "self_inspection:",
        "draw_publish_late:",
        "risk_review:",
        "accident_report:",
        "accident_measure:",
        "special_operation:",
        "emergency_plan_",
    ]
    .iter()
    .any(|p| dedupe_key.starts_with(p))
}

fn mine(user: &CurrentUser) -> Condition {
    let roles: Vec<String> = user.roles.iter().map(|r| r.as_str().to_owned()).collect();
    let mut c = Condition::any().add(todo::Column::UserId.eq(user.id));
    if let Some(b) = &user.bureau {
        c = c.add(Condition::all().add(todo::Column::BureauId.eq(b.id)).add(todo::Column::Role.is_in(roles.clone())));
    }
    if !user.enterprise_ids.is_empty() {
        c = c.add(
            Condition::all()
                .add(todo::Column::EnterpriseId.is_in(user.enterprise_ids.iter().copied()))
                .add(todo::Column::Role.is_in(roles)),
        );
    }
    c
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TodoResponse {
    pub id: i64,
    /// e.g. `hazard_to_assign` (待交办), `hazard_to_plan` (待制定治理方案).
    pub kind: String,
    pub title: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    /// The Beijing date the step is due, if it has one.
    pub due_on: Option<NaiveDate>,
    /// `overdue`, `due_today`, `upcoming` or `undated`, as of today in Beijing.
    pub urgency: Urgency,
    /// Days until the due date (negative: days overdue); none when undated.
    pub days_left: Option<i64>,
    /// The urgency in words: 逾期 3 天, 今天到期, 5 天后到期, —.
    pub urgency_label: String,
    /// Closes by itself when its step is taken; only other items may be marked done.
    pub closes_with_step: bool,
}

impl TodoResponse {
    pub fn of(t: todo::Model, today: NaiveDate) -> Self {
        let (urgency, days_left) = Urgency::of(t.due_on, today);
        Self {
            id: t.id,
            closes_with_step: closes_with_step(&t.dedupe_key),
            kind: t.kind,
            title: t.title,
            link: t.link,
            created_at: t.created_at,
            due_on: t.due_on,
            urgency,
            days_left,
            urgency_label: urgency::label(urgency, days_left),
        }
    }
}

/// The user's open items, most urgent first (at most [`LIST_CAP`]), and how many there are.
pub async fn open_for(state: &AppState, user: &CurrentUser) -> AppResult<(Vec<todo::Model>, u64)> {
    let db = state.db.conn();
    let open = todo::Entity::find().filter(mine(user)).filter(todo::Column::DoneAt.is_null());
    let total = open.clone().count(db).await?;
    let items = open
        .order_by_asc(Expr::cust("CASE WHEN due_on IS NULL THEN 1 ELSE 0 END"))
        .order_by_asc(todo::Column::DueOn)
        .order_by_desc(todo::Column::Id)
        .limit(LIST_CAP)
        .all(db)
        .await?;
    Ok((items, total))
}

/// My open to-dos, most urgent first (overdue, due today, by due date; undated last).
#[utoipa::path(get, path = "/api/v1/todos", tag = "todos", responses((status = 200, body = ListResponse<TodoResponse>)))]
pub async fn list_todos(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<ListResponse<TodoResponse>>> {
    let today = state.clock.today();
    let (rows, total) = open_for(&state, &user).await?;
    let items = rows.into_iter().map(|t| TodoResponse::of(t, today)).collect();
    Ok(Json(ListResponse { items, total }))
}

/// Mark one of my to-dos done. A to-do that closes with its step is refused (409 `todo_closes_with_step`).
#[utoipa::path(post, path = "/api/v1/todos/{id}/done", tag = "todos", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn complete_todo(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    state.write(user.actor(), async |tx| complete(tx, &user, id).await).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks one of the user's items done (idempotent); 404 for anyone else's,
/// 409 for an item that closes when its step is taken.
pub async fn complete(tx: &crate::write::Tx, user: &CurrentUser, id: i64) -> AppResult<()> {
    let found = todo::Entity::find_by_id(id).filter(mine(user)).one(tx).await?.ok_or(AppError::NotFound)?;
    if closes_with_step(&found.dedupe_key) {
        return Err(AppError::conflict("todo_closes_with_step", "该待办在办理相应步骤后自动完成，无需手动标记"));
    }
    if found.done_at.is_none() {
        todo::Entity::update_many()
            .col_expr(todo::Column::DoneAt, Expr::value(tx.now()))
            .filter(todo::Column::Id.eq(id))
            .exec(tx)
            .await?;
    }
    Ok(())
}

pub fn routes() -> ApiRoutes {
    ApiRoutes::new().routes(routes!(list_todos)).routes(routes!(complete_todo))
}
