//! 治理方案 versions (16号令 art. 15): every plan filed for a major hazard is
//! kept as a version in `hazard_plans` (version number, author, time); the
//! hazard's own plan columns hold the latest, for the 一单 and its queries.
//!
//! Decisions where the issue is silent:
//! - the plan is signed (签字确认) by the enterprise's principal by filing it
//!   from the principal's own account (the policy lets no other enterprise
//!   user file it); a plan recorded by the regulators for an operator not in
//!   the register is stored unsigned;
//! - revisable after 交办 while rectification is owed (assigned, rectifying);
//!   a revision keeps the status;
//! - funds (经费) must be more than 0 yuan with at most two decimals: a plan
//!   without money is written as 0.01 or explained in `materials`, never a
//!   silent 0; `materials` (物资) and `requirements` (要求) may be empty;
//! - a plan filed before versions were kept shows from the hazard's columns
//!   and counts as one version.

use super::json::Plan;
use crate::audit::{self, AuditCtx};
use crate::auth::{CurrentUser, Role};
use crate::entities::{hazard, hazard_plan, user};
use crate::error::{AppResult, ErrorBody};
use crate::json::ApiPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// Versions listed at most (a plan is revised a few times, not hundreds).
pub const MAX_VERSIONS: u64 = 200;

/// One version of a 治理方案 (`GET /api/v1/hazards/{id}/plans`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanVersion {
    pub version: i32,
    #[serde(flatten)]
    pub plan: Plan,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Funds a plan may name: more than 0, at most 10¹² yuan, whole fen.
pub fn valid_funds(yuan: f64) -> bool {
    yuan.is_finite() && yuan > 0.0 && yuan <= 1e12 && ((yuan * 100.0).round() - yuan * 100.0).abs() < 1e-6
}

/// An amount typed into a page's form, in yuan: NaN (refused by the checks
/// with the field's message) when it is not a number, so junk never becomes 0.
pub fn page_amount(text: &str) -> f64 {
    text.trim().replace([',', '，'], "").parse().unwrap_or(f64::NAN)
}

fn to_plan(p: &hazard_plan::Model) -> Plan {
    Plan {
        goals: p.goals.clone(),
        measures: p.measures.clone(),
        funds: super::columns::fen_to_yuan(p.funds_fen),
        materials: p.materials.clone(),
        responsible_org: p.responsible_org.clone(),
        responsible_person: p.responsible_person.clone(),
        deadline: p.deadline,
        requirements: p.requirements.clone(),
        safety_measures: p.safety_measures.clone(),
        emergency_plan: p.emergency_plan.clone(),
        signed_by_principal: p.signed_by_principal,
    }
}

fn blank(s: Option<&String>) -> Option<String> {
    s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Keeps a new version of the hazard's plan, filed by `user` at the timeline step `event_id`.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    user: &CurrentUser,
    h: &hazard::Model,
    p: &Plan,
    event_id: i64,
) -> AppResult<hazard_plan::Model> {
    let count = versions(db, h.id).await?;
    let signed = user.has(Role::Principal) && h.enterprise_id.is_some_and(|e| user.enterprise_ids.contains(&e));
    let row = hazard_plan::ActiveModel {
        hazard_id: Set(h.id),
        version: Set(i32::try_from(count).unwrap_or(i32::MAX - 1) + 1),
        goals: Set(p.goals.trim().to_owned()),
        measures: Set(p.measures.trim().to_owned()),
        funds_fen: Set(super::columns::yuan_to_fen(p.funds)),
        materials: Set(blank(p.materials.as_ref())),
        responsible_org: Set(p.responsible_org.trim().to_owned()),
        responsible_person: Set(p.responsible_person.trim().to_owned()),
        deadline: Set(p.deadline),
        requirements: Set(blank(p.requirements.as_ref())),
        safety_measures: Set(p.safety_measures.trim().to_owned()),
        emergency_plan: Set(p.emergency_plan.trim().to_owned()),
        signed_by_principal: Set(signed),
        author_id: Set(Some(user.id)),
        event_id: Set(Some(event_id)),
        created_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(db, ctx, "create", &row).await?;
    Ok(row)
}

/// How many versions the hazard's plan has.
pub async fn versions<C: ConnectionTrait>(db: &C, hazard_id: i64) -> AppResult<u64> {
    Ok(hazard_plan::Entity::find().filter(hazard_plan::Column::HazardId.eq(hazard_id)).count(db).await?)
}

/// The latest plan and the number of versions; a plan filed before versions
/// were kept comes from the hazard's columns and counts as one.
pub async fn latest<C: ConnectionTrait>(db: &C, h: &hazard::Model) -> AppResult<(Option<Plan>, i64)> {
    let rows = hazard_plan::Entity::find()
        .filter(hazard_plan::Column::HazardId.eq(h.id))
        .order_by_desc(hazard_plan::Column::Version)
        .limit(1)
        .all(db)
        .await?;
    if let Some(p) = rows.first() {
        return Ok((Some(to_plan(p)), i64::from(p.version)));
    }
    let legacy = super::columns::plan(h);
    let n = i64::from(legacy.is_some());
    Ok((legacy, n))
}

/// Every version of the plan of a hazard the user may see, oldest first.
pub async fn list<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<Vec<PlanVersion>> {
    let h = super::service::get_visible(db, user, id).await?;
    let rows = hazard_plan::Entity::find()
        .filter(hazard_plan::Column::HazardId.eq(h.id))
        .order_by_asc(hazard_plan::Column::Version)
        .limit(MAX_VERSIONS)
        .all(db)
        .await?;
    if rows.is_empty() {
        let legacy = super::columns::plan(&h).map(|plan| PlanVersion {
            version: 1,
            plan,
            author_id: None,
            author_name: None,
            created_at: h.updated_at,
        });
        return Ok(legacy.into_iter().collect());
    }
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.author_id).collect();
    let names: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(rows
        .iter()
        .map(|r| PlanVersion {
            version: r.version,
            plan: to_plan(r),
            author_id: r.author_id,
            author_name: r.author_id.and_then(|id| names.get(&id).cloned()),
            created_at: r.created_at,
        })
        .collect())
}

/// The versions of a hazard's 治理方案, oldest first (at most 200).
#[utoipa::path(get, path = "/api/v1/hazards/{id}/plans", tag = "hazards", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PlanVersion>), (status = 404, body = ErrorBody)))]
pub async fn list_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<PlanVersion>>> {
    Ok(Json(list(state.db.conn(), &user, id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funds_are_positive_whole_fen() {
        assert!(valid_funds(0.01));
        assert!(valid_funds(12_345.67));
        assert!(!valid_funds(0.0));
        assert!(!valid_funds(-5.0));
        assert!(!valid_funds(1.234));
        assert!(!valid_funds(f64::NAN));
        assert!(!valid_funds(2e12));
    }

    #[test]
    fn junk_typed_in_a_page_is_not_zero() {
        assert!((page_amount(" 1,200.50 ") - 1200.5).abs() < 1e-9);
        assert!(page_amount("一万").is_nan());
        assert!(page_amount("").is_nan());
    }
}
