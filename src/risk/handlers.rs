//! HTTP handlers of risk points: extract, authorise in the use case, respond.

use super::json::{RiskPointBody, RiskPointList, RiskPointResponse};
use super::{rules, service};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Record a risk point of an enterprise (its 主要负责人 or 安全管理人员, or a 监管人员):
/// answered graded, with `score` and `level`.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/risk-points", tag = "risk", params(("id" = i64, Path)),
    request_body = RiskPointBody,
    responses((status = 201, body = RiskPointResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_risk_point(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RiskPointBody>,
) -> AppResult<(StatusCode, Json<RiskPointResponse>)> {
    let p = state.write(user.actor(), async |tx| service::create(tx, &user, id, &body).await).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// An enterprise's risk points, red first (at most 2,000), with the counts per level.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/risk-points", tag = "risk", params(("id" = i64, Path)),
    responses((status = 200, body = RiskPointList), (status = 404, body = ErrorBody)))]
pub async fn list_risk_points(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<RiskPointList>> {
    Ok(Json(service::list(state.db.conn(), &user, id).await?))
}

/// One risk point.
#[utoipa::path(get, path = "/api/v1/risk-points/{id}", tag = "risk", params(("id" = i64, Path)),
    responses((status = 200, body = RiskPointResponse), (status = 404, body = ErrorBody)))]
pub async fn get_risk_point(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<RiskPointResponse>> {
    Ok(Json(service::get(state.db.conn(), &user, id).await?))
}

/// The grading rules in force: the LEC tables, the bands of LEC and LS, and the
/// direct-red conditions.
#[utoipa::path(get, path = "/api/v1/risk-rules", tag = "risk",
    responses((status = 200, body = rules::Rules)))]
pub async fn risk_rules(_user: CurrentUser) -> AppResult<Json<rules::Rules>> {
    Ok(Json(rules::in_force()?.clone()))
}

/// Record a review (复核) of a risk point (who may record points): the next review
/// date is set (a year on unless given) and the review to-do closes.
#[utoipa::path(post, path = "/api/v1/risk-points/{id}/review", tag = "risk", params(("id" = i64, Path)),
    request_body = super::review::ReviewBody,
    responses((status = 200, body = RiskPointResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn review_risk_point(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<super::review::ReviewBody>,
) -> AppResult<Json<RiskPointResponse>> {
    Ok(Json(state.write(user.actor(), async |tx| super::review::review(tx, &user, id, &body).await).await?))
}
