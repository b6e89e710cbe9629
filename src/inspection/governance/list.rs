//! The scoped, filtered list of inspections.

use super::json::InspectionSummary;
use super::view;
use crate::auth::CurrentUser;
use crate::entities::{enterprise, inspection, inspection_member};
use crate::error::AppResult;
use crate::inspection::domain::{Kind, Status};
use chrono::NaiveDate;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use std::collections::HashMap;

/// Filters of `GET /api/v1/inspections`.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InspectionFilter {
    pub status: Option<Status>,
    pub kind: Option<Kind>,
    pub enterprise_id: Option<i64>,
    /// Only inspections whose team the caller is on.
    pub mine: Option<bool>,
    /// Planned in this calendar year.
    pub year: Option<i32>,
    /// 1-based page (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
}

/// One page of the inspections the user sees, newest planned first, and the total.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    f: &InspectionFilter,
) -> AppResult<(Vec<InspectionSummary>, u64)> {
    let (offset, limit) = crate::json::PageParams { page: f.page, per_page: f.per_page }.resolve()?;
    let mut q = crate::scope::scoped(inspection::Entity::find(), &user.scope);
    if !user.is_bureau_user() {
        q = q.filter(inspection::Column::Status.is_in([Status::InProgress, Status::Completed]));
    }
    if let Some(s) = f.status {
        q = q.filter(inspection::Column::Status.eq(s));
    }
    if let Some(k) = f.kind {
        q = q.filter(inspection::Column::Kind.eq(k));
    }
    if let Some(e) = f.enterprise_id {
        q = q.filter(inspection::Column::EnterpriseId.eq(e));
    }
    if let Some(y) = f.year {
        q = q.filter(
            inspection::Column::PlannedDate
                .between(NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31)),
        );
    }
    if f.mine == Some(true) {
        let on_team = Query::select()
            .column(inspection_member::Column::InspectionId)
            .from(inspection_member::Entity)
            .and_where(inspection_member::Column::UserId.eq(user.id))
            .to_owned();
        q = q.filter(inspection::Column::Id.in_subquery(on_team));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(inspection::Column::PlannedDate)
        .order_by_desc(inspection::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    let names: HashMap<i64, String> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(rows.iter().map(|i| i.enterprise_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    Ok((
        rows.iter().map(|i| view::summary(i, names.get(&i.enterprise_id).cloned().unwrap_or_default())).collect(),
        total,
    ))
}
