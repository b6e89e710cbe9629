//! HTTP handlers of the ledger: extract, authorise, call a service, respond.

use super::json::{
    CountRow, CreateHazardRequest, HazardFilter, HazardResponse, HazardSummary, MajorFilter, MajorHazardRow,
};
use super::{list, service, view};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

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

/// The major-hazard list (一单) with each item's 交办 / 台账 / 销号 / 通报.
#[utoipa::path(get, path = "/api/v1/major-hazards", tag = "hazards", params(MajorFilter),
    responses((status = 200, body = ListResponse<MajorHazardRow>)))]
pub async fn list_major_hazards(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<MajorFilter>,
) -> AppResult<Json<ListResponse<MajorHazardRow>>> {
    let rows = major_rows(&state, &user, &f).await?;
    let total = rows.len() as u64;
    Ok(Json(ListResponse { items: rows, total }))
}

/// The rows of the major-hazard list, shared by the API, the page and the export.
pub async fn major_rows(state: &AppState, user: &CurrentUser, f: &MajorFilter) -> AppResult<Vec<MajorHazardRow>> {
    let db = state.db.conn();
    let hazards = list::majors(db, &user.scope, f).await?;
    let ids: Vec<i64> = hazards.iter().map(|h| h.id).collect();
    let ledger = list::ledger_counts(db, &ids).await?;
    let names = crate::enterprise::service::names(db, hazards.iter().filter_map(|h| h.enterprise_id)).await?;
    let notified: std::collections::HashSet<i64> = crate::entities::bulletin_publication::Entity::find()
        .select_only()
        .column(crate::entities::bulletin_publication::Column::HazardId)
        .filter(crate::entities::bulletin_publication::Column::HazardId.is_in(ids.clone()))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let today = state.clock.today();
    Ok(hazards
        .into_iter()
        .map(|h| {
            let assignment = super::columns::assignment(&h);
            let days = view::days_left(&h, today);
            MajorHazardRow {
                id: h.id,
                enterprise_id: h.enterprise_id,
                enterprise_name: h.enterprise_id.and_then(|e| names.get(&e).cloned()),
                title: h.title.clone(),
                status: h.status,
                deadline: h.deadline,
                days_left: days,
                overdue: super::domain::is_overdue(h.status, h.deadline, today),
                suspended: h.suspended,
                assigned_to: assignment.as_ref().map(|a| a.responsible_unit.clone()),
                supervision_level: assignment.as_ref().map(|a| a.supervision_level.clone()),
                notice_no: assignment.and_then(|a| a.notice_no),
                ledger_entries: ledger.get(&h.id).copied().unwrap_or(0),
                closed: h.status == super::domain::Status::Closed,
                notified: notified.contains(&h.id),
            }
        })
        .collect())
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

/// The major-hazard list (一单) as an xlsx workbook (bureau users).
#[utoipa::path(get, path = "/api/v1/major-hazards/export", tag = "hazards",
    responses((status = 200, description = "xlsx workbook"), (status = 403, body = ErrorBody)))]
pub async fn export_major_hazards(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::response::Response> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let rows = major_rows(&state, &user, &MajorFilter::default()).await?;
    let bytes = super::export::workbook(&rows).map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    let name = format!("重大事故隐患清单-{}.xlsx", state.clock.today());
    Ok(crate::xlsx::response(bytes, &name))
}
