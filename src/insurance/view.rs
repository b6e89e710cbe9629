//! Reading policies: the scoped, filtered list (a page at a time, at most
//! [`MAX_PER_PAGE`]), one policy, and the insurance check of one enterprise.

use super::domain::{self, Cover, Insured, PolicyStatus};
use super::insurers::Viewer;
use super::json::{EnterpriseInsuranceResponse, InsurancePolicyFilter, InsurancePolicyResponse};
use super::policy::{self, Actor};
use super::rules::{self, Classes};
use crate::auth::CurrentUser;
use crate::entities::{enterprise, insurance_policy, insurer};
use crate::error::{AppError, AppResult};
use crate::json::ListResponse;
use chrono::{Days, NaiveDate};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

pub const MAX_PER_PAGE: u64 = 100;
/// What the check and the pages show of the law.
pub const BASIS: &str = "《安全生产法》第五十一条（高危行业、领域的生产经营单位应当投保安全生产责任保险）、第一百零九条（未投保的，责令限期改正，处五万元以上十万元以下的罚款；逾期未改正的，处十万元以上二十万元以下的罚款）";

/// The check's view of a stored policy.
pub fn cover_of(p: &insurance_policy::Model) -> Cover {
    Cover {
        policy_id: p.id,
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        cancelled_on: p.cancelled_on,
        limit_yuan: p.death_disability_limit_yuan,
        headcount: p.insured_headcount,
    }
}

/// Policies as responses, with their enterprise and insurer names.
pub async fn responses<C: ConnectionTrait>(
    db: &C,
    actor: Actor,
    rows: Vec<insurance_policy::Model>,
    today: NaiveDate,
) -> AppResult<Vec<InsurancePolicyResponse>> {
    let ents: HashMap<i64, String> = enterprise::Entity::find()
        .select_only()
        .columns([enterprise::Column::Id, enterprise::Column::Name])
        .filter(enterprise::Column::Id.is_in(rows.iter().map(|r| r.enterprise_id)))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let ins: HashMap<i64, String> = insurer::Entity::find()
        .filter(insurer::Column::Id.is_in(rows.iter().map(|r| r.insurer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|p| InsurancePolicyResponse {
            allowed_actions: policy::available(actor, &p).iter().map(|a| a.as_str().to_owned()).collect(),
            status: cover_of(&p).status(today),
            enterprise_name: ents.get(&p.enterprise_id).cloned().unwrap_or_default(),
            insurer: ins.get(&p.insurer_id).cloned().unwrap_or_default(),
            id: p.id,
            enterprise_id: p.enterprise_id,
            insurer_id: p.insurer_id,
            policy_no: p.policy_no,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            premium_yuan: p.premium_yuan,
            insured_headcount: p.insured_headcount,
            death_disability_limit_yuan: p.death_disability_limit_yuan,
            cancelled_on: p.cancelled_on,
            cancel_reason: p.cancel_reason,
        })
        .collect())
}

fn status_condition(s: PolicyStatus, today: NaiveDate) -> Condition {
    use insurance_policy::Column as P;
    let not_cancelled = Condition::any().add(P::CancelledOn.is_null()).add(P::CancelledOn.gt(today));
    match s {
        PolicyStatus::Cancelled => Condition::all().add(P::CancelledOn.lte(today)),
        PolicyStatus::Pending => Condition::all().add(not_cancelled).add(P::StartsOn.gt(today)),
        PolicyStatus::Expired => Condition::all().add(not_cancelled).add(P::EndsOn.lt(today)),
        PolicyStatus::Active => {
            Condition::all().add(not_cancelled).add(P::StartsOn.lte(today)).add(P::EndsOn.gte(today))
        }
    }
}

/// A page of the policies the caller may see, soonest end first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    f: &InsurancePolicyFilter,
    today: NaiveDate,
) -> AppResult<ListResponse<InsurancePolicyResponse>> {
    use insurance_policy::Column as P;
    let viewer = Viewer::of(db, user).await?;
    let mut q = insurance_policy::Entity::find().filter(viewer.policies());
    if let Some(e) = f.enterprise_id {
        q = q.filter(P::EnterpriseId.eq(e));
    }
    if let Some(i) = f.insurer_id {
        q = q.filter(P::InsurerId.eq(i));
    }
    if let Some(s) = f.status {
        q = q.filter(status_condition(s, today));
    }
    if let Some(days) = f.expiring_within_days {
        let Some(until) =
            u64::try_from(days).ok().filter(|d| *d <= 366).and_then(|d| today.checked_add_days(Days::new(d)))
        else {
            return Err(AppError::validation("expiring_within_days", "须在 0 到 366 天之间"));
        };
        q = q.filter(P::EndsOn.gte(today)).filter(P::EndsOn.lte(until));
    }
    let per_page = f.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
    let page = f.page.unwrap_or(1).max(1);
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(P::EndsOn)
        .order_by_asc(P::Id)
        .offset((page - 1).saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    let actor = Actor::of(&user.roles, viewer.insurer_id());
    Ok(ListResponse { items: responses(db, actor, rows, today).await?, total })
}

/// One policy the caller may see; 404 otherwise.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    today: NaiveDate,
) -> AppResult<InsurancePolicyResponse> {
    let viewer = Viewer::of(db, user).await?;
    let p =
        insurance_policy::Entity::find_by_id(id).filter(viewer.policies()).one(db).await?.ok_or(AppError::NotFound)?;
    let actor = Actor::of(&user.roles, viewer.insurer_id());
    responses(db, actor, vec![p], today).await?.pop().ok_or(AppError::NotFound)
}

/// The most policies of one enterprise read for its check.
const MAX_POLICIES: u64 = 200;

/// The insurance check of an enterprise the caller may see; 404 otherwise. The
/// check reads all the enterprise's policies; an insurer's user is shown its own.
pub async fn enterprise_insurance<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    today: NaiveDate,
) -> AppResult<EnterpriseInsuranceResponse> {
    let viewer = Viewer::of(db, user).await?;
    let e = viewer.enterprise(db, id).await?;
    let r = rules::rules()?;
    let rule =
        r.mandatory_rule(Classes { sector: e.sector, sub_types: &e.sub_types, special_topics: &e.special_topics });
    let rows = insurance_policy::Entity::find()
        .filter(insurance_policy::Column::EnterpriseId.eq(id))
        .order_by_desc(insurance_policy::Column::StartsOn)
        .order_by_desc(insurance_policy::Column::Id)
        .limit(MAX_POLICIES)
        .all(db)
        .await?;
    let covers: Vec<Cover> = rows.iter().map(cover_of).collect();
    let floor_yuan = r.floor_for(&e.region_code);
    // A closed enterprise no longer has to insure.
    let mandatory = rule.is_some() && e.status != crate::enterprise::domain::EnterpriseStatus::Closed;
    let insured = Insured { mandatory, employees: e.employees, floor_yuan };
    let a = domain::assess(insured, &covers, today);
    let shown: Vec<_> = rows.into_iter().filter(|p| viewer.insurer_id().is_none_or(|i| i == p.insurer_id)).collect();
    let actor = Actor::of(&user.roles, viewer.insurer_id());
    Ok(EnterpriseInsuranceResponse {
        enterprise_id: id,
        mandatory,
        mandatory_rule: rule.map(|m| m.label.clone()),
        mandatory_rule_verified: rule.map(|m| m.verified),
        covered: a.covered,
        floor_yuan,
        problems: a.problems,
        policies: responses(db, actor, shown, today).await?,
        basis: BASIS.to_owned(),
    })
}
