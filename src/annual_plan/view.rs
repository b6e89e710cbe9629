//! Responses of the annual plans: the plan with its totals and warnings, the list
//! entry, the revision history with what changed.

use super::domain::{self, Capacity, Field, Target};
use super::json::{CapacityResponse, KeyEnterprise, PlanResponse, PlanSummary, RevisionEntry};
use super::{policy, service};
use crate::auth::CurrentUser;
use crate::entities::{annual_plan as plan, bureau, enterprise, user};
use crate::error::AppResult;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The stored key enterprise ids.
pub fn key_ids(p: &plan::Model) -> Vec<i64> {
    serde_json::from_str(&p.key_enterprise_ids).unwrap_or_default()
}

/// The stored random targets.
pub fn targets(p: &plan::Model) -> Vec<Target> {
    serde_json::from_str(&p.random_targets).unwrap_or_default()
}

/// The stored monthly breakdown.
pub fn monthly(p: &plan::Model) -> Vec<u32> {
    serde_json::from_str(&p.monthly).unwrap_or_default()
}

/// The stored capacity inputs.
pub fn capacity(p: &plan::Model) -> Capacity {
    Capacity {
        inspectors: u32::try_from(p.inspectors).unwrap_or(0),
        available_days: u32::try_from(p.available_days).unwrap_or(0),
        reserve_percent: u32::try_from(p.reserve_percent).unwrap_or(0),
        days_per_inspection: p.days_per_inspection,
    }
}

/// Key enterprises + random planned.
pub fn totals(p: &plan::Model) -> (u64, u64) {
    (key_ids(p).len() as u64, targets(p).iter().map(|t| t.planned).sum())
}

pub async fn bureau_names<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> AppResult<HashMap<i64, String>> {
    let rows = bureau::Entity::find().filter(bureau::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|b| (b.id, b.name)).collect())
}

/// The plan as answered to `user`.
pub async fn detail<C: ConnectionTrait>(db: &C, user: &CurrentUser, p: plan::Model) -> AppResult<PlanResponse> {
    let ids = key_ids(&p);
    let found = enterprise::Entity::find().filter(enterprise::Column::Id.is_in(ids.clone())).all(db).await?;
    let key_enterprises = ids
        .iter()
        .filter_map(|id| found.iter().find(|e| e.id == *id))
        .map(|e| KeyEnterprise { id: e.id, name: e.name.clone(), credit_code: e.credit_code.clone() })
        .collect();
    let (actor, record) = service::judge(db, user, &p).await?;
    let cap = capacity(&p);
    let (key_total, random_total) = totals(&p);
    let suggested =
        super::body::certified_inspectors(db, p.bureau_id, crate::clock::china_date(chrono::Utc::now())).await?;
    let bureau_name = bureau_names(db, vec![p.bureau_id]).await?.remove(&p.bureau_id).unwrap_or_default();
    let warnings = domain::capacity_warning(cap.inspections(), key_total + random_total).into_iter().collect();
    Ok(PlanResponse {
        capacity: CapacityResponse {
            inspectors: cap.inspectors,
            suggested_inspectors: suggested,
            available_days: cap.available_days,
            reserve_percent: cap.reserve_percent,
            days_per_inspection: cap.days_per_inspection,
            capacity_days: (cap.days() * 10.0).round() / 10.0,
            capacity_inspections: cap.inspections(),
        },
        key_enterprises,
        random_targets: targets(&p),
        key_total,
        random_total,
        planned_total: key_total + random_total,
        monthly: monthly(&p),
        warnings,
        allowed_actions: policy::available(&actor, record),
        bureau_name,
        id: p.id,
        bureau_id: p.bureau_id,
        year: p.year,
        revision: p.revision,
        revises_id: p.revises_id,
        status: p.status,
        notes: p.notes,
        reason: p.reason,
        returned_reason: p.returned_reason,
        created_by: p.created_by,
        created_at: p.created_at,
        submitted_by: p.submitted_by,
        submitted_at: p.submitted_at,
        approved_by: p.approved_by,
        approved_at: p.approved_at,
        government_approved_on: p.government_approved_on,
        government_document: p.government_document,
        filed_on: p.filed_on,
        superseded_at: p.superseded_at,
        version: p.version,
    })
}

/// A list entry.
pub fn summary<S: std::hash::BuildHasher>(p: &plan::Model, names: &HashMap<i64, String, S>) -> PlanSummary {
    let (k, r) = totals(p);
    PlanSummary {
        id: p.id,
        bureau_id: p.bureau_id,
        bureau_name: names.get(&p.bureau_id).cloned().unwrap_or_default(),
        year: p.year,
        revision: p.revision,
        status: p.status,
        planned_total: k + r,
        capacity_inspections: capacity(p).inspections(),
        approved_at: p.approved_at,
    }
}

fn fields(p: &plan::Model) -> [(&'static str, String); 8] {
    [
        ("执法人员数", p.inspectors.to_string()),
        ("每人可用执法工作日", p.available_days.to_string()),
        ("预留比例", p.reserve_percent.to_string()),
        ("每次检查所需执法工作日", p.days_per_inspection.to_string()),
        ("重点检查企业", p.key_enterprise_ids.clone()),
        ("随机抽查目标", p.random_targets.clone()),
        ("月度安排", p.monthly.clone()),
        ("备注", p.notes.clone().unwrap_or_default()),
    ]
}

/// The history of the plan's revisions (who, when, why, what changed), oldest first.
pub async fn revisions<C: ConnectionTrait>(db: &C, p: &plan::Model) -> AppResult<Vec<RevisionEntry>> {
    let all = service::chain(db, p).await?;
    let people: Vec<i64> = all.iter().flat_map(|r| [Some(r.created_by), r.approved_by]).flatten().collect();
    let names: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut out = Vec::with_capacity(all.len());
    for (i, r) in all.iter().enumerate() {
        let changed = match i.checked_sub(1).and_then(|j| all.get(j)) {
            Some(prev) => {
                let (b, a) = (fields(prev), fields(r));
                let before: Vec<Field> = b.iter().map(|(l, v)| Field { label: l, value: v }).collect();
                let after: Vec<Field> = a.iter().map(|(l, v)| Field { label: l, value: v }).collect();
                domain::changed(&before, &after).into_iter().map(str::to_owned).collect()
            }
            None => Vec::new(),
        };
        out.push(RevisionEntry {
            id: r.id,
            revision: r.revision,
            status: r.status,
            reason: r.reason.clone(),
            created_by: r.created_by,
            created_by_name: names.get(&r.created_by).cloned().unwrap_or_default(),
            created_at: r.created_at,
            approved_by: r.approved_by,
            approved_by_name: r.approved_by.and_then(|a| names.get(&a).cloned()),
            approved_at: r.approved_at,
            changed,
        });
    }
    Ok(out)
}
