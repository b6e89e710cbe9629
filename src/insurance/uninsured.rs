//! The uninsured and under-insured mandatory enterprises of a regulator's scope
//! (未投保、保障不足的高危企业), with the legal basis (安全生产法 arts. 51, 109).
//!
//! Set-based: one query finds the mandatory enterprises in scope without cover
//! (the mandatory rule and the floor are the rules as SQL, [`super::rules`]), one
//! more reads their policies, and the pure check ([`super::domain::assess`]) says
//! why for each. At most [`MAX_LISTED`] rows, the earliest registered first.

use super::domain::{self, Insured, Problem};
use super::rules::rules;
use super::view::{BASIS, cover_of};
use crate::auth::CurrentUser;
use crate::entities::{enterprise, insurance_policy};
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

pub const MAX_LISTED: u64 = 500;

/// One enterprise that must insure and is not covered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UninsuredEnterprise {
    pub enterprise_id: i64,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    pub sector: crate::enterprise::domain::Sector,
    pub problems: Vec<Problem>,
}

/// `GET /api/v1/insurance/uninsured`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UninsuredResponse {
    pub items: Vec<UninsuredEnterprise>,
    pub total: u64,
    pub basis: String,
}

/// Whether an enterprise row (table `enterprises`) is covered on `today`, as SQL
/// (the day is a formatted date, safe to inline).
pub fn covered_sql(floor_sql: &str, today: NaiveDate) -> String {
    let today = format!("'{}'", today.format("%Y-%m-%d"));
    format!(
        "EXISTS (SELECT 1 FROM insurance_policies p WHERE p.enterprise_id = enterprises.id \
         AND p.starts_on <= {today} AND p.ends_on >= {today} AND (p.cancelled_on IS NULL OR p.cancelled_on > {today}) \
         AND p.death_disability_limit_yuan >= {floor_sql} \
         AND p.insured_headcount >= COALESCE(enterprises.employees, 0))"
    )
}

/// The list for a bureau user (403 for anyone else).
pub async fn list<C: ConnectionTrait>(db: &C, user: &CurrentUser, today: NaiveDate) -> AppResult<UninsuredResponse> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let r = rules()?;
    let q = crate::scope::scoped(enterprise::Entity::find(), &user.scope)
        .filter(Expr::cust(r.mandatory_sql("enterprises")))
        .filter(enterprise::Column::Status.ne(crate::enterprise::domain::EnterpriseStatus::Closed))
        .filter(Expr::cust(format!("NOT {}", covered_sql(&r.floor_sql("enterprises"), today))));
    let total = q.clone().count(db).await?;
    let rows = q.order_by_asc(enterprise::Column::Id).limit(MAX_LISTED).all(db).await?;
    let mut policies: HashMap<i64, Vec<domain::Cover>> = HashMap::new();
    for p in insurance_policy::Entity::find()
        .filter(insurance_policy::Column::EnterpriseId.is_in(rows.iter().map(|e| e.id)))
        .all(db)
        .await?
    {
        policies.entry(p.enterprise_id).or_default().push(cover_of(&p));
    }
    let items = rows
        .into_iter()
        .map(|e| {
            let insured = Insured { mandatory: true, employees: e.employees, floor_yuan: r.floor_for(&e.region_code) };
            let covers = policies.remove(&e.id).unwrap_or_default();
            UninsuredEnterprise {
                problems: domain::assess(insured, &covers, today).problems,
                enterprise_id: e.id,
                name: e.name,
                credit_code: e.credit_code,
                region_code: e.region_code,
                sector: e.sector,
            }
        })
        .collect();
    Ok(UninsuredResponse { items, total, basis: BASIS.to_owned() })
}
