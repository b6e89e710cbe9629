//! The register's write use cases: register an enterprise, change it, record a
//! licence. Each runs on the caller's transaction (see [`crate::write`]) and
//! marks the register touched; a change of supervising bureau, sector or
//! status is published through [`crate::events`] by [`service::update_row`].

use super::json::{CreateEnterpriseRequest, CreateLicenceRequest, UpdateEnterpriseRequest};
use super::{detail, service};
use crate::auth::{CurrentUser, Role};
use crate::entities::{enterprise, licence};
use crate::error::{AppError, AppResult};
use crate::scope;
use crate::write::{Touched, Tx};

fn jurisdiction_error() -> AppError {
    AppError::validation("region_code", "该行政区划不在本机构管辖范围内（out_of_jurisdiction）")
}

/// Registers an enterprise (regulators), in their territory.
pub async fn register(tx: &Tx, user: &CurrentUser, req: &CreateEnterpriseRequest) -> AppResult<enterprise::Model> {
    user.require_any(&[Role::Regulator])?;
    let own = scope::own_bureau(tx, user).await?;
    let (code, draft, mut problems) = service::draft_from_create(req);
    if let Some(b) = req.supervising_bureau_id
        && scope::bureau_below(tx, user, b).await.is_err()
    {
        problems.push(("supervising_bureau_id", "out_of_jurisdiction", scope::BUREAU_OUT_OF_SCOPE.to_owned()));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(service::to_field_errors(problems)));
    }
    let (Some(code), Some(region)) = (code, draft.region.clone()) else { return Err(AppError::NotFound) };
    if !crate::bureau::covers_region(&own, &region) {
        return Err(jurisdiction_error());
    }
    tx.touch(Touched::Register);
    let bureau_id = match req.supervising_bureau_id {
        Some(b) => b,
        None => service::default_bureau(tx, tx.ctx(), &region.county_or_self()).await?,
    };
    service::create(tx, tx.ctx(), &code, &draft, bureau_id).await
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

/// Changes only the fields given (regulators; an enterprise's principal or
/// safety officer its contact details).
pub async fn update(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    req: &UpdateEnterpriseRequest,
) -> AppResult<enterprise::Model> {
    let row = service::get_scoped(tx, &user.scope, id).await?;
    check_update_rights(user, req)?;
    let (draft, mut problems) = service::draft_from_update(req);
    if req.status.is_some() && req.status_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        problems.push(("status_reason", "missing_required", "变更经营状态须说明原因".to_owned()));
    }
    if let Some(b) = req.supervising_bureau_id
        && scope::bureau_below(tx, user, b).await.is_err()
    {
        problems.push(("supervising_bureau_id", "out_of_jurisdiction", scope::BUREAU_OUT_OF_SCOPE.to_owned()));
    }
    if let Some(region) = &draft.region
        && !crate::bureau::covers_region(&scope::own_bureau(tx, user).await?, region)
    {
        problems.push(("region_code", "out_of_jurisdiction", "该行政区划不在本机构管辖范围内".to_owned()));
    }
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
    tx.touch(Touched::Register);
    let previous = row.status;
    let status = req.status.filter(|s| *s != previous);
    let updated = service::update_row(tx, tx.ctx(), row, &draft, req.supervising_bureau_id, status).await?;
    if let Some(s) = status {
        service::record_status(tx, tx.ctx(), id, s, Some(previous), req.status_reason.as_deref()).await?;
    }
    Ok(updated)
}

/// Records a licence (regulators).
pub async fn add_licence(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    req: &CreateLicenceRequest,
) -> AppResult<licence::Model> {
    service::get_scoped(tx, &user.scope, id).await?;
    user.require_any(&[Role::Regulator])?;
    detail::add_licence(tx, tx.ctx(), id, req).await
}
