//! HTTP handlers of the register: extract, authorise, call a service, respond.

use super::json::{
    CreateEnterpriseRequest, CreateLicenceRequest, EnterpriseDetailResponse, EnterpriseFilter, EnterpriseResponse,
    LicenceResponse, UpdateEnterpriseRequest,
};
use super::{detail, service};
use crate::auth::CurrentUser;
use crate::entities::enterprise;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

pub use super::export::{__path_export_enterprises, export_enterprises};
pub use super::import::http::{__path_import_enterprises, import_enterprises};
pub use super::onboarding::{__path_generate_accounts, generate_accounts};

/// Register an enterprise (regulators).
#[utoipa::path(post, path = "/api/v1/enterprises", tag = "enterprises", request_body = CreateEnterpriseRequest,
    responses((status = 201, body = EnterpriseResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_enterprise(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateEnterpriseRequest>,
) -> AppResult<(StatusCode, Json<EnterpriseResponse>)> {
    let row = state.write(user.actor(), async |tx| super::write::register(tx, &user, &req).await).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// List enterprises in the user's scope.
#[utoipa::path(get, path = "/api/v1/enterprises", tag = "enterprises", params(EnterpriseFilter),
    responses((status = 200, body = ListResponse<EnterpriseResponse>), (status = 422, body = ErrorBody)))]
pub async fn list_enterprises(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(filter): ApiQuery<EnterpriseFilter>,
) -> AppResult<Json<ListResponse<EnterpriseResponse>>> {
    let (items, total) = super::list::list(&state, &user.scope, &filter).await?;
    Ok(Json(ListResponse { items: items.into_iter().map(Into::into).collect(), total }))
}

/// One enterprise with licences and status history.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}", tag = "enterprises", params(("id" = i64, Path)),
    responses((status = 200, body = EnterpriseDetailResponse), (status = 404, body = ErrorBody)))]
pub async fn get_enterprise(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<EnterpriseDetailResponse>> {
    let row = service::get_scoped(state.db.conn(), &user.scope, id).await?;
    Ok(Json(detail::load(state.db.conn(), row).await?))
}

/// Change only the fields given.
#[utoipa::path(patch, path = "/api/v1/enterprises/{id}", tag = "enterprises", params(("id" = i64, Path)),
    request_body = UpdateEnterpriseRequest,
    responses((status = 200, body = EnterpriseResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_enterprise(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<UpdateEnterpriseRequest>,
) -> AppResult<Json<EnterpriseResponse>> {
    let row = state.write(user.actor(), async |tx| super::write::update(tx, &user, id, &req).await).await?;
    Ok(Json(row.into()))
}

/// Record a licence (regulators).
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/licences", tag = "enterprises", params(("id" = i64, Path)),
    request_body = CreateLicenceRequest,
    responses((status = 201, body = LicenceResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_licence(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<CreateLicenceRequest>,
) -> AppResult<(StatusCode, Json<LicenceResponse>)> {
    let row = state.write(user.actor(), async |tx| super::write::add_licence(tx, &user, id, &req).await).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

impl From<enterprise::Model> for EnterpriseResponse {
    fn from(m: enterprise::Model) -> Self {
        Self {
            id: m.id,
            credit_code: m.credit_code,
            name: m.name,
            sector: m.sector,
            sub_types: super::draft::split_codes(&m.sub_types),
            special_topics: super::draft::split_codes(&m.special_topics),
            region_code: m.region_code,
            supervising_bureau_id: m.supervising_bureau_id,
            address: m.address,
            legal_representative: m.legal_representative,
            principal: m.principal,
            phone: m.phone,
            email: m.email,
            employees: m.employees,
            above_designated_size: m.above_designated_size,
            major_hazard_grade: m.major_hazard_grade,
            standardization_grade: m.standardization_grade,
            standardization_date: m.standardization_date,
            longitude: m.longitude,
            latitude: m.latitude,
            status: m.status,
            risk_grade: m.risk_grade,
            supervision_class: crate::inspection::governance::cap::caps()
                .class_by_code(m.supervision_class.as_deref())
                .map_or_else(|| m.supervision_class.clone().unwrap_or_default(), |c| c.code.clone()),
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}
