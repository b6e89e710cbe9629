//! HTTP handlers of what follows an accident: figures (补报), reports and flags,
//! the investigation and its findings, the 整改措施. Every write is by 监管人员.

use super::figures::{self, FigureChange, UpdateFigures};
use super::investigation::{
    self, InvestigationResponse, PutInvestigation, ResponsibilityFinding, ResponsibilityRequest,
};
use super::json::AccidentResponse;
use super::measures::{self, AccidentMeasureResponse, CompleteAccidentMeasure, CreateAccidentMeasure};
use super::reports::{self, FlagRequest, FlagView, RecordReport, ReportView, Timeline};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Changed figures (补报) within 30 days (fire: 7) of the accident; regraded. After the window, 409.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/figures", tag = "accidents", params(("id" = i64, Path)),
    request_body = UpdateFigures,
    responses((status = 200, body = AccidentResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_figures(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateFigures>,
) -> AppResult<Json<AccidentResponse>> {
    Ok(Json(state.write(user.actor(), async |tx| figures::update(tx, &user, id, &body).await).await?))
}

/// The history of an accident's figures, oldest first.
#[utoipa::path(get, path = "/api/v1/accidents/{id}/figures", tag = "accidents", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<FigureChange>), (status = 404, body = ErrorBody)))]
pub async fn list_figure_changes(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<FigureChange>>> {
    Ok(Json(figures::history(state.db.conn(), &user, id).await?))
}

/// Records a report from one level to the next (逐级上报).
#[utoipa::path(post, path = "/api/v1/accidents/{id}/reports", tag = "accidents", params(("id" = i64, Path)),
    request_body = RecordReport,
    responses((status = 201, body = ReportView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_report(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RecordReport>,
) -> AppResult<(StatusCode, Json<ReportView>)> {
    let r = state.write(user.actor(), async |tx| reports::record(tx, &user, id, &body).await).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// The report timeline: the legal steps with due times, the reports, the flags.
#[utoipa::path(get, path = "/api/v1/accidents/{id}/reports", tag = "accidents", params(("id" = i64, Path)),
    responses((status = 200, body = Timeline), (status = 404, body = ErrorBody)))]
pub async fn get_timeline(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Timeline>> {
    Ok(Json(reports::timeline(state.db.conn(), &user, id, state.clock.now()).await?))
}

/// Flags the accident 谎报, 瞒报 or 漏报 with the reason.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/flags", tag = "accidents", params(("id" = i64, Path)),
    request_body = FlagRequest,
    responses((status = 201, body = FlagView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn flag_accident(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FlagRequest>,
) -> AppResult<(StatusCode, Json<FlagView>)> {
    let f = state.write(user.actor(), async |tx| reports::add_flag(tx, &user, id, &body).await).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// The investigation: team, the report's due date, the report, the findings.
#[utoipa::path(get, path = "/api/v1/accidents/{id}/investigation", tag = "accidents", params(("id" = i64, Path)),
    responses((status = 200, body = InvestigationResponse), (status = 404, body = ErrorBody)))]
pub async fn get_investigation(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<InvestigationResponse>> {
    Ok(Json(investigation::get(state.db.conn(), &user, id, state.clock.now()).await?))
}

/// Records or replaces the investigation (the team, an extension, the report).
#[utoipa::path(put, path = "/api/v1/accidents/{id}/investigation", tag = "accidents", params(("id" = i64, Path)),
    request_body = PutInvestigation,
    responses((status = 200, body = InvestigationResponse), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_investigation(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PutInvestigation>,
) -> AppResult<Json<InvestigationResponse>> {
    Ok(Json(state.write(user.actor(), async |tx| investigation::put(tx, &user, id, &body).await).await?))
}

/// Adds a finding of responsibility (责任认定).
#[utoipa::path(post, path = "/api/v1/accidents/{id}/investigation/findings", tag = "accidents",
    params(("id" = i64, Path)), request_body = ResponsibilityRequest,
    responses((status = 201, body = ResponsibilityFinding), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_finding(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ResponsibilityRequest>,
) -> AppResult<(StatusCode, Json<ResponsibilityFinding>)> {
    let f = state.write(user.actor(), async |tx| investigation::add_finding(tx, &user, id, &body).await).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// Adds a 整改措施 with its responsible unit and deadline.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/measures", tag = "accidents", params(("id" = i64, Path)),
    request_body = CreateAccidentMeasure,
    responses((status = 201, body = AccidentMeasureResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_measure(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CreateAccidentMeasure>,
) -> AppResult<(StatusCode, Json<AccidentMeasureResponse>)> {
    let m = state.write(user.actor(), async |tx| measures::create(tx, &user, id, &body).await).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// The measures of an accident, overdue ones marked.
#[utoipa::path(get, path = "/api/v1/accidents/{id}/measures", tag = "accidents", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<AccidentMeasureResponse>), (status = 404, body = ErrorBody)))]
pub async fn list_measures(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<AccidentMeasureResponse>>> {
    Ok(Json(measures::list(state.db.conn(), &user, id, state.clock.now()).await?))
}

/// Marks a measure done, with the evidence and who verified it.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/measures/{measure_id}/done", tag = "accidents",
    params(("id" = i64, Path), ("measure_id" = i64, Path)), request_body = CompleteAccidentMeasure,
    responses((status = 200, body = AccidentMeasureResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn complete_measure(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, measure_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<CompleteAccidentMeasure>,
) -> AppResult<Json<AccidentMeasureResponse>> {
    Ok(Json(state.write(user.actor(), async |tx| measures::complete(tx, &user, id, measure_id, &body).await).await?))
}
