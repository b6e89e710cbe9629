//! Reading filings: the scoped, filtered list (a page at a time, at most
//! [`PER_PAGE`]), one filing with its documents, drills and `allowed_actions`.

use super::json::{DrillResponse, FilingFilter, FilingResponse, FilingSummary, PlanDocumentResponse};
use super::{policy, service};
use crate::auth::CurrentUser;
use crate::entities::{
    bureau, emergency_plan_document as doc, emergency_plan_drill as drill, emergency_plan_filing as filing, enterprise,
};
use crate::error::AppResult;
use crate::json::ListResponse;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Filings per page of the list.
pub const PER_PAGE: u64 = 50;
/// Drills listed on a filing, at most (the latest).
pub const MAX_DRILLS: u64 = 200;

impl crate::scope::Owned for filing::Entity {
    fn bureau() -> Self::Column {
        filing::Column::BureauId
    }
    fn sector() -> Option<Self::Column> {
        Some(filing::Column::Sector)
    }
    fn enterprise() -> Option<Self::Column> {
        Some(filing::Column::EnterpriseId)
    }
}

fn summary(m: &filing::Model, names: &HashMap<i64, String>) -> FilingSummary {
    FilingSummary {
        id: m.id,
        enterprise_id: m.enterprise_id,
        enterprise_name: names.get(&m.enterprise_id).cloned().unwrap_or_default(),
        sector: m.sector,
        status: m.status,
        status_zh: m.status.zh().to_owned(),
        round: m.round,
        number: m.number.clone(),
        accepted_on: m.accepted_on,
        filed_at: m.filed_at,
    }
}

async fn names<C: ConnectionTrait>(db: &C, ids: impl Iterator<Item = i64>) -> AppResult<HashMap<i64, String>> {
    Ok(enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect())
}

/// A page of the filings the caller may see, newest filing first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    f: &FilingFilter,
) -> AppResult<ListResponse<FilingSummary>> {
    let mut q = crate::scope::scoped(filing::Entity::find(), &user.scope);
    if let Some(s) = f.status {
        q = q.filter(filing::Column::Status.eq(s));
    }
    if let Some(e) = f.enterprise_id {
        q = q.filter(filing::Column::EnterpriseId.eq(e));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let named = Query::select()
            .column(enterprise::Column::Id)
            .from(enterprise::Entity)
            .and_where(crate::like::contains(enterprise::Column::Name, text))
            .to_owned();
        q = q.filter(filing::Column::EnterpriseId.in_subquery(named));
    }
    let total = q.clone().count(db).await?;
    let page = f.page.unwrap_or(1);
    if page == 0 || page > crate::json::MAX_PAGE {
        return Err(crate::error::AppError::validation("page", format!("页码应在 1–{} 之间", crate::json::MAX_PAGE)));
    }
    let rows = q
        .order_by_desc(filing::Column::FiledAt)
        .order_by_desc(filing::Column::Id)
        .offset((page - 1).saturating_mul(PER_PAGE))
        .limit(PER_PAGE)
        .all(db)
        .await?;
    let names = names(db, rows.iter().map(|r| r.enterprise_id)).await?;
    Ok(ListResponse { items: rows.iter().map(|r| summary(r, &names)).collect(), total })
}

/// One filing as the caller sees it (404 outside the scope).
pub async fn get<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<FilingResponse> {
    let m = service::visible(db, user, id).await?;
    respond(db, user, m).await
}

/// The response of a filing the caller has seen.
pub async fn respond<C: ConnectionTrait>(db: &C, user: &CurrentUser, m: filing::Model) -> AppResult<FilingResponse> {
    let names = names(db, std::iter::once(m.enterprise_id)).await?;
    let bureau_name = bureau::Entity::find_by_id(m.bureau_id).one(db).await?.map(|b| b.name).unwrap_or_default();
    let documents = doc::Entity::find()
        .filter(doc::Column::FilingId.eq(m.id))
        .order_by_asc(doc::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| PlanDocumentResponse {
            id: d.id,
            kind: d.kind,
            kind_zh: d.kind.zh().to_owned(),
            title: d.title,
            attachment_id: d.attachment_id,
            published_on: d.published_on,
            evaluated_on: d.evaluated_on,
            evaluation_form: d.evaluation_form,
            evaluation_conclusion: d.evaluation_conclusion,
        })
        .collect();
    let drills = drill::Entity::find()
        .filter(drill::Column::FilingId.eq(m.id))
        .order_by_desc(drill::Column::DrilledOn)
        .order_by_desc(drill::Column::Id)
        .limit(MAX_DRILLS)
        .all(db)
        .await?
        .into_iter()
        .map(|r| DrillResponse {
            id: r.id,
            document_id: r.document_id,
            plan_kind: r.plan_kind,
            form: r.form,
            form_zh: r.form.zh().to_owned(),
            drilled_on: r.drilled_on,
            participants: r.participants,
            summary: r.summary,
        })
        .collect();
    Ok(FilingResponse {
        summary: summary(&m, &names),
        bureau_id: m.bureau_id,
        bureau_name,
        return_reason: m.return_reason.clone(),
        documents,
        drills,
        allowed_actions: policy::available(user, &m),
    })
}
