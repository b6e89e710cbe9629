//! HTTP handlers of the draw: extract, call a use case, respond.

use super::approve::{self, ApproveAllResponse};
use super::json::{CommitDraw, ExecuteDraw};
use super::proof::Proof;
use super::service;
use super::view::{self, DrawResponse, DrawSummary};
use crate::auth::CurrentUser;
use crate::entities::{bureau, draw};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse, PageParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::EntityTrait;

async fn respond(
    state: &AppState,
    user: &CurrentUser,
    d: draw::Model,
    page: PageParams,
) -> AppResult<Json<DrawResponse>> {
    Ok(Json(view::detail(state.db.conn(), user, d, page.resolve()?).await?))
}

const FIRST: PageParams = PageParams { page: None, per_page: None };

/// Commit a draw (a regulator): the pools frozen and hashed, the secret committed: 201, `committed`.
#[utoipa::path(post, path = "/api/v1/draws", tag = "draws", request_body = CommitDraw,
    responses((status = 201, body = DrawResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn commit_draw(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CommitDraw>,
) -> AppResult<(StatusCode, Json<DrawResponse>)> {
    let d = state.write(user.actor(), async |tx| service::commit(tx, &user, &req).await).await?;
    Ok((StatusCode::CREATED, respond(&state, &user, d, FIRST).await?))
}

/// The draws of the caller's bureau and the bureaus below, newest first, paged.
#[utoipa::path(get, path = "/api/v1/draws", tag = "draws", params(PageParams),
    responses((status = 200, body = ListResponse<DrawSummary>), (status = 422, body = ErrorBody)))]
pub async fn list_draws(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<ListResponse<DrawSummary>>> {
    let (items, total) = view::list(state.db.conn(), &user, page.resolve()?).await?;
    Ok(Json(ListResponse { items, total }))
}

/// One draw with its hashes, counts, allowed actions and a page of its tasks (`page`, `per_page`).
#[utoipa::path(get, path = "/api/v1/draws/{id}", tag = "draws", params(("id" = i64, Path), PageParams),
    responses((status = 200, body = DrawResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_draw(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<DrawResponse>> {
    let d = service::get_visible(state.db.conn(), &user, id).await?;
    respond(&state, &user, d, page).await
}

/// Execute a committed draw: the secret checked against the commitment, the tasks drawn,
/// the inspections created pending approval.
#[utoipa::path(post, path = "/api/v1/draws/{id}/execute", tag = "draws", params(("id" = i64, Path)),
    request_body = ExecuteDraw,
    responses((status = 200, body = DrawResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn execute_draw(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ExecuteDraw>,
) -> AppResult<Json<DrawResponse>> {
    let d = state.write(user.actor(), async |tx| service::execute(tx, &user, id, &req).await).await?;
    respond(&state, &user, d, FIRST).await
}

/// An approver approves every pending inspection of the draw that may be approved (numbers reserved).
#[utoipa::path(post, path = "/api/v1/draws/{id}/approve", tag = "draws", params(("id" = i64, Path)),
    responses((status = 200, body = ApproveAllResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn approve_draw(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ApproveAllResponse>> {
    Ok(Json(state.write(user.actor(), async |tx| approve::approve_all(tx, &user, id).await).await?))
}

/// The full proof of a draw (the auditors' copy, with user ids), for bureau users in scope.
#[utoipa::path(get, path = "/api/v1/draws/{id}/proof", tag = "draws", params(("id" = i64, Path)),
    responses((status = 200, body = Proof), (status = 404, body = ErrorBody)))]
pub async fn draw_proof(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Proof>> {
    let db = state.db.conn();
    let d = service::get_visible(db, &user, id).await?;
    let b = bureau::Entity::find_by_id(d.bureau_id).one(db).await?.ok_or(AppError::NotFound)?;
    let tasks = service::tasks(db, d.id).await?;
    let frozen = super::pool_store::load(db, d.id).await?;
    Ok(Json(super::proof::build(&d, frozen, &b.name, &tasks, false)))
}
