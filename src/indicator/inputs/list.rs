//! What is entered, as the API and the page list it: the entries of the regions the
//! caller's bureau covers (a region outside it is 404), by region then year, capped.

use super::json::{BaselineResponse, DenominatorResponse, InputsFilter, TargetResponse};
use crate::auth::CurrentUser;
use crate::enterprise::domain::RegionCode;
use crate::entities::{
    bureau, indicator_baseline as baseline, indicator_denominator as denom, indicator_target as target,
};
use crate::error::{AppError, AppResult};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The most entries a list returns (regions × years × indicators of one territory).
pub const CAP: u64 = 2_000;

/// The bureau whose territory a bureau user reads (403 for anyone else).
pub async fn reader<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<bureau::Model> {
    if !user.roles.iter().any(|r| r.is_bureau_role()) {
        return Err(AppError::Forbidden);
    }
    crate::scope::own_bureau(db, user).await
}

/// The codes to read between: the filter's region (404 outside the territory) or the whole territory.
fn range(b: &bureau::Model, f: &InputsFilter) -> AppResult<(String, String)> {
    let own = RegionCode::parse(&b.region_code).map_err(|_| AppError::NotFound)?;
    match f.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(own.bounds()),
        Some(r) if super::checks::covers(b, r) => Ok((r.to_owned(), r.to_owned())),
        Some(_) => Err(AppError::NotFound),
    }
}

pub fn region_name(code: &str) -> String {
    crate::bureau::regions::name(code).map_or_else(|| code.to_owned(), str::to_owned)
}

pub fn indicator_name(code: &str) -> String {
    crate::indicator::rules::data()
        .ok()
        .and_then(|d| d.indicator(code))
        .map_or_else(|| code.to_owned(), |i| i.name.clone())
}

pub async fn denominators<C: ConnectionTrait>(
    db: &C,
    b: &bureau::Model,
    f: &InputsFilter,
) -> AppResult<Vec<DenominatorResponse>> {
    let (low, high) = range(b, f)?;
    let mut q = denom::Entity::find()
        .filter(denom::Column::RegionCode.between(low, high))
        .order_by_asc(denom::Column::RegionCode)
        .order_by_desc(denom::Column::Year)
        .limit(CAP);
    if let Some(y) = f.year {
        q = q.filter(denom::Column::Year.eq(y));
    }
    Ok(q.all(db).await?.into_iter().map(denominator_view).collect())
}

pub fn denominator_view(m: denom::Model) -> DenominatorResponse {
    DenominatorResponse {
        id: m.id,
        region_name: region_name(&m.region_code),
        region_code: m.region_code,
        year: m.year,
        gdp_100m_yuan: m.gdp_100m_yuan,
        industrial_workers: m.industrial_workers,
        source: m.source,
        bureau_id: m.bureau_id,
        updated_at: m.updated_at,
    }
}

pub async fn baselines<C: ConnectionTrait>(
    db: &C,
    b: &bureau::Model,
    f: &InputsFilter,
) -> AppResult<Vec<BaselineResponse>> {
    let (low, high) = range(b, f)?;
    let mut q = baseline::Entity::find()
        .filter(baseline::Column::RegionCode.between(low, high))
        .order_by_asc(baseline::Column::RegionCode)
        .order_by_asc(baseline::Column::Indicator)
        .order_by_desc(baseline::Column::Year)
        .limit(CAP);
    if let Some(y) = f.year {
        q = q.filter(baseline::Column::Year.eq(y));
    }
    Ok(q.all(db).await?.into_iter().map(baseline_view).collect())
}

pub fn baseline_view(m: baseline::Model) -> BaselineResponse {
    BaselineResponse {
        id: m.id,
        region_name: region_name(&m.region_code),
        region_code: m.region_code,
        indicator_name: indicator_name(&m.indicator),
        indicator: m.indicator,
        year: m.year,
        value: m.value,
        source: m.source,
        bureau_id: m.bureau_id,
        updated_at: m.updated_at,
    }
}

/// The live (not withdrawn) bureau targets.
pub async fn targets<C: ConnectionTrait>(
    db: &C,
    b: &bureau::Model,
    f: &InputsFilter,
) -> AppResult<Vec<TargetResponse>> {
    let (low, high) = range(b, f)?;
    let mut q = target::Entity::find()
        .filter(target::Column::RegionCode.between(low, high))
        .filter(target::Column::DeletedAt.is_null())
        .order_by_asc(target::Column::RegionCode)
        .order_by_asc(target::Column::Indicator)
        .order_by_desc(target::Column::Year)
        .limit(CAP);
    if let Some(y) = f.year {
        q = q.filter(target::Column::Year.eq(y));
    }
    Ok(q.all(db).await?.into_iter().map(target_view).collect())
}

pub fn target_view(m: target::Model) -> TargetResponse {
    TargetResponse {
        id: m.id,
        region_name: region_name(&m.region_code),
        region_code: m.region_code,
        indicator_name: indicator_name(&m.indicator),
        indicator: m.indicator,
        year: m.year,
        plan: m.plan,
        value: m.value,
        change_percent: m.change_percent,
        base_year: m.base_year,
        line: m.line,
        binding: m.binding,
        bureau_id: m.bureau_id,
        updated_at: m.updated_at,
    }
}
