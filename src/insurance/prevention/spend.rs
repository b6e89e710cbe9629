//! Spend on prevention services as a share of the premium, per policy year, and
//! the policies without a service in their policy year — for bureau users (the
//! policies of enterprises in scope) and insurers' users (their own).
//!
//! Set-based: one query reads the policies covering the day (at most
//! [`MAX_POLICIES`]), one more the services of those policies within a year either
//! side of it; the policy year and the flags are the pure functions of
//! [`super::domain`]. The lists are capped at [`MAX_LISTED`] rows; the totals and
//! the insurers' figures count every policy.

use super::domain::{self, PolicyYear};
use super::json::{InsurerSpend, PolicyYearSpend, ServiceSpendResponse, SpendRule, UnservedResponse};
use crate::auth::CurrentUser;
use crate::entities::{insurance_policy, insurance_service, insurer};
use crate::error::{AppError, AppResult};
use crate::insurance::insurers::Viewer;
use crate::insurance::rules::{Prevention, rules};
use crate::insurance::view::cover_of;
use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::{BTreeMap, HashMap};

/// The most rows of each list.
pub const MAX_LISTED: usize = 500;
/// The most policies read for one answer.
pub const MAX_POLICIES: u64 = 100_000;

/// A policy in its policy year with what was spent in it.
struct Row {
    p: insurance_policy::Model,
    year: PolicyYear,
    services: u64,
    cost: i64,
}

/// 403 unless a bureau user or an insurer's user; the viewer otherwise.
async fn reader<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<Viewer> {
    let viewer = Viewer::of(db, user).await?;
    if user.is_bureau_user() || viewer.insurer_id().is_some() { Ok(viewer) } else { Err(AppError::Forbidden) }
}

fn covering(viewer: &Viewer, on: NaiveDate) -> Condition {
    use insurance_policy::Column as P;
    Condition::all()
        .add(viewer.policies())
        .add(P::StartsOn.lte(on))
        .add(P::EndsOn.gte(on))
        .add(Condition::any().add(P::CancelledOn.is_null()).add(P::CancelledOn.gt(on)))
}

async fn rows<C: ConnectionTrait>(db: &C, viewer: &Viewer, on: NaiveDate) -> AppResult<Vec<Row>> {
    use insurance_service::Column as S;
    let policies = insurance_policy::Entity::find()
        .filter(covering(viewer, on))
        .order_by_asc(insurance_policy::Column::Id)
        .limit(MAX_POLICIES)
        .all(db)
        .await?;
    let ids = insurance_policy::Entity::find()
        .filter(covering(viewer, on))
        .select_only()
        .column(insurance_policy::Column::Id)
        .into_query();
    let (from, to) = (on.checked_sub_days(Days::new(367)), on.checked_add_days(Days::new(367)));
    let (Some(from), Some(to)) = (from, to) else { return Ok(Vec::new()) };
    let mut served: HashMap<i64, Vec<(NaiveDate, i64)>> = HashMap::new();
    for (policy, day, cost) in insurance_service::Entity::find()
        .select_only()
        .columns([S::PolicyId, S::ServedOn, S::CostYuan])
        .filter(S::PolicyId.in_subquery(ids))
        .filter(S::ServedOn.between(from, to))
        .into_tuple::<(i64, NaiveDate, i64)>()
        .all(db)
        .await?
    {
        served.entry(policy).or_default().push((day, cost));
    }
    Ok(policies
        .into_iter()
        .filter_map(|p| {
            let year = domain::policy_year(&cover_of(&p), p.premium_yuan, on)?;
            let within: Vec<i64> = served
                .get(&p.id)
                .into_iter()
                .flatten()
                .filter(|(d, _)| year.from <= *d && *d <= year.to)
                .map(|(_, c)| *c)
                .collect();
            Some(Row { services: within.len() as u64, cost: within.iter().sum(), year, p })
        })
        .collect())
}

