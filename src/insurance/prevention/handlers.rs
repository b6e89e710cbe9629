//! HTTP handlers of the prevention-service API: thin (extract, `state.write`, respond).

use super::json::{
    CreateInsuranceService, InsuranceServiceFilter, InsuranceServiceResponse, ServiceSpendFilter, ServiceSpendResponse,
    UnservedResponse,
};
use super::{list, service, spend};
use crate::auth::CurrentUser;
use crate::clock::china_date;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Record an accident-prevention service (事故预防服务) under a policy, a hazard inspection's findings
/// becoming hazards of the ledger (source `insurer_service`) in the same transaction (监管人员, or a
/// user of the policy's insurer while the policy is active or recent).
#[utoipa::path(post, path = "/api/v1/insurance-services", tag = "insurance", request_body = CreateInsuranceService,
    responses((status = 201, body = InsuranceServiceResponse), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_insurance_service(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<CreateInsuranceService>,
) -> AppResult<(StatusCode, Json<InsuranceServiceResponse>)> {
    let s = state.write(user.actor(), async |tx| service::create(tx, &user, &body).await).await?;
    let out = list::responses(state.db.conn(), vec![s]).await?.pop().ok_or(crate::error::AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The services the caller may see (an insurer's user: its own), the latest served first, a page at a time.
#[utoipa::path(get, path = "/api/v1/insurance-services", tag = "insurance", params(InsuranceServiceFilter),
    responses((status = 200, body = ListResponse<InsuranceServiceResponse>), (status = 422, body = ErrorBody)))]
pub async fn list_insurance_services(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<InsuranceServiceFilter>,
) -> AppResult<Json<ListResponse<InsuranceServiceResponse>>> {
    Ok(Json(list::list(state.db.conn(), &user, &f).await?))
}

/// One service with its findings.
#[utoipa::path(get, path = "/api/v1/insurance-services/{id}", tag = "insurance", params(("id" = i64, Path)),
    responses((status = 200, body = InsuranceServiceResponse), (status = 404, body = ErrorBody)))]
pub async fn get_insurance_service(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<InsuranceServiceResponse>> {
    Ok(Json(list::get(state.db.conn(), &user, id).await?))
}

/// Prevention spend as a share of the premium in the policy years containing `on`, per insurer, and the
/// policies above the ceiling (21 %) or below the configured floor (bureau users; an insurer's user: its own).
#[utoipa::path(get, path = "/api/v1/insurance/service-spend", tag = "insurance", params(ServiceSpendFilter),
    responses((status = 200, body = ServiceSpendResponse), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn insurance_service_spend(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<ServiceSpendFilter>,
) -> AppResult<Json<ServiceSpendResponse>> {
    let on = f.on.unwrap_or_else(|| china_date(state.clock.now()));
    Ok(Json(spend::spend(state.db.conn(), &user, on).await?))
}

/// The policies covering `on` with no service in their policy year (bureau users; an insurer's user: its own).
#[utoipa::path(get, path = "/api/v1/insurance/unserved", tag = "insurance", params(ServiceSpendFilter),
    responses((status = 200, body = UnservedResponse), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_unserved_policies(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<ServiceSpendFilter>,
) -> AppResult<Json<UnservedResponse>> {
    let on = f.on.unwrap_or_else(|| china_date(state.clock.now()));
    Ok(Json(spend::unserved(state.db.conn(), &user, on).await?))
}
