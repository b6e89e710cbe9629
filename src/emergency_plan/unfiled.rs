//! The enterprises of a regulator's scope that must file and have no accepted
//! filing (未备案), set-based: the must-file rule is the data as SQL
//! ([`super::rules`]), acceptance an `EXISTS` ([`accepted_sql`]). At most
//! [`MAX_LISTED`] rows, the earliest registered first.

use super::json::{UnfiledEnterprise, UnfiledResponse};
use super::rules::rules;
use crate::auth::CurrentUser;
use crate::enterprise::domain::EnterpriseStatus;
use crate::entities::{emergency_plan_filing as filing, enterprise};
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

pub const MAX_LISTED: u64 = 500;

/// Whether the enterprise row `alias` has an accepted filing (on or before `day`
/// when given; the day is a formatted date, safe to inline).
pub fn accepted_sql(alias: &str, day: Option<NaiveDate>) -> String {
    let by = day.map(|d| format!(" AND f.accepted_on <= '{}'", d.format("%Y-%m-%d"))).unwrap_or_default();
    format!(
        "EXISTS (SELECT 1 FROM emergency_plan_filings f WHERE f.enterprise_id = {alias}.id \
         AND f.status = 'accepted'{by})"
    )
}

/// The open (not closed) enterprises that must file, as a filter over `enterprises`.
pub fn must_file_open() -> AppResult<sea_orm::Condition> {
    Ok(sea_orm::Condition::all()
        .add(Expr::cust(rules()?.must_file_sql("enterprises")))
        .add(enterprise::Column::Status.ne(EnterpriseStatus::Closed)))
}

/// The list for a bureau user (403 for anyone else).
pub async fn list<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<UnfiledResponse> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let q = crate::scope::scoped(enterprise::Entity::find(), &user.scope)
        .filter(must_file_open()?)
        .filter(Expr::cust(format!("NOT {}", accepted_sql("enterprises", None))));
    let total = q.clone().count(db).await?;
    let rows = q.order_by_asc(enterprise::Column::Id).limit(MAX_LISTED).all(db).await?;
    let open: HashMap<i64, i64> = filing::Entity::find()
        .filter(filing::Column::EnterpriseId.is_in(rows.iter().map(|e| e.id)))
        .filter(filing::Column::Status.ne(super::domain::FilingStatus::Accepted))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.enterprise_id, f.id))
        .collect();
    let items = rows
        .into_iter()
        .map(|e| UnfiledEnterprise {
            open_filing_id: open.get(&e.id).copied(),
            enterprise_id: e.id,
            name: e.name,
            credit_code: e.credit_code,
            region_code: e.region_code,
            sector: e.sector,
        })
        .collect();
    Ok(UnfiledResponse { items, total, basis: rules()?.basis.clone() })
}
