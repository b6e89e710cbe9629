//! Listing the register within a scope, with filters and cached totals.

use super::domain::RegionCode;
use super::json::EnterpriseFilter;
use super::service::scoped;
use crate::auth::Scope;
use crate::entities::enterprise;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select};

/// A county is an equality on the indexed region code, so a page is read in id
/// order straight from the (region, sector, id) index. A city or province is a
/// range over many counties: written so that no index on the region applies
/// (`region_code || ''`), the page is then read in id order and the scan stops
/// after one page, instead of sorting every enterprise of the range.
fn region_condition(region: &RegionCode) -> sea_orm::Condition {
    use sea_orm::sea_query::{Expr, ExprTrait};
    if region.level() == crate::enterprise::domain::RegionLevel::County {
        return sea_orm::Condition::all().add(enterprise::Column::RegionCode.eq(region.as_str()));
    }
    let (low, high) = region.bounds();
    let unindexed = Expr::cust(r#""enterprises"."region_code" || ''"#);
    sea_orm::Condition::all().add(unindexed.between(low, high))
}

/// The filtered, scoped query (without paging).
pub fn filtered(scope: &Scope, f: &EnterpriseFilter) -> AppResult<Select<enterprise::Entity>> {
    let mut q = scoped(enterprise::Entity::find(), scope);
    if let Some(s) = f.sector {
        q = q.filter(enterprise::Column::Sector.eq(s.as_str()));
    }
    if let Some(r) = f.region.as_deref().filter(|r| !r.is_empty()) {
        let region = RegionCode::parse(r).map_err(|e| AppError::validation("region", e.to_string()))?;
        q = q.filter(region_condition(&region));
    }
    if let Some(s) = f.status {
        q = q.filter(enterprise::Column::Status.eq(s.as_str()));
    }
    if let Some(g) = f.risk_grade {
        q = q.filter(enterprise::Column::RiskGrade.eq(g.as_str()));
    }
    if let Some(c) = f.supervision_class.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let caps = crate::inspection::governance::cap::caps();
        let Some(class) = caps.named(c).filter(|_| c.chars().count() <= 40) else {
            return Err(AppError::validation("supervision_class", "没有这个监管类别"));
        };
        // The default class holds the enterprises not yet classed as well.
        let mut any = Condition::any().add(enterprise::Column::SupervisionClass.eq(class.code.as_str()));
        if class.code == caps.default_class {
            any = any.add(enterprise::Column::SupervisionClass.is_null());
        }
        q = q.filter(any);
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        q = q.filter(
            Condition::any()
                .add(crate::like::contains(enterprise::Column::Name, text))
                .add(crate::like::starts_with(enterprise::Column::CreditCode, &text.to_uppercase())),
        );
    }
    Ok(q)
}

/// One page and the total.
pub async fn list(state: &AppState, scope: &Scope, f: &EnterpriseFilter) -> AppResult<(Vec<enterprise::Model>, u64)> {
    let (offset, limit) = crate::json::PageParams { page: f.page, per_page: f.per_page }.resolve()?;
    let q = filtered(scope, f)?;
    let key = format!(
        "{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        scope.cache_key(),
        f.sector,
        f.region,
        f.status,
        f.q,
        f.risk_grade,
        f.supervision_class
    );
    let total = if let Some(t) = state.totals.get(&key) {
        t
    } else {
        let t = q.clone().count(state.db.conn()).await?;
        state.totals.put(key, t);
        t
    };
    let items = q.order_by_asc(enterprise::Column::Id).offset(offset).limit(limit).all(state.db.conn()).await?;
    Ok((items, total))
}
