//! Reading services: the scoped, filtered list (a page at a time, at most
//! [`MAX_PER_PAGE`]), one service, and responses with their findings' hazards.
//!
//! Decisions:
//! - Who sees a service: an insurer's user its own insurer's; a bureau or
//!   enterprise user those of the enterprises in its scope (an enterprise's users
//!   see what was done for them).
//! - A finding shows its hazard's current status to whoever sees the service —
//!   the insurer that reported it follows the rectification through the service,
//!   not through the ledger (whose scope does not reach it).

use super::json::{InsuranceServiceFilter, InsuranceServiceResponse, ServiceFinding};
use crate::auth::CurrentUser;
use crate::entities::{hazard, insurance_policy, insurance_service, insurance_service_hazard, insurer};
use crate::error::{AppError, AppResult};
use crate::insurance::insurers::Viewer;
use crate::json::ListResponse;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

pub const MAX_PER_PAGE: u64 = 100;

/// The services the viewer may see.
pub fn visible(viewer: &Viewer) -> Condition {
    match viewer {
        Viewer::Insurer(i) => Condition::all().add(insurance_service::Column::InsurerId.eq(i.id)),
        Viewer::Scoped(_) => {
            Condition::all().add(insurance_service::Column::EnterpriseId.in_subquery(viewer.enterprises()))
        }
    }
}

async fn names<C: ConnectionTrait>(db: &C, rows: &[insurance_service::Model]) -> AppResult<Names> {
    let policies = insurance_policy::Entity::find()
        .select_only()
        .columns([insurance_policy::Column::Id, insurance_policy::Column::PolicyNo])
        .filter(insurance_policy::Column::Id.is_in(rows.iter().map(|r| r.policy_id)))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?;
    let ents = crate::enterprise::service::names(db, rows.iter().map(|r| r.enterprise_id)).await?;
    let insurers = insurer::Entity::find()
        .filter(insurer::Column::Id.is_in(rows.iter().map(|r| r.insurer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    Ok(Names { policies: policies.into_iter().collect(), ents, insurers })
}

struct Names {
    policies: HashMap<i64, String>,
    ents: HashMap<i64, String>,
    insurers: HashMap<i64, String>,
}

async fn findings<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<HashMap<i64, Vec<ServiceFinding>>> {
    let links = insurance_service_hazard::Entity::find()
        .filter(insurance_service_hazard::Column::ServiceId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let service_of: HashMap<i64, i64> = links.iter().map(|l| (l.hazard_id, l.service_id)).collect();
    let hazards = hazard::Entity::find()
        .select_only()
        .columns([hazard::Column::Id, hazard::Column::Title, hazard::Column::Level, hazard::Column::Status])
        .filter(hazard::Column::Id.is_in(service_of.keys().copied()))
        .order_by_asc(hazard::Column::Id)
        .into_tuple::<(i64, String, crate::hazard::domain::Level, crate::hazard::domain::Status)>()
        .all(db)
        .await?;
    let mut out: HashMap<i64, Vec<ServiceFinding>> = HashMap::new();
    for (hazard_id, title, level, status) in hazards {
        if let Some(s) = service_of.get(&hazard_id) {
            out.entry(*s).or_default().push(ServiceFinding { hazard_id, title, level, status });
        }
    }
    Ok(out)
}

/// Services as responses, with names and findings.
pub async fn responses<C: ConnectionTrait>(
    db: &C,
    rows: Vec<insurance_service::Model>,
) -> AppResult<Vec<InsuranceServiceResponse>> {
    let n = names(db, &rows).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut found = findings(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|s| InsuranceServiceResponse {
            policy_no: n.policies.get(&s.policy_id).cloned().unwrap_or_default(),
            enterprise_name: n.ents.get(&s.enterprise_id).cloned().unwrap_or_default(),
            insurer: n.insurers.get(&s.insurer_id).cloned().unwrap_or_default(),
            findings: found.remove(&s.id).unwrap_or_default(),
            id: s.id,
            policy_id: s.policy_id,
            enterprise_id: s.enterprise_id,
            insurer_id: s.insurer_id,
            kind: s.kind,
            served_on: s.served_on,
            cost_yuan: s.cost_yuan,
            provider: s.provider,
            experts: s.experts,
            summary: s.summary,
            created_at: s.created_at,
        })
        .collect())
}

/// A page of the services the caller may see, the latest served first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    f: &InsuranceServiceFilter,
) -> AppResult<ListResponse<InsuranceServiceResponse>> {
    use insurance_service::Column as S;
    let viewer = Viewer::of(db, user).await?;
    let mut q = insurance_service::Entity::find().filter(visible(&viewer));
    if let Some(e) = f.enterprise_id {
        q = q.filter(S::EnterpriseId.eq(e));
    }
    if let Some(p) = f.policy_id {
        q = q.filter(S::PolicyId.eq(p));
    }
    if let Some(i) = f.insurer_id {
        q = q.filter(S::InsurerId.eq(i));
    }
    if let Some(k) = f.kind {
        q = q.filter(S::Kind.eq(k));
    }
    let per_page = f.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
    let page = f.page.unwrap_or(1).max(1);
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(S::ServedOn)
        .order_by_desc(S::Id)
        .offset((page - 1).saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok(ListResponse { items: responses(db, rows).await?, total })
}

/// One service the caller may see; 404 otherwise.
pub async fn get<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<InsuranceServiceResponse> {
    let viewer = Viewer::of(db, user).await?;
    let s =
        insurance_service::Entity::find_by_id(id).filter(visible(&viewer)).one(db).await?.ok_or(AppError::NotFound)?;
    responses(db, vec![s]).await?.pop().ok_or(AppError::NotFound)
}
