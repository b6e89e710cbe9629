//! HTTP handlers of self-inspection: extract, call a use case, respond.

use super::json::{
    CreatePlanRequest, CreateTaskRequest, OverviewQuery, OverviewResponse, PlanResponse, ResultInput, TaskFilter,
    TaskResponse, TaskSummary, UpdatePlanRequest,
};
use super::{generate, list, overview, plans, results};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

/// Create a plan (排查计划) for the user's enterprise (principal, safety officer).
#[utoipa::path(post, path = "/api/v1/self-inspection-plans", tag = "self-inspection", request_body = CreatePlanRequest,
    responses((status = 201, body = PlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreatePlanRequest>,
) -> AppResult<(StatusCode, Json<PlanResponse>)> {
    let row = state.write(user.actor(), async |tx| plans::create(tx, &user, &req).await).await?;
    Ok((StatusCode::CREATED, Json(plans::get(state.db.conn(), &user, row.id).await?)))
}

/// Filter of the plan list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanFilter {
    pub enterprise_id: Option<i64>,
}

/// The plans in the user's scope (an enterprise's own; a bureau's below it), at most 500.
#[utoipa::path(get, path = "/api/v1/self-inspection-plans", tag = "self-inspection", params(PlanFilter),
    responses((status = 200, body = ListResponse<PlanResponse>), (status = 403, body = ErrorBody)))]
pub async fn list_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<PlanFilter>,
) -> AppResult<Json<ListResponse<PlanResponse>>> {
    let items = plans::list(state.db.conn(), &user, f.enterprise_id).await?;
    Ok(Json(ListResponse { total: items.len() as u64, items }))
}

/// One plan.
#[utoipa::path(get, path = "/api/v1/self-inspection-plans/{id}", tag = "self-inspection", params(("id" = i64, Path)),
    responses((status = 200, body = PlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<PlanResponse>> {
    Ok(Json(plans::get(state.db.conn(), &user, id).await?))
}

/// Edit or retire (`"active": false`) a plan.
#[utoipa::path(patch, path = "/api/v1/self-inspection-plans/{id}", tag = "self-inspection", params(("id" = i64, Path)),
    request_body = UpdatePlanRequest,
    responses((status = 200, body = PlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<UpdatePlanRequest>,
) -> AppResult<Json<PlanResponse>> {
    let row = state.write(user.actor(), async |tx| plans::update(tx, &user, id, &req).await).await?;
    Ok(Json(plans::get(state.db.conn(), &user, row.id).await?))
}

/// Create an ad hoc task (事故类比, 节假日前, 复产复工前 …) with its items pinned.
#[utoipa::path(post, path = "/api/v1/self-inspection-tasks", tag = "self-inspection", request_body = CreateTaskRequest,
    responses((status = 201, body = TaskResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_task(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateTaskRequest>,
) -> AppResult<(StatusCode, Json<TaskResponse>)> {
    let row = state.write(user.actor(), async |tx| generate::ad_hoc(tx, &user, &req).await).await?;
    Ok((StatusCode::CREATED, Json(list::detail(state.db.conn(), &user, row, state.clock.today()).await?)))
}

/// The tasks in the user's scope, filtered (open first by due date).
#[utoipa::path(get, path = "/api/v1/self-inspection-tasks", tag = "self-inspection", params(TaskFilter),
    responses((status = 200, body = ListResponse<TaskSummary>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_tasks(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<TaskFilter>,
) -> AppResult<Json<ListResponse<TaskSummary>>> {
    let (items, total) = list::list(state.db.conn(), &user, &f, state.clock.today()).await?;
    Ok(Json(ListResponse { items, total }))
}

/// One task with every pinned item and its outcome.
#[utoipa::path(get, path = "/api/v1/self-inspection-tasks/{id}", tag = "self-inspection", params(("id" = i64, Path)),
    responses((status = 200, body = TaskResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_task(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<TaskResponse>> {
    let row = list::get_visible(state.db.conn(), &user, id).await?;
    Ok(Json(list::detail(state.db.conn(), &user, row, state.clock.today()).await?))
}

/// Record outcomes (符合 / 不符合 / 不适用 / 未检查) of some items, in one batch.
#[utoipa::path(put, path = "/api/v1/self-inspection-tasks/{id}/results", tag = "self-inspection",
    params(("id" = i64, Path)), request_body = Vec<ResultInput>,
    responses((status = 200, body = TaskResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_results(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<Vec<ResultInput>>,
) -> AppResult<Json<TaskResponse>> {
    let row = state.write(user.actor(), async |tx| results::record(tx, &user, id, &req).await).await?;
    Ok(Json(list::detail(state.db.conn(), &user, row, state.clock.today()).await?))
}

/// Complete a task: every item keeps its row (无隐患也留痕); each 不符合 item becomes a self-found hazard.
#[utoipa::path(post, path = "/api/v1/self-inspection-tasks/{id}/complete", tag = "self-inspection",
    params(("id" = i64, Path)),
    responses((status = 200, body = TaskResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn complete_task(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<TaskResponse>> {
    let row = state.write(user.actor(), async |tx| results::complete(tx, &user, id).await).await?;
    Ok(Json(list::detail(state.db.conn(), &user, row, state.clock.today()).await?))
}

/// Regulators: completion per enterprise in scope and the zero-findings warning.
#[utoipa::path(get, path = "/api/v1/self-inspection/overview", tag = "self-inspection", params(OverviewQuery),
    responses((status = 200, body = OverviewResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn self_inspection_overview(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<OverviewQuery>,
) -> AppResult<Json<OverviewResponse>> {
    Ok(Json(overview::overview(state.db.conn(), &user, &q, state.clock.today()).await?))
}
