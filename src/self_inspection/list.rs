//! Queries of tasks: the scoped, filtered list and one task with its items.

use super::domain::{self, TaskStatus};
use super::json::{OutcomeCounts, ResultResponse, TaskFilter, TaskResponse, TaskSummary};
use super::policy;
use crate::auth::CurrentUser;
use crate::entities::{enterprise, self_inspection_result as result, self_inspection_task as task, user};
use crate::error::{AppError, AppResult};
use crate::inspection::domain::Outcome;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Enterprise and user names for a page of rows.
pub struct Names {
    enterprises: HashMap<i64, String>,
    users: HashMap<i64, String>,
}

impl Names {
    pub fn enterprise(&self, id: i64) -> String {
        self.enterprises.get(&id).cloned().unwrap_or_default()
    }
    pub fn user(&self, id: i64) -> String {
        self.users.get(&id).cloned().unwrap_or_default()
    }
}

/// Loads the names of these (enterprise, user) pairs in two queries.
pub async fn names<C: ConnectionTrait>(db: &C, pairs: impl Iterator<Item = (i64, i64)>) -> AppResult<Names> {
    let (mut es, mut us): (Vec<i64>, Vec<i64>) = pairs.unzip();
    es.sort_unstable();
    es.dedup();
    us.sort_unstable();
    us.dedup();
    let enterprises: Vec<(i64, String)> = enterprise::Entity::find()
        .select_only()
        .columns([enterprise::Column::Id, enterprise::Column::Name])
        .filter(enterprise::Column::Id.is_in(es))
        .into_tuple()
        .all(db)
        .await?;
    let users: Vec<(i64, String)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::DisplayName])
        .filter(user::Column::Id.is_in(us))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Names { enterprises: enterprises.into_iter().collect(), users: users.into_iter().collect() })
}

pub fn summary(t: task::Model, names: &Names, today: NaiveDate) -> TaskSummary {
    TaskSummary {
        id: t.id,
        plan_id: t.plan_id,
        enterprise_id: t.enterprise_id,
        enterprise_name: names.enterprise(t.enterprise_id),
        kind: t.kind,
        kind_label: t.kind.zh().to_owned(),
        overdue: domain::is_overdue(t.status, t.due_on, today),
        status_label: domain::status_zh(t.status, t.due_on, today).to_owned(),
        title: t.title,
        period: t.period,
        assignee_id: t.assignee_id,
        assignee_name: names.user(t.assignee_id),
        due_on: t.due_on,
        status: t.status,
        findings: t.findings,
        completed_at: t.completed_at,
    }
}

/// The tasks in the user's scope, filtered; open ones by due date first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    f: &TaskFilter,
    today: NaiveDate,
) -> AppResult<(Vec<TaskSummary>, u64)> {
    policy::require_reader(user)?;
    let limit = f.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::validation("limit", "每页条数应在 1–200 之间"));
    }
    let mut q = crate::scope::scoped(task::Entity::find(), &user.scope);
    if let Some(s) = f.status {
        q = q.filter(task::Column::Status.eq(s));
    }
    if f.overdue == Some(true) {
        q = q.filter(task::Column::Status.eq(TaskStatus::Open)).filter(task::Column::DueOn.lt(today));
    }
    if let Some(d) = f.due_before {
        q = q.filter(task::Column::DueOn.lte(d));
    }
    if let Some(d) = f.due_after {
        q = q.filter(task::Column::DueOn.gte(d));
    }
    if let Some(e) = f.enterprise_id {
        q = q.filter(task::Column::EnterpriseId.eq(e));
    }
    if let Some(p) = f.plan_id {
        q = q.filter(task::Column::PlanId.eq(p));
    }
    if f.mine == Some(true) {
        q = q.filter(task::Column::AssigneeId.eq(user.id));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(task::Column::Status.eq(TaskStatus::Open))
        .order_by_asc(task::Column::DueOn)
        .order_by_desc(task::Column::Id)
        .limit(limit)
        .offset(crate::json::offset(f.offset)?)
        .all(db)
        .await?;
    let names = names(db, rows.iter().map(|t| (t.enterprise_id, t.assignee_id))).await?;
    Ok((rows.into_iter().map(|t| summary(t, &names, today)).collect(), total))
}

/// One task in the user's scope; 404 outside it, 403 for bureau roles that do not read it.
pub async fn get_visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<task::Model> {
    let row = crate::scope::get::<task::Entity, _>(db, &user.scope, id).await?;
    policy::require_reader(user)?;
    Ok(row)
}

pub fn counts(items: &[result::Model]) -> OutcomeCounts {
    let mut c = OutcomeCounts::default();
    for i in items {
        c.total += 1;
        match i.outcome {
            Outcome::Conform => c.conform += 1,
            Outcome::NonConform => c.non_conform += 1,
            Outcome::NotApplicable => c.not_applicable += 1,
            Outcome::Unchecked => c.unchecked += 1,
        }
    }
    c
}

pub async fn items<C: ConnectionTrait>(db: &C, task_id: i64) -> AppResult<Vec<result::Model>> {
    Ok(result::Entity::find()
        .filter(result::Column::TaskId.eq(task_id))
        .order_by_asc(result::Column::Position)
        .order_by_asc(result::Column::Id)
        .all(db)
        .await?)
}

fn item(r: result::Model) -> ResultResponse {
    ResultResponse {
        outcome_label: r.outcome.zh().to_owned(),
        attachment_ids: r.attachment_ids.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default(),
        code: r.code,
        checklist_hash: r.checklist_hash,
        section: r.section,
        text: r.text,
        basis: r.basis,
        severity: r.severity,
        verified: r.verified,
        outcome: r.outcome,
        note: r.note,
        hazard_id: r.hazard_id,
    }
}

/// The task with its items, their outcomes and what the user may do.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    t: task::Model,
    today: NaiveDate,
) -> AppResult<TaskResponse> {
    let rows = items(db, t.id).await?;
    let names = names(db, std::iter::once((t.enterprise_id, t.assignee_id))).await?;
    let allowed_actions = policy::available(user, &t).into_iter().map(|a| a.code().to_owned()).collect();
    let checklists = serde_json::from_str(&t.checklists).unwrap_or_default();
    let version = t.version;
    Ok(TaskResponse {
        counts: counts(&rows),
        items: rows.into_iter().map(item).collect(),
        task: summary(t, &names, today),
        checklists,
        allowed_actions,
        version,
    })
}
