//! The checklist API: `GET /api/v1/checklists`, `GET /api/v1/checklists/{hash}`,
//! `GET /api/v1/enterprises/{id}/checklist-items`, `POST /api/v1/checklists`
//! (a new version from JSON), `POST /api/v1/checklists/import[?dry_run=true]`,
//! `GET /api/v1/checklists/template.xlsx` and `POST /api/v1/checklists/{id}/retire`.

use super::import::{ChecklistImport, ChecklistImportSummary};
use super::json::{ChecklistItemsResponse, ChecklistVersionResponse, ChecklistsResponse, RetiredResponse};
use super::{Checklist, list, service};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::import::http::ImportParams;
use crate::entities::{bureau, enterprise};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery};
use crate::routes::{ApiRoutes, RouteExt, routes};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(list_checklists, create_checklist))
        .routes(routes!(checklist_template))
        .routes(routes!(import_checklist).layer(crate::upload::limit(crate::upload::CALENDAR)))
        .routes(routes!(get_checklist))
        .routes(routes!(retire_checklist))
        .routes(routes!(list_checklist_items))
}

/// Authoring is for the regulators of a bureau, for their own bureau's checklists.
pub async fn author_bureau(state: &AppState, user: &CurrentUser) -> AppResult<bureau::Model> {
    user.require_any(&[Role::Regulator])?;
    crate::scope::own_bureau(state.db.conn(), user).await
}

/// Every checklist the user may see (national, and the bureaus' above and below
/// the user's bureau; for enterprise users, the bureaus' above their enterprises),
/// each with its versions.
#[utoipa::path(get, path = "/api/v1/checklists", tag = "checklists",
    responses((status = 200, body = ChecklistsResponse)))]
pub async fn list_checklists(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<ChecklistsResponse>> {
    Ok(Json(list::checklists(state.db.conn(), &user).await?))
}

/// A version's full content, by its content hash.
#[utoipa::path(get, path = "/api/v1/checklists/{hash}", tag = "checklists", params(("hash" = String, Path)),
    responses((status = 200, body = ChecklistVersionResponse), (status = 404, body = ErrorBody)))]
pub async fn get_checklist(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(hash): ApiPath<String>,
) -> AppResult<Json<ChecklistVersionResponse>> {
    Ok(Json(list::version(state.db.conn(), &user, &hash).await?))
}

/// The checklist items that apply to the enterprise (by its sector, sub-types
/// and special topics), from the national checklists and those of its
/// supervising bureau and the bureaus above it.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/checklist-items", tag = "checklists", params(("id" = i64, Path)),
    responses((status = 200, body = ChecklistItemsResponse), (status = 404, body = ErrorBody)))]
pub async fn list_checklist_items(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ChecklistItemsResponse>> {
    let e = crate::scope::get::<enterprise::Entity, _>(state.db.conn(), &user.scope, id).await?;
    Ok(Json(list::items_of(state.db.conn(), &e).await?))
}

/// A new version of one of the bureau's checklists (regulators); the same
/// content as the current version answers 200 with it. 422 lists every problem.
#[utoipa::path(post, path = "/api/v1/checklists", tag = "checklists", request_body = Checklist,
    responses((status = 201, body = ChecklistVersionResponse), (status = 200, body = ChecklistVersionResponse),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_checklist(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(c): ApiJson<Checklist>,
) -> AppResult<(StatusCode, Json<ChecklistVersionResponse>)> {
    let b = author_bureau(&state, &user).await?;
    let (row, created) = state.write(user.actor(), async |tx| service::create(tx, &b, user.id, &c).await).await?;
    let body = list::version(state.db.conn(), &user, &row.content_hash).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(body)))
}

/// Upload a checklist (.xlsx, the template's two sheets) as a new version of
/// the bureau's checklist, all or nothing; `dry_run=true` checks only.
#[utoipa::path(post, path = "/api/v1/checklists/import", tag = "checklists", params(ImportParams),
    request_body(content_type = "multipart/form-data", description = "field `file`: the workbook"),
    responses((status = 200, body = ChecklistImportSummary), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn import_checklist(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(params): ApiQuery<ImportParams>,
    crate::json::ApiMultipart(form): crate::json::ApiMultipart,
) -> AppResult<Json<ChecklistImportSummary>> {
    let bureau = author_bureau(&state, &user).await?;
    let _turn = state.gates.imports.enter().await?;
    let bytes = crate::upload::read_file(form).await?;
    let import = ChecklistImport { bureau, user_id: user.id };
    Ok(Json(match crate::import::run(&state, user.actor(), &import, bytes, params.dry_run).await? {
        crate::import::Outcome::Preview(s) | crate::import::Outcome::Done(s) => s,
    }))
}

/// The blank upload template.
#[utoipa::path(get, path = "/api/v1/checklists/template.xlsx", tag = "checklists",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn checklist_template(_user: CurrentUser) -> AppResult<Response> {
    let bytes = super::template::workbook().map_err(|e| AppError::Internal(e.into()))?;
    Ok(crate::xlsx::response(bytes, "检查表模板.xlsx"))
}

/// Retire one of the bureau's checklists (regulators): it stops applying; its
/// versions stay resolvable for the records that pinned them.
#[utoipa::path(post, path = "/api/v1/checklists/{id}/retire", tag = "checklists", params(("id" = String, Path)),
    responses((status = 200, body = RetiredResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn retire_checklist(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<RetiredResponse>> {
    let b = author_bureau(&state, &user).await?;
    let row = state.write(user.actor(), async |tx| service::retire(tx, &b, &id).await).await?;
    Ok(Json(RetiredResponse { checklist_id: row.checklist_id.clone(), retired: true, version: (&row).into() }))
}
