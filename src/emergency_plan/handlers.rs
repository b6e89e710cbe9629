//! HTTP handlers of the emergency-plan API: thin (extract, `state.write`, respond).

use super::json::{
    FileEmergencyPlans, FilingFilter, FilingResponse, FilingSummary, RecordDrill, ReturnEmergencyPlans, UnfiledResponse,
};
use super::{drills, service, unfiled, view};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

async fn respond(
    state: &AppState,
    user: &CurrentUser,
    m: crate::entities::emergency_plan_filing::Model,
) -> AppResult<Json<FilingResponse>> {
    Ok(Json(view::respond(state.db.conn(), user, m).await?))
}

/// File the enterprise's emergency plans with its supervising bureau (企业主要负责人、安全管理人员).
#[utoipa::path(post, path = "/api/v1/emergency-plans", tag = "emergency-plans", request_body = FileEmergencyPlans,
    responses((status = 201, body = FilingResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn file_emergency_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<FileEmergencyPlans>,
) -> AppResult<(StatusCode, Json<FilingResponse>)> {
    let m = state.write(user.actor(), async |tx| service::create(tx, &user, &body).await).await?;
    Ok((StatusCode::CREATED, respond(&state, &user, m).await?))
}

/// The filings the caller may see, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/emergency-plans", tag = "emergency-plans", params(FilingFilter),
    responses((status = 200, body = ListResponse<FilingSummary>), (status = 422, body = ErrorBody)))]
pub async fn list_emergency_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<FilingFilter>,
) -> AppResult<Json<ListResponse<FilingSummary>>> {
    Ok(Json(view::list(state.db.conn(), &user, &f).await?))
}

/// One filing with its plans, drills and `allowed_actions`.
#[utoipa::path(get, path = "/api/v1/emergency-plans/{id}", tag = "emergency-plans", params(("id" = i64, Path)),
    responses((status = 200, body = FilingResponse), (status = 404, body = ErrorBody)))]
pub async fn get_emergency_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<FilingResponse>> {
    Ok(Json(view::get(state.db.conn(), &user, id).await?))
}

/// Accept the filing (受理备案) and issue its numbered 备案登记表 (监管人员).
#[utoipa::path(post, path = "/api/v1/emergency-plans/{id}/accept", tag = "emergency-plans", params(("id" = i64, Path)),
    responses((status = 200, body = FilingResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn accept_emergency_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<FilingResponse>> {
    let m = state.write(user.actor(), async |tx| service::accept(tx, &user, id).await).await?;
    respond(&state, &user, m).await
}

/// Return the filing to the enterprise with the reason (监管人员).
#[utoipa::path(post, path = "/api/v1/emergency-plans/{id}/return", tag = "emergency-plans", params(("id" = i64, Path)),
    request_body = ReturnEmergencyPlans,
    responses((status = 200, body = FilingResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn return_emergency_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReturnEmergencyPlans>,
) -> AppResult<Json<FilingResponse>> {
    let m = state.write(user.actor(), async |tx| service::return_filing(tx, &user, id, &body).await).await?;
    respond(&state, &user, m).await
}

/// File a returned filing again with corrected plans (企业).
#[utoipa::path(post, path = "/api/v1/emergency-plans/{id}/resubmit", tag = "emergency-plans", params(("id" = i64, Path)),
    request_body = FileEmergencyPlans,
    responses((status = 200, body = FilingResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn resubmit_emergency_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FileEmergencyPlans>,
) -> AppResult<Json<FilingResponse>> {
    let m = state.write(user.actor(), async |tx| service::resubmit(tx, &user, id, &body).await).await?;
    respond(&state, &user, m).await
}

/// Record a drill (应急演练) of one of an accepted filing's plans (企业).
#[utoipa::path(post, path = "/api/v1/emergency-plans/{id}/drills", tag = "emergency-plans", params(("id" = i64, Path)),
    request_body = RecordDrill,
    responses((status = 201, body = FilingResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_emergency_plan_drill(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RecordDrill>,
) -> AppResult<(StatusCode, Json<FilingResponse>)> {
    state.write(user.actor(), async |tx| drills::record(tx, &user, id, &body).await).await?;
    Ok((StatusCode::CREATED, Json(view::get(state.db.conn(), &user, id).await?)))
}

/// The enterprises in the caller's scope that must file and have no accepted filing (bureau users).
#[utoipa::path(get, path = "/api/v1/emergency-plans/unfiled", tag = "emergency-plans",
    responses((status = 200, body = UnfiledResponse), (status = 403, body = ErrorBody)))]
pub async fn list_unfiled_emergency_plans(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<UnfiledResponse>> {
    Ok(Json(unfiled::list(state.db.conn(), &user).await?))
}
