//! HTTP handlers of the accident register.

use super::json::{AccidentResponse, CreateAccident};
use super::service;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Record an accident (监管人员); answered with its legal `grade`.
#[utoipa::path(post, path = "/api/v1/accidents", tag = "accidents", request_body = CreateAccident,
    responses((status = 201, body = AccidentResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_accident(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<CreateAccident>,
) -> AppResult<(StatusCode, Json<AccidentResponse>)> {
    let a = state.write(user.actor(), async |tx| service::create(tx, &user, &body).await).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// The accidents of the caller's territory (or enterprise), newest first (at most 500).
#[utoipa::path(get, path = "/api/v1/accidents", tag = "accidents",
    responses((status = 200, body = ListResponse<AccidentResponse>)))]
pub async fn list_accidents(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<ListResponse<AccidentResponse>>> {
    Ok(Json(service::list(state.db.conn(), &user).await?))
}

/// One accident.
#[utoipa::path(get, path = "/api/v1/accidents/{id}", tag = "accidents", params(("id" = i64, Path)),
    responses((status = 200, body = AccidentResponse), (status = 404, body = ErrorBody)))]
pub async fn get_accident(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<AccidentResponse>> {
    Ok(Json(service::get(state.db.conn(), &user, id).await?))
}
