//! The 特种作业人员持证率 figures for the indicator cockpit (咸宁 X:402: 100 %):
//! per enterprise region code and sector, the workers listed in a special-operation
//! post on a day in open enterprises (denominator) and those holding a certificate
//! valid on that day (numerator), in one grouped query ([`counts`]); and the
//! workers behind a figure ([`records`]), a person shown by masked name only.
//!
//! Decisions:
//! - Listed on `day`: `listed_on ≤ day` and not ended before it (`ended_on` is the
//!   last day in the post). Open enterprises are those not closed today (the
//!   register keeps no status history to read).
//! - Valid on `day`: a certificate issued on or before it and expiring on or after
//!   it; an overdue review does not stop it counting (see `domain`).
//! - The drill-down is territorial (by the enterprise's region code); a user whose
//!   scope names sectors sees only those; an enterprise user only its own.

use super::domain::mask_name;
use super::rules::rules;
use crate::auth::{CurrentUser, Scope};
use crate::enterprise::domain::{EnterpriseStatus, Sector};
use crate::entities::{enterprise, special_operation_worker as worker};
use crate::error::AppResult;
use crate::indicator::counts::{Record, Records, RegionCount, Within};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Select,
};

/// A certificate valid on `day`.
fn certified(day: NaiveDate) -> Condition {
    use worker::Column as W;
    Condition::all().add(W::CertificateNo.is_not_null()).add(W::IssuedOn.lte(day)).add(W::ExpiresOn.gte(day))
}

/// Listings running on `day` in open enterprises within `within`, joined to their enterprise.
fn listed(within: &Within, day: NaiveDate) -> Select<worker::Entity> {
    use worker::Column as W;
    let mut q = worker::Entity::find()
        .join(JoinType::InnerJoin, worker::Relation::Enterprise.def())
        .filter(W::ListedOn.lte(day))
        .filter(Condition::any().add(W::EndedOn.is_null()).add(W::EndedOn.gte(day)))
        .filter(enterprise::Column::Status.ne(EnterpriseStatus::Closed));
    if let Some((low, high)) = within.bounds() {
        q = q.filter(enterprise::Column::RegionCode.between(low, high));
    }
    q
}

/// Per (enterprise `region_code`, sector): denominator = workers listed in a special-operation post
/// on `day` (listing started on or before `day`, not ended before it) in open enterprises;
/// numerator = those with a certificate valid on `day` (issued ≤ day ≤ expiry). One grouped query.
pub async fn counts<C: ConnectionTrait>(db: &C, within: &Within, day: NaiveDate) -> AppResult<Vec<RegionCount>> {
    let valid = Expr::from(Func::sum(Expr::case(certified(day), 1).finally(0))).cast_as("BIGINT");
    let rows: Vec<(String, Sector, i64, i64)> = listed(within, day)
        .select_only()
        .column(enterprise::Column::RegionCode)
        .column(enterprise::Column::Sector)
        .column_as(worker::Column::Id.count(), "denominator")
        .column_as(valid, "numerator")
        .group_by(enterprise::Column::RegionCode)
        .group_by(enterprise::Column::Sector)
        .order_by_asc(enterprise::Column::RegionCode)
        .order_by_asc(enterprise::Column::Sector)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(region_code, sector, denominator, numerator)| RegionCount {
            region_code,
            sector: Some(sector),
            numerator,
            denominator,
        })
        .collect())
}

type Row = (i64, String, String, Option<String>, Option<NaiveDate>, Option<NaiveDate>, String);

/// The workers behind the figure within `within` (by the enterprise's region code — the cockpit is territorial (属地); the lead checks the user's bureau covers the region) and, when the user's scope names sectors (`Scope::Bureaus { sectors: Some(..) }`), only those sectors; first `limit`, `counted` = certified on `day`,
/// label = masked name + category, detail = certificate number and validity, href to the enterprise's page.
pub async fn records<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    within: &Within,
    day: NaiveDate,
    limit: u64,
) -> AppResult<Records> {
    let mut q = listed(within, day);
    match &user.scope {
        Scope::Bureaus { sectors: Some(s), .. } => q = q.filter(enterprise::Column::Sector.is_in(s.iter().cloned())),
        Scope::Bureaus { sectors: None, .. } => {}
        Scope::Enterprises(ids) => q = q.filter(worker::Column::EnterpriseId.is_in(ids.iter().copied())),
    }
    let total = q.clone().count(db).await?;
    // Those not certified on `day` first, as the cockpit lists the records behind a figure.
    let valid = sea_orm::Condition::all()
        .add(worker::Column::CertificateNo.is_not_null())
        .add(worker::Column::IssuedOn.lte(day))
        .add(worker::Column::ExpiresOn.gte(day));
    let certified = sea_orm::sea_query::CaseStatement::new().case(valid, 1).finally(0);
    let rows: Vec<Row> = q
        .select_only()
        .column(worker::Column::EnterpriseId)
        .column(worker::Column::Name)
        .column(worker::Column::Category)
        .column(worker::Column::CertificateNo)
        .column(worker::Column::IssuedOn)
        .column(worker::Column::ExpiresOn)
        .column(enterprise::Column::RegionCode)
        .order_by(sea_orm::sea_query::Expr::Case(Box::new(certified)), sea_orm::Order::Asc)
        .order_by_asc(enterprise::Column::RegionCode)
        .order_by_asc(worker::Column::EnterpriseId)
        .order_by_asc(worker::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let r = rules()?;
    let items = rows
        .into_iter()
        .map(|(enterprise_id, name, category, no, issued, expires, region_code)| {
            let counted = matches!((&no, issued, expires), (Some(_), Some(i), Some(e)) if i <= day && day <= e);
            let detail = match (no, issued, expires) {
                (Some(no), Some(i), Some(e)) => format!("证书 {no}，有效期 {i} 至 {e}"),
                _ => "未持证".to_owned(),
            };
            Record {
                label: format!("{} · {}", mask_name(&name), r.category_name(&category)),
                detail,
                region_code,
                counted,
                href: format!("/enterprises/{enterprise_id}/special-operations"),
            }
        })
        .collect();
    Ok(Records { items, total })
}
