//! The source of the cockpit's `emergency_plan_filing_rate` (应急预案备案率): per
//! enterprise region and sector, the open enterprises that must file (the rule in
//! `data/emergency-plans.toml`) and those of them with a filing accepted on or
//! before the day. One grouped query for the figures; the records behind them are
//! the same condition, per enterprise.
//!
//! Decisions:
//! - Territorial (属地): counted by the enterprise's own region code, not by the
//!   bureau the filing was lodged with; `records` narrows to the user's sectors when
//!   the scope names some, and leaves the region check to the caller.
//! - "Closed" is the register's status today (the register keeps no history).

use super::unfiled::{accepted_sql, must_file_open};
use crate::auth::{CurrentUser, Scope};
use crate::enterprise::domain::Sector;
use crate::entities::enterprise;
use crate::error::AppResult;
use crate::indicator::counts::{Record, Records, RegionCount, Within};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

fn base(within: &Within) -> AppResult<Select<enterprise::Entity>> {
    let mut q = enterprise::Entity::find().filter(must_file_open()?);
    if let Some((low, high)) = within.bounds() {
        q = q.filter(enterprise::Column::RegionCode.between(low, high));
    }
    Ok(q)
}

/// Per (enterprise `region_code`, sector): denominator = open (not closed) enterprises that must
/// file on `day`; numerator = those with an accepted filing on or before `day`. One grouped query.
pub async fn counts<C: ConnectionTrait>(db: &C, within: &Within, day: NaiveDate) -> AppResult<Vec<RegionCount>> {
    let filed = format!("SUM(CASE WHEN {} THEN 1 ELSE 0 END)", accepted_sql("enterprises", Some(day)));
    let rows = base(within)?
        .select_only()
        .column(enterprise::Column::RegionCode)
        .column(enterprise::Column::Sector)
        .column_as(enterprise::Column::Id.count(), "n")
        .column_as(Expr::cust(filed), "c")
        .group_by(enterprise::Column::RegionCode)
        .group_by(enterprise::Column::Sector)
        .order_by_asc(enterprise::Column::RegionCode)
        .order_by_asc(enterprise::Column::Sector)
        .into_tuple::<(String, Sector, i64, i64)>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(region_code, sector, n, c)| RegionCount {
            region_code,
            sector: Some(sector),
            numerator: c,
            denominator: n,
        })
        .collect())
}

/// The enterprises behind the figure, within `within` (by the enterprise's region code — the cockpit is territorial (属地); the lead checks the user's bureau covers the region) and, when the user's scope names sectors (`Scope::Bureaus { sectors: Some(..) }`), only those sectors;
/// first `limit` (must-file enterprises, `counted` = filed), with href to the enterprise's plans page.
pub async fn records<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    within: &Within,
    day: NaiveDate,
    limit: u64,
) -> AppResult<Records> {
    let mut q = base(within)?;
    if let Scope::Bureaus { sectors: Some(s), .. } = &user.scope {
        q = q.filter(enterprise::Column::Sector.is_in(s.iter().cloned()));
    }
    let total = q.clone().count(db).await?;
    // Those not filed first, as the cockpit lists the records behind a figure.
    let filed = format!("CASE WHEN {} THEN 1 ELSE 0 END", accepted_sql("enterprises", Some(day)));
    let rows = q
        .select_only()
        .column(enterprise::Column::Id)
        .column(enterprise::Column::Name)
        .column(enterprise::Column::CreditCode)
        .column(enterprise::Column::RegionCode)
        .column_as(Expr::cust(filed.clone()), "c")
        .order_by(Expr::cust(filed), sea_orm::Order::Asc)
        .order_by_asc(enterprise::Column::Id)
        .limit(limit)
        .into_tuple::<(i64, String, String, String, i32)>()
        .all(db)
        .await?;
    let items = rows
        .into_iter()
        .map(|(id, name, credit_code, region_code, c)| Record {
            label: name,
            detail: format!("{credit_code}，{}", if c == 1 { "已备案" } else { "未备案" }),
            region_code,
            counted: c == 1,
            href: format!("/enterprises/{id}/emergency-plans"),
        })
        .collect();
    Ok(Records { items, total })
}
