//! HTTP handlers of the ledger: extract, authorise, call a service, respond.

use super::json::{CountRow, CreateHazardRequest, HazardFilter, HazardResponse, HazardSummary};
use super::{list, service, view};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Record a hazard (any channel).
#[utoipa::path(post, path = "/api/v1/hazards", tag = "hazards", request_body = CreateHazardRequest,
    responses((status = 201, body = HazardResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_hazard(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateHazardRequest>,
) -> AppResult<(StatusCode, Json<HazardResponse>)> {
    let (row, warnings) = state.write(user.actor(), async |tx| service::create(tx, &user, &req).await).await?;
    let mut body = view::detail(state.db.conn(), &user, row, state.clock.today()).await?;
    body.warnings = warnings;
    Ok((StatusCode::CREATED, Json(body)))
}

/// The ledger in the user's scope.
#[utoipa::path(get, path = "/api/v1/hazards", tag = "hazards", params(HazardFilter),
    responses((status = 200, body = ListResponse<HazardSummary>), (status = 422, body = ErrorBody)))]
pub async fn list_hazards(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(filter): ApiQuery<HazardFilter>,
) -> AppResult<Json<ListResponse<HazardSummary>>> {
    let today = state.clock.today();
    let (items, total) = list::list(&state, &user.scope, &filter, today).await?;
    Ok(Json(ListResponse { items: items.into_iter().map(|h| view::summary(h, today)).collect(), total }))
}

/// Counts by status × level × sector in the user's scope.
#[utoipa::path(get, path = "/api/v1/hazards/counts", tag = "hazards",
    responses((status = 200, body = Vec<CountRow>)))]
pub async fn hazard_counts(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Vec<CountRow>>> {
    Ok(Json(list::counts(state.db.conn(), &user.scope).await?))
}

/// One hazard with its timeline and attachments.
#[utoipa::path(get, path = "/api/v1/hazards/{id}", tag = "hazards", params(("id" = i64, Path)),
    responses((status = 200, body = HazardResponse), (status = 404, body = ErrorBody)))]
pub async fn get_hazard(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<HazardResponse>> {
    let row = service::get_visible(state.db.conn(), &user, id).await?;
    Ok(Json(view::detail(state.db.conn(), &user, row, state.clock.today()).await?))
}

/// 双报告: file or amend the major-hazard report (enterprise principal or safety officer).
#[utoipa::path(put, path = "/api/v1/hazards/{id}/report", tag = "hazards", params(("id" = i64, Path)),
    request_body = super::report::MajorReport,
    responses((status = 200, body = HazardResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn file_major_report(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<super::report::MajorReport>,
) -> AppResult<Json<HazardResponse>> {
    let row = state.write(user.actor(), async |tx| super::report::file(tx, &user, id, &req).await).await?;
    Ok(Json(view::detail(state.db.conn(), &user, row, state.clock.today()).await?))
}
