//! HTTP handlers of enterprise grading: extract, authorise in the use case, respond.

use super::compute::RunReport;
use super::json::{AssessmentBody, AssessmentResponse, GradeCounts, GradingView, OverrideBody, ReleaseBody};
use super::{rules, service, territory};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// An enterprise's risk grade, supervision class, yearly inspection cap and the
/// history of changes with their inputs.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/grading", tag = "grading", params(("id" = i64, Path)),
    responses((status = 200, body = GradingView), (status = 404, body = ErrorBody)))]
pub async fn get_grading(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<GradingView>> {
    Ok(Json(service::view(state.db.conn(), &user, id).await?))
}

/// Set an enterprise's grade and class by decision (监管人员), with a reason; kept by
/// recomputation until released.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/grading/override", tag = "grading", params(("id" = i64, Path)),
    request_body = OverrideBody,
    responses((status = 200, body = GradingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn override_grading(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OverrideBody>,
) -> AppResult<Json<GradingView>> {
    Ok(Json(state.write(user.actor(), async |tx| service::override_grade(tx, &user, id, &body).await).await?))
}

/// End an override (监管人员): the grade is computed again at once.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/grading/release", tag = "grading", params(("id" = i64, Path)),
    request_body = ReleaseBody,
    responses((status = 200, body = GradingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn release_grading(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReleaseBody>,
) -> AppResult<Json<GradingView>> {
    Ok(Json(state.write(user.actor(), async |tx| service::release(tx, &user, id, &body).await).await?))
}

/// Record a scoring under the hazchem guide (监管人员, for the bureau or an expert):
/// answered with the score and grade; the enterprise is regraded.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/risk-assessments", tag = "grading", params(("id" = i64, Path)),
    request_body = AssessmentBody,
    responses((status = 201, body = AssessmentResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AssessmentBody>,
) -> AppResult<(StatusCode, Json<AssessmentResponse>)> {
    let a = state.write(user.actor(), async |tx| service::assess(tx, &user, id, &body).await).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// An enterprise's guide assessments, newest first (at most 100).
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/risk-assessments", tag = "grading", params(("id" = i64, Path)),
    responses((status = 200, body = ListResponse<AssessmentResponse>), (status = 404, body = ErrorBody)))]
pub async fn list_assessments(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ListResponse<AssessmentResponse>>> {
    let items = service::assessments(state.db.conn(), &user, id).await?;
    Ok(Json(ListResponse { total: items.len() as u64, items }))
}

/// Enterprises of the caller's scope per grade, by sector and county.
#[utoipa::path(get, path = "/api/v1/grading/counts", tag = "grading",
    responses((status = 200, body = GradeCounts)))]
pub async fn grade_counts(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<GradeCounts>> {
    Ok(Json(territory::counts(state.db.conn(), &user).await?))
}

/// Recompute every enterprise's grade and class now (监管人员); the jobs do it daily.
#[utoipa::path(post, path = "/api/v1/grading/recompute", tag = "grading",
    responses((status = 200, body = RunReport), (status = 403, body = ErrorBody)))]
pub async fn recompute(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<RunReport>> {
    Ok(Json(state.write(user.actor(), async |tx| service::recompute(tx, &user).await).await?))
}

/// The enterprise grading rules in force: classes per grade, the hazchem guide's
/// items, bands and direct-red situations, and the general rules.
#[utoipa::path(get, path = "/api/v1/grading-rules", tag = "grading",
    responses((status = 200, body = rules::GradingRules)))]
pub async fn grading_rules(_user: CurrentUser) -> AppResult<Json<rules::GradingRules>> {
    Ok(Json(rules::in_force()?.clone()))
}
