//! HTTP handlers of 一图一牌三清单: the site plan, a point's place on it, the three
//! lists as workbooks, and the import of points. Thin: extract, call the use case, respond.

use super::import::RiskImportSummary;
use super::json::RiskPointResponse;
use super::lists::{ListParams, workbook};
use super::placing::{self, PositionBody};
use super::site_plan::{self, SitePlanResponse};
use super::{rules, service};
use crate::auth::CurrentUser;
use crate::enterprise::import::http::ImportParams;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiMultipart, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Upload the enterprise's site plan (平面图; multipart field `file`, PNG or JPEG up to 10 MB,
/// at most 20,000 pixels a side), replacing the current one. Its 主要负责人 or 安全管理人员, or a 监管人员.
#[utoipa::path(put, path = "/api/v1/enterprises/{id}/site-plan", tag = "risk", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "field `file`: the image"),
    responses((status = 200, body = SitePlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_site_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiMultipart(form): ApiMultipart,
) -> AppResult<Json<SitePlanResponse>> {
    let bytes = crate::upload::read_file(form).await?;
    Ok(Json(site_plan::upload(&state, &user, id, "平面图", &bytes).await?))
}

/// The enterprise's current site plan image (404 when it has none), for anyone who sees the enterprise.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/site-plan", tag = "risk", params(("id" = i64, Path)),
    responses((status = 200, description = "the image (image/png or image/jpeg)"), (status = 404, body = ErrorBody)))]
pub async fn get_site_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let (kind, bytes) = site_plan::image(&state, &user, id).await?;
    Ok(([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "private, no-cache".to_owned())], bytes).into_response())
}

/// Place a risk point on its enterprise's site plan (`plan_x`, `plan_y` fractions 0–1 of the
/// plan's width and height), or take it off (both `null`). 409 `no_site_plan` without a plan.
#[utoipa::path(put, path = "/api/v1/risk-points/{id}/position", tag = "risk", params(("id" = i64, Path)),
    request_body = PositionBody,
    responses((status = 200, body = RiskPointResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_position(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PositionBody>,
) -> AppResult<Json<RiskPointResponse>> {
    Ok(Json(state.write(user.actor(), async |tx| placing::place(tx, &user, id, body).await).await?))
}

/// The enterprise's 风险分级管控清单 (`list=risk`), 管控措施清单 (`control`) or 应急处置措施清单
/// (`emergency`) as a workbook, red first, at most 2,000 points.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/risk-points.xlsx", tag = "risk",
    params(("id" = i64, Path), ListParams),
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorBody)))]
pub async fn risk_lists_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ListParams>,
) -> AppResult<Response> {
    let db = state.db.conn();
    let enterprise = crate::enterprise::service::get_scoped(db, &user.scope, id).await?;
    let list = service::list(db, &user, id).await?;
    let today = state.clock.today();
    let bytes = workbook(q.list, &enterprise.name, &list, today, &rules::in_force()?.version)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::xlsx::response(bytes, &format!("{}{}.xlsx", enterprise.name, q.list.zh())))
}

/// Import risk points of the enterprise (`imports/risk-points.xlsx`, multipart field `file`):
/// every bad row at once, all or nothing; with `dry_run=true` it checks and counts only.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/risk-points/import", tag = "risk",
    params(("id" = i64, Path), ImportParams),
    request_body(content_type = "multipart/form-data", description = "field `file`: the workbook"),
    responses((status = 200, body = RiskImportSummary), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn import_risk_points(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<ImportParams>,
    ApiMultipart(form): ApiMultipart,
) -> AppResult<Json<RiskImportSummary>> {
    let _turn = state.gates.imports.enter().await?;
    let bytes = crate::upload::read_file(form).await?;
    Ok(Json(super::import::run(&state, &user, id, bytes, params.dry_run).await?))
}
