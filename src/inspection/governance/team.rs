//! An inspection's team: who may be on it, and who is on it.
//!
//! Decisions: the team is checked against the register as of the planned date (the
//! certificate valid that day, not absent that day, no live conflict with the
//! enterprise); the leader is `leader_id` or else the first inspector named; experts
//! are members with the `expert` role and never count toward the two inspectors.

use crate::auth::{CurrentUser, Role};
use crate::entities::inspection_member as member;
use crate::error::{AppResult, FieldErrors};
use crate::inspection::domain::MemberRole;
use crate::inspector::{availability, register};
use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The team members of an inspection, in the order they were named.
pub async fn members<C: ConnectionTrait>(db: &C, inspection_id: i64) -> AppResult<Vec<member::Model>> {
    Ok(member::Entity::find()
        .filter(member::Column::InspectionId.eq(inspection_id))
        .order_by_asc(member::Column::Id)
        .all(db)
        .await?)
}

/// Whether the user is on the team as leader or inspector (not as an expert).
pub async fn is_inspector<C: ConnectionTrait>(db: &C, inspection_id: i64, user_id: i64) -> AppResult<bool> {
    Ok(members(db, inspection_id)
        .await?
        .iter()
        .any(|m| m.user_id == user_id && matches!(m.role, MemberRole::Leader | MemberRole::Inspector)))
}

/// Whether the user is on the team in any role.
pub async fn is_member<C: ConnectionTrait>(db: &C, inspection_id: i64, user_id: i64) -> AppResult<bool> {
    Ok(members(db, inspection_id).await?.iter().any(|m| m.user_id == user_id))
}

/// The team as named in a request.
pub struct Named<'a> {
    pub inspector_ids: &'a [i64],
    pub expert_ids: &'a [i64],
    pub leader_id: Option<i64>,
    pub planned_date: NaiveDate,
    pub enterprise_id: i64,
}

fn dedup(ids: &[i64]) -> Vec<i64> {
    let mut out = Vec::new();
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// Checks the team; adds every problem (naming the person) to `fields` and returns the
/// members to insert (without the inspection id).
pub async fn check<C: ConnectionTrait>(
    db: &C,
    creator: &CurrentUser,
    t: &Named<'_>,
    fields: &mut FieldErrors,
) -> AppResult<Vec<member::ActiveModel>> {
    let (inspectors, experts) = (dedup(t.inspector_ids), dedup(t.expert_ids));
    let mut add = |f: &str, m: String| fields.entry(f.to_owned()).or_default().push(m);
    let all: Vec<i64> = inspectors.iter().chain(&experts).copied().collect();
    let found: HashMap<i64, register::InspectorSummary> =
        register::summaries(db, creator, Some(&all), t.planned_date).await?.into_iter().map(|s| (s.id, s)).collect();
    let name = |id: i64| found.get(&id).map_or_else(|| format!("用户 {id}"), |s| s.display_name.clone());
    let conflicts = availability::live_conflicts(db, &inspectors, t.enterprise_id).await?;
    let day = t.planned_date.format("%Y年%-m月%-d日");
    for id in &inspectors {
        let Some(s) = found.get(id).filter(|s| s.roles.contains(&Role::Inspector)) else {
            let why = if found.get(id).is_some_and(|s| s.roles.contains(&Role::Expert)) {
                "是专家，不能作为执法人员计入检查组"
            } else {
                "不是本机构或下级机构的执法人员"
            };
            add("inspector_ids", format!("{}{why}", name(*id)));
            continue;
        };
        if !s.certificate_status.usable() {
            add("inspector_ids", format!("{}的执法证{}（检查日期 {day}）", s.display_name, s.certificate_status.zh()));
        }
        if let Some(k) = s.absent {
            add("inspector_ids", format!("{}在 {day} {}，不能参加检查", s.display_name, k.zh()));
        }
        for c in conflicts.iter().filter(|c| c.user_id == *id) {
            add("inspector_ids", format!("{}与该企业须回避：{}", s.display_name, c.reason));
        }
    }
    if inspectors.len() < 2 {
        add("inspector_ids", "检查组至少须有两名持有效执法证的执法人员".into());
    }
    for id in &experts {
        if inspectors.contains(id) {
            add("expert_ids", format!("{}不能同时作为执法人员和专家", name(*id)));
        } else if !found.get(id).is_some_and(|s| s.roles.contains(&Role::Expert)) {
            add("expert_ids", format!("{}不是本机构或下级机构登记的专家", name(*id)));
        }
    }
    let leader = t.leader_id.or_else(|| inspectors.first().copied());
    if let Some(l) = t.leader_id.filter(|l| !inspectors.contains(l)) {
        add("leader_id", format!("组长{}须是检查组的执法人员", name(l)));
    }
    let mut out = Vec::new();
    for id in &inspectors {
        let role = if Some(*id) == leader { MemberRole::Leader } else { MemberRole::Inspector };
        let cert = found.get(id).and_then(|s| s.certificate_no.clone());
        out.push(member::ActiveModel {
            user_id: Set(*id),
            role: Set(role),
            certificate_no: Set(cert),
            ..Default::default()
        });
    }
    for id in experts.iter().filter(|e| !inspectors.contains(e)) {
        out.push(member::ActiveModel { user_id: Set(*id), role: Set(MemberRole::Expert), ..Default::default() });
    }
    Ok(out)
}
