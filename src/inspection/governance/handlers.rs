//! HTTP handlers of the inspections' governance: extract, call a use case, respond.

use super::json::{
    ApproveBody, CreateInspection, DocumentResponse, InspectionResponse, InspectionSummary, ReasonBody, ServeBody,
};
use super::list::{self, InspectionFilter};
use super::{document_steps, documents, service, view};
use crate::auth::CurrentUser;
use crate::entities::{bureau, inspection};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::EntityTrait;

async fn respond(state: &AppState, user: &CurrentUser, i: inspection::Model) -> AppResult<Json<InspectionResponse>> {
    Ok(Json(view::detail(state.db.conn(), user, i).await?))
}

/// Create an inspection with its team, plan and checklists: 201, `pending_approval`.
#[utoipa::path(post, path = "/api/v1/inspections", tag = "inspections", request_body = CreateInspection,
    responses((status = 201, body = InspectionResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_inspection(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateInspection>,
) -> AppResult<(StatusCode, Json<InspectionResponse>)> {
    let i = state.write(user.actor(), async |tx| service::create(tx, &user, &req).await).await?;
    Ok((StatusCode::CREATED, respond(&state, &user, i).await?))
}

/// The inspections the caller sees (filters: status, kind, enterprise, mine, year), paged.
#[utoipa::path(get, path = "/api/v1/inspections", tag = "inspections", params(InspectionFilter),
    responses((status = 200, body = ListResponse<InspectionSummary>), (status = 422, body = ErrorBody)))]
pub async fn list_inspections(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<InspectionFilter>,
) -> AppResult<Json<ListResponse<InspectionSummary>>> {
    let (items, total) = list::list(state.db.conn(), &user, &f).await?;
    Ok(Json(ListResponse { items, total }))
}

/// One inspection with its team, pinned checklists, documents, cap standing and allowed actions.
#[utoipa::path(get, path = "/api/v1/inspections/{id}", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = InspectionResponse), (status = 404, body = ErrorBody)))]
pub async fn get_inspection(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<InspectionResponse>> {
    let i = service::get_visible(state.db.conn(), &user, id).await?;
    respond(&state, &user, i).await
}

/// An approver (not on the team) approves: the document numbers are reserved.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/approve", tag = "inspections", params(("id" = i64, Path)),
    request_body = ApproveBody,
    responses((status = 200, body = InspectionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn approve_inspection(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(_body): ApiJson<ApproveBody>,
) -> AppResult<Json<InspectionResponse>> {
    let i = state.write(user.actor(), async |tx| service::approve(tx, &user, id).await).await?;
    respond(&state, &user, i).await
}

/// The second, recorded approval of an inspection over the enterprise's yearly cap (before the approval).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/approve_over_cap", tag = "inspections", params(("id" = i64, Path)),
    request_body = ReasonBody,
    responses((status = 200, body = InspectionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn approve_over_cap(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> AppResult<Json<InspectionResponse>> {
    let i = state.write(user.actor(), async |tx| service::approve_over_cap(tx, &user, id, &b.reason).await).await?;
    respond(&state, &user, i).await
}

/// An approver rejects a pending inspection, with the reason.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/reject", tag = "inspections", params(("id" = i64, Path)),
    request_body = ReasonBody,
    responses((status = 200, body = InspectionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reject_inspection(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> AppResult<Json<InspectionResponse>> {
    let i = state.write(user.actor(), async |tx| service::reject(tx, &user, id, &b.reason).await).await?;
    respond(&state, &user, i).await
}

/// A regulator or approver cancels a pending or approved inspection; reserved numbers are voided.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/cancel", tag = "inspections", params(("id" = i64, Path)),
    request_body = ReasonBody,
    responses((status = 200, body = InspectionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel_inspection(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> AppResult<Json<InspectionResponse>> {
    let i = state.write(user.actor(), async |tx| service::cancel(tx, &user, id, &b.reason).await).await?;
    respond(&state, &user, i).await
}

async fn document_response(
    state: &AppState,
    d: crate::entities::inspection_document::Model,
) -> AppResult<Json<DocumentResponse>> {
    let b = bureau::Entity::find_by_id(d.bureau_id).one(state.db.conn()).await?.ok_or(AppError::NotFound)?;
    Ok(Json(view::document(d, &b.region_code)))
}

/// Record the service (送达) of a document: date, way and recipient (an order's deadline counts from it).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/documents/{type}/serve", tag = "inspections",
    params(("id" = i64, Path), ("type" = String, Path, description = "document type code, `_` or `-`")),
    request_body = ServeBody,
    responses((status = 200, body = DocumentResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn serve_document(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, kind)): ApiPath<(i64, String)>,
    ApiJson(b): ApiJson<ServeBody>,
) -> AppResult<Json<DocumentResponse>> {
    let kind = documents::from_slug(&kind).ok_or(AppError::NotFound)?;
    let d = state.write(user.actor(), async |tx| document_steps::serve(tx, &user, id, kind, &b).await).await?;
    document_response(&state, d).await
}

/// A regulator voids a document's number, with the reason (the number is kept, never reused).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/documents/{type}/void", tag = "inspections",
    params(("id" = i64, Path), ("type" = String, Path, description = "document type code, `_` or `-`")),
    request_body = ReasonBody,
    responses((status = 200, body = DocumentResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn void_document(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, kind)): ApiPath<(i64, String)>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> AppResult<Json<DocumentResponse>> {
    let kind = documents::from_slug(&kind).ok_or(AppError::NotFound)?;
    let d = state.write(user.actor(), async |tx| document_steps::void(tx, &user, id, kind, &b.reason).await).await?;
    document_response(&state, d).await
}
