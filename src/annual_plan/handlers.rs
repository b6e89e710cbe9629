//! HTTP handlers of the annual plans: extract, call a use case, respond.

use super::coverage::{self, CoverageResponse};
use super::json::{EmptyBody, PlanBody, PlanResponse, PlanSummary, ReasonBody, RecordBody, RevisionEntry};
use super::list::{self, PlanFilter};
use super::{service, view};
use crate::auth::CurrentUser;
use crate::entities::annual_plan as plan;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

async fn respond(state: &AppState, user: &CurrentUser, p: plan::Model) -> AppResult<Json<PlanResponse>> {
    Ok(Json(view::detail(state.db.conn(), user, p).await?))
}

/// A regulator drafts the bureau's plan for a year: 201, `draft`, with its totals and warnings.
#[utoipa::path(post, path = "/api/v1/annual-plans", tag = "annual-plans", request_body = PlanBody,
    responses((status = 201, body = PlanResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<PlanBody>,
) -> AppResult<(StatusCode, Json<PlanResponse>)> {
    let p = state.write(user.actor(), async |tx| service::create(tx, &user, &req).await).await?;
    Ok((StatusCode::CREATED, respond(&state, &user, p).await?))
}

/// The plans (every revision) of the caller's bureau and the bureaus below, newest year first.
#[utoipa::path(get, path = "/api/v1/annual-plans", tag = "annual-plans", params(PlanFilter),
    responses((status = 200, body = ListResponse<PlanSummary>), (status = 403, body = ErrorBody)))]
pub async fn list_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<PlanFilter>,
) -> AppResult<Json<ListResponse<PlanSummary>>> {
    let items = list::list(state.db.conn(), &user, &f).await?;
    Ok(Json(ListResponse { total: items.len() as u64, items }))
}

/// One plan (revision) with its capacity, targets, totals, warnings and allowed actions.
#[utoipa::path(get, path = "/api/v1/annual-plans/{id}", tag = "annual-plans", params(("id" = i64, Path)),
    responses((status = 200, body = PlanResponse), (status = 404, body = ErrorBody)))]
pub async fn get_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<PlanResponse>> {
    let p = service::get_visible(state.db.conn(), &user, id).await?;
    respond(&state, &user, p).await
}

/// A regulator edits a draft (the whole body again).
#[utoipa::path(put, path = "/api/v1/annual-plans/{id}", tag = "annual-plans", params(("id" = i64, Path)),
    request_body = PlanBody,
    responses((status = 200, body = PlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<PlanBody>,
) -> AppResult<Json<PlanResponse>> {
    let p = state.write(user.actor(), async |tx| service::update(tx, &user, id, &req).await).await?;
    respond(&state, &user, p).await
}

/// A regulator submits a draft for approval.
#[utoipa::path(post, path = "/api/v1/annual-plans/{id}/submit", tag = "annual-plans", params(("id" = i64, Path)),
    request_body = EmptyBody,
    responses((status = 200, body = PlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn submit_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(_b): ApiJson<EmptyBody>,
) -> AppResult<Json<PlanResponse>> {
    let p = state.write(user.actor(), async |tx| service::submit(tx, &user, id).await).await?;
    respond(&state, &user, p).await
}

/// An approver of the bureau who did not draft it approves; a revision supersedes the plan it revises.
#[utoipa::path(post, path = "/api/v1/annual-plans/{id}/approve", tag = "annual-plans", params(("id" = i64, Path)),
    request_body = EmptyBody,
    responses((status = 200, body = PlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn approve_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(_b): ApiJson<EmptyBody>,
) -> AppResult<Json<PlanResponse>> {
    let p = state.write(user.actor(), async |tx| service::approve(tx, &user, id).await).await?;
    respond(&state, &user, p).await
}

/// An approver returns a submitted plan for changes, with the reason.
#[utoipa::path(post, path = "/api/v1/annual-plans/{id}/return", tag = "annual-plans", params(("id" = i64, Path)),
    request_body = ReasonBody,
    responses((status = 200, body = PlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn return_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> AppResult<Json<PlanResponse>> {
    let p = state.write(user.actor(), async |tx| service::send_back(tx, &user, id, &b.reason).await).await?;
    respond(&state, &user, p).await
}

/// Record 报本级政府批准 (date, document) and 上一级备案 (date) of an approved plan.
#[utoipa::path(post, path = "/api/v1/annual-plans/{id}/record", tag = "annual-plans", params(("id" = i64, Path)),
    request_body = RecordBody,
    responses((status = 200, body = PlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RecordBody>,
) -> AppResult<Json<PlanResponse>> {
    let p = state.write(user.actor(), async |tx| service::record(tx, &user, id, &b).await).await?;
    respond(&state, &user, p).await
}

/// A regulator revises an approved plan: a new draft revision with its reason (approved again before it applies).
#[utoipa::path(post, path = "/api/v1/annual-plans/{id}/revisions", tag = "annual-plans", params(("id" = i64, Path)),
    request_body = PlanBody,
    responses((status = 201, body = PlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn revise_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<PlanBody>,
) -> AppResult<(StatusCode, Json<PlanResponse>)> {
    let p = state.write(user.actor(), async |tx| service::revise(tx, &user, id, &req).await).await?;
    Ok((StatusCode::CREATED, respond(&state, &user, p).await?))
}

/// The history of the plan's revisions: who, when, why, what changed.
#[utoipa::path(get, path = "/api/v1/annual-plans/{id}/revisions", tag = "annual-plans", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<RevisionEntry>), (status = 404, body = ErrorBody)))]
pub async fn plan_revisions(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<RevisionEntry>>> {
    let p = service::get_visible(state.db.conn(), &user, id).await?;
    Ok(Json(view::revisions(state.db.conn(), &p).await?))
}

/// Coverage done vs planned: key enterprises, random targets, months, capacity.
#[utoipa::path(get, path = "/api/v1/annual-plans/{id}/coverage", tag = "annual-plans", params(("id" = i64, Path)),
    responses((status = 200, body = CoverageResponse), (status = 404, body = ErrorBody)))]
pub async fn plan_coverage(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CoverageResponse>> {
    let p = service::get_visible(state.db.conn(), &user, id).await?;
    Ok(Json(coverage::coverage(state.db.conn(), &p).await?))
}

/// The coverage as a workbook in Chinese.
#[utoipa::path(get, path = "/api/v1/annual-plans/{id}/coverage.xlsx", tag = "annual-plans", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorBody)))]
pub async fn plan_coverage_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let p = service::get_visible(state.db.conn(), &user, id).await?;
    let c = coverage::coverage(state.db.conn(), &p).await?;
    let name = view::bureau_names(state.db.conn(), vec![p.bureau_id]).await?.remove(&p.bureau_id).unwrap_or_default();
    let bytes = super::xlsx::workbook(&p, &name, &c).map_err(|e| AppError::Internal(e.into()))?;
    Ok(crate::xlsx::response(bytes, &format!("{name}{}年度检查计划完成情况.xlsx", p.year)))
}