fn rule(p: &Prevention) -> SpendRule {
    SpendRule {
        ceiling_percent: p.ceiling_percent,
        basis: p.basis.clone(),
        verified: p.verified,
        floor_percent: p.floor_percent,
        floor_basis: p.floor_basis.clone(),
        floor_verified: p.floor_verified,
    }
}

async fn insurer_names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    Ok(insurer::Entity::find()
        .filter(insurer::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect())
}

/// The listed rows as responses, with enterprise and insurer names.
async fn listed<C: ConnectionTrait>(db: &C, rows: Vec<Row>, p: &Prevention) -> AppResult<Vec<PolicyYearSpend>> {
    let ents = crate::enterprise::service::names(db, rows.iter().map(|r| r.p.enterprise_id)).await?;
    let ins = insurer_names(db, rows.iter().map(|r| r.p.insurer_id)).await?;
    Ok(rows
        .into_iter()
        .map(|r| PolicyYearSpend {
            enterprise_name: ents.get(&r.p.enterprise_id).cloned().unwrap_or_default(),
            insurer: ins.get(&r.p.insurer_id).cloned().unwrap_or_default(),
            spend: domain::spend(r.cost, r.year.premium_yuan, p.ceiling_percent, p.floor_percent),
            policy_id: r.p.id,
            policy_no: r.p.policy_no,
            enterprise_id: r.p.enterprise_id,
            insurer_id: r.p.insurer_id,
            year_index: r.year.index,
            year_from: r.year.from,
            year_to: r.year.to,
            services: r.services,
        })
        .collect())
}

/// The spend per insurer and the policies above the ceiling or below the floor.
pub async fn spend<C: ConnectionTrait>(db: &C, user: &CurrentUser, on: NaiveDate) -> AppResult<ServiceSpendResponse> {
    let viewer = reader(db, user).await?;
    let p = &rules()?.prevention;
    let all = rows(db, &viewer, on).await?;
    let mut per: BTreeMap<i64, (u64, u64, i64, i64)> = BTreeMap::new();
    for r in &all {
        let e = per.entry(r.p.insurer_id).or_default();
        *e = (e.0 + 1, e.1 + u64::from(r.services == 0), e.2 + r.cost, e.3 + r.year.premium_yuan);
    }
    let names = insurer_names(db, per.keys().copied()).await?;
    let insurers = per
        .into_iter()
        .map(|(id, (policies, unserved, cost, premium))| InsurerSpend {
            insurer: names.get(&id).cloned().unwrap_or_default(),
            insurer_id: id,
            policies,
            unserved,
            spend: domain::spend(cost, premium, p.ceiling_percent, p.floor_percent),
        })
        .collect();
    let mut flagged: Vec<Row> = all
        .into_iter()
        .filter(|r| {
            let s = domain::spend(r.cost, r.year.premium_yuan, p.ceiling_percent, p.floor_percent);
            s.above_ceiling || s.below_floor
        })
        .collect();
    // The highest share first: cost ÷ premium compared without division.
    flagged.sort_by(|a, b| {
        let (x, y) = (
            i128::from(a.cost) * i128::from(b.year.premium_yuan),
            i128::from(b.cost) * i128::from(a.year.premium_yuan),
        );
        y.cmp(&x).then(a.p.id.cmp(&b.p.id))
    });
    let flagged_total = flagged.len() as u64;
    flagged.truncate(MAX_LISTED);
    Ok(ServiceSpendResponse { on, rule: rule(p), insurers, flagged: listed(db, flagged, p).await?, flagged_total })
}

/// The policies covering `on` without a service in their policy year.
pub async fn unserved<C: ConnectionTrait>(db: &C, user: &CurrentUser, on: NaiveDate) -> AppResult<UnservedResponse> {
    let viewer = reader(db, user).await?;
    let p = &rules()?.prevention;
    let mut none: Vec<Row> = rows(db, &viewer, on).await?.into_iter().filter(|r| r.services == 0).collect();
    none.sort_by_key(|r| (r.year.from, r.p.id));
    let total = none.len() as u64;
    none.truncate(MAX_LISTED);
    Ok(UnservedResponse { on, items: listed(db, none, p).await?, total })
}
