//! HTTP handlers of the register: extract, authorise, call a service, respond.

use super::json::{
    CreateEnterpriseRequest, CreateLicenceRequest, EnterpriseDetailResponse, EnterpriseFilter, EnterpriseResponse,
    LicenceResponse, UpdateEnterpriseRequest,
};
use super::{detail, service};
use crate::auth::{CurrentUser, Role, Scope};
use crate::entities::{bureau, enterprise};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::EntityTrait;

pub use super::export::{__path_export_enterprises, export_enterprises};
pub use super::import::http::{__path_import_enterprises, import_enterprises};
pub use super::onboarding::{__path_generate_accounts, generate_accounts};

/// The user's own bureau row (bureau users only).
pub async fn own_bureau(state: &AppState, user: &CurrentUser) -> AppResult<bureau::Model> {
    let id = user.bureau.as_ref().ok_or(AppError::Forbidden)?.id;
    bureau::Entity::find_by_id(id).one(state.db.conn()).await?.ok_or(AppError::Forbidden)
}

/// Whether a bureau is the user's own or one below it.
async fn in_scope_bureau(state: &AppState, user: &CurrentUser, bureau_id: i64) -> AppResult<bool> {
    let Scope::Bureaus { path, .. } = &user.scope else { return Ok(false) };
    let found = bureau::Entity::find_by_id(bureau_id).one(state.db.conn()).await?;
    Ok(found.is_some_and(|b| b.path.starts_with(path.as_str())))
}

fn jurisdiction_error() -> AppError {
    AppError::validation("region_code", "该行政区划不在本机构管辖范围内（out_of_jurisdiction）")
}

/// Register an enterprise (regulators).
#[utoipa::path(post, path = "/api/v1/enterprises", tag = "enterprises", request_body = CreateEnterpriseRequest,
    responses((status = 201, body = EnterpriseResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_enterprise(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateEnterpriseRequest>,
) -> AppResult<(StatusCode, Json<EnterpriseResponse>)> {
    user.require_any(&[Role::Regulator])?;
    let own = own_bureau(&state, &user).await?;
    let (code, draft, problems) = service::draft_from_create(&req);
    if !problems.is_empty() {
        return Err(AppError::Validation(service::to_field_errors(problems)));
    }
    let (Some(code), Some(region)) = (code, draft.region.clone()) else { return Err(AppError::NotFound) };
    if !super::super::bureau::covers_region(&own, &region) {
        return Err(jurisdiction_error());
    }
    if let Some(b) = req.supervising_bureau_id
        && !in_scope_bureau(&state, &user, b).await?
    {
        return Err(AppError::validation("supervising_bureau_id", "只能指定本机构或下级机构为监管主体"));
    }
    let ctx = state.audit_ctx(user.actor());
    let txn = state.db.begin_write().await?;
    let bureau_id = match req.supervising_bureau_id {
        Some(b) => b,
        None => service::default_bureau(&txn, &ctx, &region.county_or_self()).await?,
    };
    let row = service::create(&txn, &ctx, &code, &draft, bureau_id).await?;
    txn.commit().await?;
    state.register_written();
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

/// Fields an enterprise's own principal or safety officer may correct.
const SELF_SERVICE: &str = "address, legal_representative, principal, phone, email, employees, longitude, latitude";

fn check_update_rights(user: &CurrentUser, req: &UpdateEnterpriseRequest) -> AppResult<()> {
    if user.has(Role::Regulator) {
        return Ok(());
    }
    user.require_any(&[Role::Principal, Role::SafetyOfficer])?;
    let regulated = req.name.is_some()
        || req.sector.is_some()
        || req.sub_types.is_some()
        || req.special_topics.is_some()
        || req.region_code.is_some()
        || req.supervising_bureau_id.is_some()
        || req.above_designated_size.is_some()
        || req.major_hazard_grade.is_some()
        || req.standardization_grade.is_some()
        || req.standardization_date.is_some()
        || req.status.is_some();
    if regulated {
        return Err(AppError::bad_request("regulated_field", format!("企业用户只能修改：{SELF_SERVICE}")));
    }
    Ok(())
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
    service::get_scoped(state.db.conn(), &user.scope, id).await?;
    check_update_rights(&user, &req)?;
    let (draft, mut problems) = service::draft_from_update(&req);
    if req.status.is_some() && req.status_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        problems.push(("status_reason", "missing_required", "变更经营状态须说明原因".to_owned()));
    }
    if let Some(b) = req.supervising_bureau_id
        && !in_scope_bureau(&state, &user, b).await?
    {
        problems.push((
            "supervising_bureau_id",
            "out_of_jurisdiction",
            "只能指定本机构或下级机构为监管主体".to_owned(),
        ));
    }
    if let Some(region) = &draft.region {
        let own = own_bureau(&state, &user).await?;
        if !super::super::bureau::covers_region(&own, region) {
            problems.push(("region_code", "out_of_jurisdiction", "该行政区划不在本机构管辖范围内".to_owned()));
        }
    }
    let ctx = state.audit_ctx(user.actor());
    let txn = state.db.begin_write().await?;
    let row = service::get_scoped(&txn, &user.scope, id).await?;
    let (sector, subs, topics) = service::stored_kinds(&row);
    let sector = draft.sector.or(sector).ok_or(AppError::NotFound)?;
    let subs = draft.sub_types.clone().unwrap_or(subs);
    let topics = draft.special_topics.clone().unwrap_or(topics);
    problems.extend(super::draft::check_consistency(sector, &subs, &topics));
    if !problems.is_empty() {
        return Err(AppError::Validation(service::to_field_errors(problems)));
    }
    if req.version.is_some_and(|v| v != row.version) {
        return Err(AppError::conflict("version_conflict", "该企业信息已被他人修改，请刷新后重试"));
    }
    let previous = row.status;
    let status = req.status.filter(|s| *s != previous);
    let updated = service::update_row(&txn, &ctx, row, &draft, req.supervising_bureau_id, status).await?;
    if let Some(s) = status {
        service::record_status(&txn, &ctx, id, s, Some(previous), req.status_reason.as_deref()).await?;
    }
    txn.commit().await?;
    state.register_written();
    Ok(Json(updated.into()))
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
    service::get_scoped(state.db.conn(), &user.scope, id).await?;
    user.require_any(&[Role::Regulator])?;
    let ctx = state.audit_ctx(user.actor());
    let txn = state.db.begin_write().await?;
    let row = detail::add_licence(&txn, &ctx, id, &req).await?;
    txn.commit().await?;
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
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}
