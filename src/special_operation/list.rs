//! Reading listings: the scoped, filtered list (a page at a time, at most
//! [`MAX_PER_PAGE`]) and one listing. The scope is the enterprise's: a bureau user
//! sees the workers of the enterprises it supervises (its sectors, if limited), an
//! enterprise user its own.
//!
//! Decision: the list shows running listings unless `include_ended`; a status
//! filter reads today's status with the reminder window of the rules (the same
//! rule as [`super::domain::status`], as SQL).

use super::domain::{self, Cert, CertStatus};
use super::json::{
    SpecialOperationCategory, SpecialOperationWorkerFilter, SpecialOperationWorkerList, SpecialOperationWorkerResponse,
};
use super::policy::{self, Actor};
use super::rules::rules;
use crate::auth::{CurrentUser, Scope};
use crate::entities::{enterprise, special_operation_worker as worker};
use crate::error::{AppError, AppResult};
use chrono::{Days, NaiveDate};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use std::collections::HashMap;

pub const MAX_PER_PAGE: u64 = 100;

/// Listings of the enterprises the scope may see.
pub fn in_scope(scope: &Scope) -> Condition {
    let ids = crate::scope::scoped(enterprise::Entity::find().select_only().column(enterprise::Column::Id), scope)
        .into_query();
    Condition::all().add(worker::Column::EnterpriseId.in_subquery(ids))
}

/// The certificate of a listing, if it has one.
pub fn cert_of(w: &worker::Model) -> Option<Cert> {
    match (w.certificate_no.as_ref(), w.issued_on, w.expires_on) {
        (Some(_), Some(issued_on), Some(expires_on)) => Some(Cert { issued_on, review_due: w.review_due, expires_on }),
        _ => None,
    }
}

/// Today's status of a listing.
pub fn status_of(w: &worker::Model, today: NaiveDate) -> AppResult<CertStatus> {
    Ok(domain::status(cert_of(w), today, rules()?.reminders.days_before))
}

/// The status rule as an SQL condition on `today` with a window of `window` days.
pub fn status_condition(s: CertStatus, today: NaiveDate, window: u32) -> Condition {
    use worker::Column as W;
    let horizon = today.checked_add_days(Days::new(u64::from(window))).unwrap_or(today);
    let held = Condition::all().add(W::CertificateNo.is_not_null()).add(W::IssuedOn.lte(today));
    let valid = held.clone().add(W::ExpiresOn.gte(today));
    match s {
        CertStatus::Missing => Condition::any().add(W::CertificateNo.is_null()).add(W::IssuedOn.gt(today)),
        CertStatus::Expired => held.add(W::ExpiresOn.lt(today)),
        CertStatus::Expiring => valid.add(W::ExpiresOn.lte(horizon)),
        CertStatus::ReviewDue => valid.add(W::ExpiresOn.gt(horizon)).add(W::ReviewDue.lte(horizon)),
        CertStatus::Valid => valid
            .add(W::ExpiresOn.gt(horizon))
            .add(Condition::any().add(W::ReviewDue.is_null()).add(W::ReviewDue.gt(horizon))),
    }
}

/// Listings as responses, with their enterprise names.
pub async fn responses<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    rows: Vec<worker::Model>,
    today: NaiveDate,
) -> AppResult<Vec<SpecialOperationWorkerResponse>> {
    let r = rules()?;
    let names: HashMap<i64, String> = enterprise::Entity::find()
        .select_only()
        .columns([enterprise::Column::Id, enterprise::Column::Name])
        .filter(enterprise::Column::Id.is_in(rows.iter().map(|w| w.enterprise_id)))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let actor = Actor::of(user);
    Ok(rows
        .into_iter()
        .map(|w| SpecialOperationWorkerResponse {
            allowed_actions: policy::available(&actor, &w).iter().map(|a| a.as_str().to_owned()).collect(),
            status: domain::status(cert_of(&w), today, r.reminders.days_before),
            enterprise_name: names.get(&w.enterprise_id).cloned().unwrap_or_default(),
            category_name: r.category_name(&w.category),
            id: w.id,
            enterprise_id: w.enterprise_id,
            name: w.name,
            id_number_masked: w.id_number_masked,
            category: w.category,
            certificate_no: w.certificate_no,
            issued_by: w.issued_by,
            issued_on: w.issued_on,
            review_due: w.review_due,
            expires_on: w.expires_on,
            listed_on: w.listed_on,
            ended_on: w.ended_on,
            end_reason: w.end_reason,
        })
        .collect())
}

/// The catalogue of posts.
pub fn categories() -> AppResult<Vec<SpecialOperationCategory>> {
    Ok(rules()?
        .categories
        .iter()
        .map(|c| SpecialOperationCategory { code: c.code.clone(), name: c.name.clone(), verified: c.verified })
        .collect())
}

/// A page of the listings the caller may see: by enterprise, post and name.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    f: &SpecialOperationWorkerFilter,
    today: NaiveDate,
) -> AppResult<SpecialOperationWorkerList> {
    use worker::Column as W;
    let r = rules()?;
    let mut q = worker::Entity::find().filter(in_scope(&user.scope));
    if let Some(e) = f.enterprise_id {
        q = q.filter(W::EnterpriseId.eq(e));
    }
    if let Some(text) = f.enterprise_name.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.chars().count() > crate::limits::SHORT {
            return Err(AppError::validation("enterprise_name", "企业名称最多 100 个字"));
        }
        let named = enterprise::Entity::find()
            .select_only()
            .column(enterprise::Column::Id)
            .filter(crate::like::contains(enterprise::Column::Name, text));
        q = q.filter(W::EnterpriseId.in_subquery(sea_orm::QueryTrait::into_query(named)));
    }
    if let Some(c) = f.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        if r.category(c).is_none() {
            return Err(AppError::validation("category", "作业类别不在特种作业目录中"));
        }
        q = q.filter(W::Category.eq(c));
    }
    if !f.include_ended.unwrap_or(false) {
        q = q.filter(W::EndedOn.is_null());
    }
    if let Some(s) = f.status {
        q = q.filter(W::EndedOn.is_null()).filter(status_condition(s, today, r.reminders.days_before));
    }
    let per_page = f.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
    let page = f.page.unwrap_or(1).max(1);
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(W::EnterpriseId)
        .order_by_asc(W::Category)
        .order_by_asc(W::Name)
        .order_by_asc(W::Id)
        .offset((page - 1).saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok(SpecialOperationWorkerList { items: responses(db, user, rows, today).await?, total, categories: categories()? })
}

/// One listing the caller may see; 404 otherwise.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    today: NaiveDate,
) -> AppResult<SpecialOperationWorkerResponse> {
    let w = super::service::visible(db, user, id).await?;
    responses(db, user, vec![w], today).await?.pop().ok_or(AppError::NotFound)
}
