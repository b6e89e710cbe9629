//! The in-app to-do list (待办). Every module adds items here: for one user, or
//! for everyone holding a role in a bureau or an enterprise. Each item has a
//! dedupe key, so the same cause never produces two items whatever the retries.

use crate::auth::{CurrentUser, Role};
use crate::entities::todo;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiPath, ListResponse};
use crate::routes::{ApiRoutes, routes};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

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
    pub kind: String,
    pub title: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
}

/// Open items for a user, newest first.
pub async fn open_for(state: &AppState, user: &CurrentUser) -> AppResult<Vec<todo::Model>> {
    Ok(todo::Entity::find()
        .filter(mine(user))
        .filter(todo::Column::DoneAt.is_null())
        .order_by_desc(todo::Column::Id)
        .all(state.db.conn())
        .await?)
}

/// My open to-dos.
#[utoipa::path(get, path = "/api/v1/todos", tag = "todos", responses((status = 200, body = ListResponse<TodoResponse>)))]
pub async fn list_todos(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<ListResponse<TodoResponse>>> {
    let items: Vec<TodoResponse> = open_for(&state, &user)
        .await?
        .into_iter()
        .map(|t| TodoResponse { id: t.id, kind: t.kind, title: t.title, link: t.link, created_at: t.created_at })
        .collect();
    let total = items.len() as u64;
    Ok(Json(ListResponse { items, total }))
}

/// Mark one of my to-dos done.
#[utoipa::path(post, path = "/api/v1/todos/{id}/done", tag = "todos", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn complete_todo(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    state.write(user.actor(), async |tx| complete(tx, &user, id).await).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks one of the user's items done (idempotent); 404 for anyone else's.
pub async fn complete(tx: &crate::write::Tx, user: &CurrentUser, id: i64) -> AppResult<()> {
    let found = todo::Entity::find_by_id(id).filter(mine(user)).one(tx).await?.ok_or(AppError::NotFound)?;
    if found.done_at.is_none() {
        todo::Entity::update_many()
            .col_expr(todo::Column::DoneAt, sea_orm::sea_query::Expr::value(tx.now()))
            .filter(todo::Column::Id.eq(id))
            .exec(tx)
            .await?;
    }
    Ok(())
}

pub fn routes() -> ApiRoutes {
    ApiRoutes::new().routes(routes!(list_todos)).routes(routes!(complete_todo))
}
