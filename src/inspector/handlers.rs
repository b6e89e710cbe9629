//! HTTP handlers of the inspector register: extract, authorise, call a service, respond.

use super::availability::{self, ConflictResponse, NewAbsence, NewConflict};
use super::register::{self, InspectorSummary, UpdateInspector};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Serialize;

/// An absence of an inspector.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AbsenceResponse {
    pub id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: super::AbsenceKind,
    pub note: Option<String>,
}

impl From<crate::entities::inspector_absence::Model> for AbsenceResponse {
    fn from(a: crate::entities::inspector_absence::Model) -> Self {
        Self { id: a.id, from: a.from_date, to: a.to_date, kind: a.kind, note: a.note }
    }
}

/// One inspector with the absences still to come and the conflicts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InspectorResponse {
    #[serde(flatten)]
    pub inspector: InspectorSummary,
    pub absences: Vec<AbsenceResponse>,
    pub conflicts: Vec<ConflictResponse>,
}

async fn detail(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<InspectorResponse> {
    let db = state.db.conn();
    let today = state.clock.today();
    let inspector = register::one(db, user, id, today).await?;
    let absences = availability::absences(db, id, today).await?.into_iter().map(Into::into).collect();
    let conflicts = availability::conflicts(db, user, id).await?;
    Ok(InspectorResponse { inspector, absences, conflicts })
}

/// The inspectors and experts of the caller's bureau and the bureaus below, with
/// their certificate status and availability today (at most 500).
#[utoipa::path(get, path = "/api/v1/inspectors", tag = "inspectors",
    responses((status = 200, body = ListResponse<InspectorSummary>), (status = 403, body = ErrorBody)))]
pub async fn list_inspectors(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<ListResponse<InspectorSummary>>> {
    let items = register::summaries(state.db.conn(), &user, None, state.clock.today()).await?;
    Ok(Json(ListResponse { total: items.len() as u64, items }))
}

/// One inspector of the register.
#[utoipa::path(get, path = "/api/v1/inspectors/{user_id}", tag = "inspectors", params(("user_id" = i64, Path)),
    responses((status = 200, body = InspectorResponse), (status = 404, body = ErrorBody)))]
pub async fn get_inspector(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<InspectorResponse>> {
    Ok(Json(detail(&state, &user, id).await?))
}

/// A regulator edits an inspector's certificate number, validity and specialties.
#[utoipa::path(patch, path = "/api/v1/inspectors/{user_id}", tag = "inspectors", params(("user_id" = i64, Path)),
    request_body = UpdateInspector,
    responses((status = 200, body = InspectorResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_inspector(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<UpdateInspector>,
) -> AppResult<Json<InspectorResponse>> {
    state.write(user.actor(), async |tx| register::update(tx, &user, id, &req).await).await?;
    Ok(Json(detail(&state, &user, id).await?))
}

/// A regulator records an absence (休假 / 培训 / 其他), both days inclusive.
#[utoipa::path(post, path = "/api/v1/inspectors/{user_id}/absences", tag = "inspectors", params(("user_id" = i64, Path)),
    request_body = NewAbsence,
    responses((status = 201, body = AbsenceResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_absence(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<NewAbsence>,
) -> AppResult<(StatusCode, Json<AbsenceResponse>)> {
    let row = state.write(user.actor(), async |tx| availability::add_absence(tx, &user, id, &req).await).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// A regulator declares a conflict of interest (回避) with an enterprise.
#[utoipa::path(post, path = "/api/v1/inspectors/{user_id}/conflicts", tag = "inspectors", params(("user_id" = i64, Path)),
    request_body = NewConflict,
    responses((status = 201, body = ConflictResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn declare_conflict(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<NewConflict>,
) -> AppResult<(StatusCode, Json<ConflictResponse>)> {
    let row = state.write(user.actor(), async |tx| availability::declare(tx, &user, id, &req).await).await?;
    let names = availability::conflicts(state.db.conn(), &user, id).await?;
    let name = names.into_iter().find(|c| c.id == row.id).map(|c| (c.enterprise_id, c.enterprise_name));
    Ok((
        StatusCode::CREATED,
        Json(availability::response(row, &name.into_iter().collect::<std::collections::HashMap<_, _>>())),
    ))
}

/// An inspector's conflicts, live and withdrawn, newest first (at most 200).
#[utoipa::path(get, path = "/api/v1/inspectors/{user_id}/conflicts", tag = "inspectors", params(("user_id" = i64, Path)),
    responses((status = 200, body = Vec<ConflictResponse>), (status = 404, body = ErrorBody)))]
pub async fn list_conflicts(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<ConflictResponse>>> {
    register::one(state.db.conn(), &user, id, state.clock.today()).await?;
    Ok(Json(availability::conflicts(state.db.conn(), &user, id).await?))
}

/// A regulator withdraws a conflict (it is kept, marked withdrawn).
#[utoipa::path(post, path = "/api/v1/inspectors/{user_id}/conflicts/{conflict_id}/withdraw", tag = "inspectors",
    params(("user_id" = i64, Path), ("conflict_id" = i64, Path)),
    responses((status = 200, body = ConflictResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn withdraw_conflict(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, conflict_id)): ApiPath<(i64, i64)>,
) -> AppResult<Json<ConflictResponse>> {
    let row = state.write(user.actor(), async |tx| availability::withdraw(tx, &user, id, conflict_id).await).await?;
    let all = availability::conflicts(state.db.conn(), &user, id).await?;
    let found = all.into_iter().find(|c| c.id == row.id);
    Ok(Json(found.unwrap_or_else(|| availability::response(row, &std::collections::HashMap::new()))))
}
