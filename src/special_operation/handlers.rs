//! HTTP handlers of the special-operation API: thin (extract, `state.write`, respond).

use super::json::{
    CreateSpecialOperationWorker, EndSpecialOperationWorker, SpecialOperationWorkerFilter, SpecialOperationWorkerList,
    SpecialOperationWorkerResponse, WorkerFields,
};
use super::{list, service};
use crate::auth::CurrentUser;
use crate::clock::china_date;
use crate::entities::special_operation_worker;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

async fn respond(
    state: &AppState,
    user: &CurrentUser,
    w: special_operation_worker::Model,
) -> AppResult<SpecialOperationWorkerResponse> {
    let today = china_date(state.clock.now());
    list::responses(state.db.conn(), user, vec![w], today).await?.pop().ok_or(AppError::NotFound)
}

/// List a worker in a special-operation post (特种作业人员), with the certificate if
/// there is one (the enterprise's 主要负责人 or 安全管理人员).
#[utoipa::path(post, path = "/api/v1/special-operation-workers", tag = "special_operation",
    request_body = CreateSpecialOperationWorker,
    responses((status = 201, body = SpecialOperationWorkerResponse), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_special_operation_worker(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<CreateSpecialOperationWorker>,
) -> AppResult<(StatusCode, Json<SpecialOperationWorkerResponse>)> {
    let w = state.write(user.actor(), async |tx| service::create(tx, &user, &body).await).await?;
    Ok((StatusCode::CREATED, Json(respond(&state, &user, w).await?)))
}

/// The workers the caller may see, by enterprise, post and name, a page at a time, with the catalogue.
#[utoipa::path(get, path = "/api/v1/special-operation-workers", tag = "special_operation",
    params(SpecialOperationWorkerFilter),
    responses((status = 200, body = SpecialOperationWorkerList), (status = 422, body = ErrorBody)))]
pub async fn list_special_operation_workers(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<SpecialOperationWorkerFilter>,
) -> AppResult<Json<SpecialOperationWorkerList>> {
    Ok(Json(list::list(state.db.conn(), &user, &f, china_date(state.clock.now())).await?))
}

/// One listed worker.
#[utoipa::path(get, path = "/api/v1/special-operation-workers/{id}", tag = "special_operation",
    params(("id" = i64, Path)),
    responses((status = 200, body = SpecialOperationWorkerResponse), (status = 404, body = ErrorBody)))]
pub async fn get_special_operation_worker(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<SpecialOperationWorkerResponse>> {
    Ok(Json(list::get(state.db.conn(), &user, id, china_date(state.clock.now())).await?))
}

/// Correct a running listing or record a renewed certificate (the whole record; an
/// empty `id_number` keeps the one recorded).
#[utoipa::path(patch, path = "/api/v1/special-operation-workers/{id}", tag = "special_operation",
    params(("id" = i64, Path)), request_body = WorkerFields,
    responses((status = 200, body = SpecialOperationWorkerResponse), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_special_operation_worker(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<WorkerFields>,
) -> AppResult<Json<SpecialOperationWorkerResponse>> {
    let w = state.write(user.actor(), async |tx| service::update(tx, &user, id, &body).await).await?;
    Ok(Json(respond(&state, &user, w).await?))
}

/// End a listing: the worker left the post (kept, with the date and reason).
#[utoipa::path(post, path = "/api/v1/special-operation-workers/{id}/end", tag = "special_operation",
    params(("id" = i64, Path)), request_body = EndSpecialOperationWorker,
    responses((status = 200, body = SpecialOperationWorkerResponse), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn end_special_operation_worker(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<EndSpecialOperationWorker>,
) -> AppResult<Json<SpecialOperationWorkerResponse>> {
    let w = state.write(user.actor(), async |tx| service::end(tx, &user, id, &body).await).await?;
    Ok(Json(respond(&state, &user, w).await?))
}
