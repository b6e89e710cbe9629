//! HTTP handlers of the insurance API: thin (extract, `state.write`, respond).

use super::coverage::{self, InsuranceCoverageFilter, InsuranceCoverageResponse};
use super::json::{
    CancelInsurancePolicy, CreateInsurancePolicy, EnterpriseInsuranceResponse, InsurancePolicyFilter,
    InsurancePolicyResponse,
};
use super::policy::Actor;
use super::{service, view};
use crate::auth::CurrentUser;
use crate::clock::china_date;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

async fn respond(
    state: &AppState,
    user: &CurrentUser,
    p: crate::entities::insurance_policy::Model,
) -> AppResult<InsurancePolicyResponse> {
    let db = state.db.conn();
    let viewer = super::insurers::Viewer::of(db, user).await?;
    let actor = Actor::of(&user.roles, viewer.insurer_id());
    let mut out = view::responses(db, actor, vec![p], china_date(state.clock.now())).await?;
    out.pop().ok_or(crate::error::AppError::NotFound)
}

/// Record a 安责险 policy (监管人员, or a user of the insurer itself).
#[utoipa::path(post, path = "/api/v1/insurance-policies", tag = "insurance", request_body = CreateInsurancePolicy,
    responses((status = 201, body = InsurancePolicyResponse), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_insurance_policy(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<CreateInsurancePolicy>,
) -> AppResult<(StatusCode, Json<InsurancePolicyResponse>)> {
    let p = state.write(user.actor(), async |tx| service::create(tx, &user, &body).await).await?;
    Ok((StatusCode::CREATED, Json(respond(&state, &user, p).await?)))
}

/// The policies the caller may see (an insurer's user: its own), soonest end first, a page at a time.
#[utoipa::path(get, path = "/api/v1/insurance-policies", tag = "insurance", params(InsurancePolicyFilter),
    responses((status = 200, body = ListResponse<InsurancePolicyResponse>), (status = 422, body = ErrorBody)))]
pub async fn list_insurance_policies(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<InsurancePolicyFilter>,
) -> AppResult<Json<ListResponse<InsurancePolicyResponse>>> {
    Ok(Json(view::list(state.db.conn(), &user, &f, china_date(state.clock.now())).await?))
}

/// One policy.
#[utoipa::path(get, path = "/api/v1/insurance-policies/{id}", tag = "insurance", params(("id" = i64, Path)),
    responses((status = 200, body = InsurancePolicyResponse), (status = 404, body = ErrorBody)))]
pub async fn get_insurance_policy(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<InsurancePolicyResponse>> {
    Ok(Json(view::get(state.db.conn(), &user, id, china_date(state.clock.now())).await?))
}

/// Cancel a policy (退保): no cover from `cancelled_on`; flagged as `cancelled_early` by the check.
#[utoipa::path(post, path = "/api/v1/insurance-policies/{id}/cancel", tag = "insurance", params(("id" = i64, Path)),
    request_body = CancelInsurancePolicy,
    responses((status = 200, body = InsurancePolicyResponse), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel_insurance_policy(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CancelInsurancePolicy>,
) -> AppResult<Json<InsurancePolicyResponse>> {
    let p = state.write(user.actor(), async |tx| service::cancel(tx, &user, id, &body).await).await?;
    Ok(Json(respond(&state, &user, p).await?))
}

/// The insurance check of an enterprise: whether it must insure, whether it is covered, the problems found.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/insurance", tag = "insurance", params(("id" = i64, Path)),
    responses((status = 200, body = EnterpriseInsuranceResponse), (status = 404, body = ErrorBody)))]
pub async fn get_enterprise_insurance(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<EnterpriseInsuranceResponse>> {
    Ok(Json(view::enterprise_insurance(state.db.conn(), &user, id, china_date(state.clock.now())).await?))
}

/// The mandatory enterprises of the caller's territory without adequate cover (bureau users).
#[utoipa::path(get, path = "/api/v1/insurance/uninsured", tag = "insurance",
    responses((status = 200, body = super::uninsured::UninsuredResponse), (status = 403, body = ErrorBody)))]
pub async fn list_uninsured(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<super::uninsured::UninsuredResponse>> {
    Ok(Json(super::uninsured::list(state.db.conn(), &user, china_date(state.clock.now())).await?))
}

/// Mandatory, covered and the rate by sector and by region in the caller's scope, against 100 % (bureau users).
#[utoipa::path(get, path = "/api/v1/insurance/coverage", tag = "insurance", params(InsuranceCoverageFilter),
    responses((status = 200, body = InsuranceCoverageResponse), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn insurance_coverage(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<InsuranceCoverageFilter>,
) -> AppResult<Json<InsuranceCoverageResponse>> {
    let today = china_date(state.clock.now());
    Ok(Json(coverage::figures_cached(&state, &user, f.region.as_deref(), today).await?.as_ref().clone()))
}

/// The coverage figures as a workbook (bureau users).
#[utoipa::path(get, path = "/api/v1/insurance/coverage.xlsx", tag = "insurance", params(InsuranceCoverageFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn insurance_coverage_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<InsuranceCoverageFilter>,
) -> AppResult<axum::response::Response> {
    let today = china_date(state.clock.now());
    let figures = coverage::figures_cached(&state, &user, f.region.as_deref(), today).await?;
    let bytes = tokio::task::spawn_blocking(move || coverage::workbook(&figures))
        .await
        .map_err(|e| crate::error::AppError::Internal(e.into()))?
        .map_err(|e| crate::error::AppError::Internal(anyhow::Error::new(e).context("xlsx")))?;
    Ok(crate::xlsx::response(bytes, &format!("安责险投保覆盖率-{today}.xlsx")))
}
