//! Creating a task: pinning the checklist items (one result row per item,
//! 未检查 until recorded) and telling the assignee.

use super::domain::{Kind, TaskStatus};
use crate::audit::{self, AuditCtx};
use crate::checklist::ApplicableItem;
use crate::entities::user_enterprise;
use crate::entities::{enterprise, self_inspection_result as result, self_inspection_task as task, user};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::domain::Outcome;
use crate::notice::{self, Notice};
use crate::todo::Assignee;
use chrono::NaiveDate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The to-do of a task's assignee (closed when the task is completed).
pub fn todo_key(task_id: i64) -> String {
    format!("self_inspection:{task_id}:assigned")
}

pub fn link(task_id: i64) -> String {
    format!("/self-inspection/tasks/{task_id}")
}

/// The applicable items, narrowed to `codes` when given; unknown codes are field errors.
pub fn choose(
    all: Vec<ApplicableItem>,
    codes: &[String],
    field: &str,
    fields: &mut FieldErrors,
) -> Vec<ApplicableItem> {
    if codes.is_empty() {
        return all;
    }
    for c in codes {
        if !all.iter().any(|i| &i.item.code == c) {
            fields
                .entry(field.to_owned())
                .or_default()
                .push(format!("检查项“{}”不存在或不适用于本企业", crate::limits::preview(c)));
        }
    }
    all.into_iter().filter(|i| codes.contains(&i.item.code)).collect()
}

/// 422 on `field` unless `user_id` is an enabled user of the enterprise.
pub async fn check_assignee<C: ConnectionTrait>(
    db: &C,
    enterprise_id: i64,
    user_id: i64,
    field: &str,
    fields: &mut FieldErrors,
) -> AppResult<()> {
    let linked = user_enterprise::Entity::find()
        .filter(user_enterprise::Column::UserId.eq(user_id))
        .filter(user_enterprise::Column::EnterpriseId.eq(enterprise_id))
        .one(db)
        .await?
        .is_some();
    let enabled = user::Entity::find_by_id(user_id).one(db).await?.is_some_and(|u| !u.disabled);
    if !(linked && enabled) {
        fields.entry(field.to_owned()).or_default().push("负责人须是本企业的在用账号".to_owned());
    }
    Ok(())
}

/// What a new task is.
pub struct NewTask<'a> {
    pub plan_id: Option<i64>,
    pub enterprise: &'a enterprise::Model,
    pub kind: Kind,
    pub title: String,
    pub period: Option<String>,
    pub assignee_id: i64,
    pub due_on: NaiveDate,
    pub items: Vec<ApplicableItem>,
    pub created_by: Option<i64>,
}

fn pinned(items: &[ApplicableItem]) -> String {
    let mut seen: Vec<serde_json::Value> = Vec::new();
    for i in items {
        let v = serde_json::json!({"checklist_id": i.checklist_id, "version": i.checklist_version, "hash": i.checklist_hash});
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    serde_json::Value::Array(seen).to_string()
}

/// Inserts the task, its item rows and the assignee's to-do. `None` when the
/// plan already has a task for the period (a retry or a concurrent run).
pub async fn create<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, t: NewTask<'_>) -> AppResult<Option<task::Model>> {
    if t.items.is_empty() {
        return Err(AppError::validation("item_codes", "没有适用于本企业的检查项"));
    }
    let row = task::ActiveModel {
        plan_id: Set(t.plan_id),
        enterprise_id: Set(t.enterprise.id),
        bureau_id: Set(t.enterprise.supervising_bureau_id),
        sector: Set(t.enterprise.sector),
        kind: Set(t.kind),
        title: Set(t.title),
        period: Set(t.period),
        assignee_id: Set(t.assignee_id),
        due_on: Set(t.due_on),
        status: Set(TaskStatus::Open),
        checklists: Set(pinned(&t.items)),
        findings: Set(0),
        created_by: Set(t.created_by),
        created_at: Set(ctx.at),
        completed_by: Set(None),
        completed_at: Set(None),
        version: Set(1),
        ..Default::default()
    };
    let on = OnConflict::columns([task::Column::PlanId, task::Column::Period]).do_nothing().to_owned();
    let row = match task::Entity::insert(row).on_conflict(on).exec_with_returning(db).await {
        Ok(row) => row,
        Err(sea_orm::DbErr::RecordNotInserted | sea_orm::DbErr::RecordNotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    audit::record(db, ctx, "create", &row).await?;
    insert_items(db, row.id, &t.items).await?;
    tell_assignee(db, ctx, &row, t.enterprise).await?;
    Ok(Some(row))
}

async fn insert_items<C: ConnectionTrait>(db: &C, task_id: i64, items: &[ApplicableItem]) -> AppResult<()> {
    let rows: Vec<result::ActiveModel> = items
        .iter()
        .enumerate()
        .map(|(n, i)| result::ActiveModel {
            task_id: Set(task_id),
            position: Set(i32::try_from(n).unwrap_or(i32::MAX)),
            code: Set(i.item.code.clone()),
            checklist_hash: Set(i.checklist_hash.clone()),
            section: Set(i.section.clone()),
            text: Set(i.item.text.clone()),
            basis: Set(i.item.basis.clone()),
            severity: Set(i.item.severity),
            verified: Set(i.item.verified),
            outcome: Set(Outcome::Unchecked),
            note: Set(None),
            attachment_ids: Set(None),
            hazard_id: Set(None),
            updated_by: Set(None),
            updated_at: Set(None),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(200) {
        result::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

async fn tell_assignee<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    t: &task::Model,
    e: &enterprise::Model,
) -> AppResult<()> {
    let key = todo_key(t.id);
    let n = Notice {
        assignee: Assignee::User(t.assignee_id),
        todo_kind: "self_inspection_task",
        title: format!("{}：{}（{} 前完成）", e.name, t.title, t.due_on.format("%Y-%m-%d")),
        link: link(t.id),
        mail: None,
        ctx: crate::mail::NoticeContext::default(),
        key: key.clone(),
    };
    notice::send(db, ctx.at, vec![n]).await?;
    crate::todo::set_due(db, vec![key], Some(t.due_on)).await
}
