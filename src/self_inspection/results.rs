//! Recording outcomes and completing a task. Completion keeps one row per pinned
//! item whatever was found (无隐患也留痕): items never recorded stay 未检查 and
//! are counted as such; it is not refused for them (a patrol may stop short, and
//! the record must say so rather than be withheld). Each 不符合 item becomes a
//! self-found hazard through the ledger's own create use case, in the same
//! transaction; the task is marked completed in it too, so a retry finds it
//! completed (409 `task_completed`) and never makes a second hazard.

use super::domain::TaskStatus;
use super::json::ResultInput;
use super::{list, policy, tasks};
use crate::audit;
use crate::auth::CurrentUser;
use crate::checklist::Severity;
use crate::entities::{hazard, self_inspection_result as result, self_inspection_task as task};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hazard::domain::{Level, Source};
use crate::hazard::json::CreateHazardRequest;
use crate::inspection::domain::Outcome;
use crate::write::{Touched, Tx};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// The hazard category of a self-found hazard from a checklist item: 管理缺陷 is
/// the shipped category every province offers; the enterprise may re-categorise
/// it in the ledger.
const CATEGORY: &str = "management_defect";

fn push(fields: &mut FieldErrors, field: String, message: impl Into<String>) {
    fields.entry(field).or_default().push(message.into());
}

fn check(inputs: &[ResultInput], items: &[result::Model]) -> FieldErrors {
    let mut fields = FieldErrors::new();
    if inputs.is_empty() {
        push(&mut fields, "results".into(), "请至少填写一项检查结果");
    }
    crate::limits::check_list(&mut fields, "results", "检查结果", inputs, crate::limits::IDS);
    for (n, r) in inputs.iter().enumerate() {
        if !items.iter().any(|i| i.code == r.code) {
            push(
                &mut fields,
                format!("results[{n}].code"),
                format!("检查项“{}”不在本任务中", crate::limits::preview(&r.code)),
            );
        }
        if inputs[..n].iter().any(|o| o.code == r.code) {
            push(&mut fields, format!("results[{n}].code"), "同一检查项重复填写");
        }
        crate::limits::check(
            &mut fields,
            &format!("results[{n}].note"),
            "备注",
            r.note.as_deref(),
            crate::limits::TEXT,
        );
        crate::limits::check_list(
            &mut fields,
            &format!("results[{n}].attachment_ids"),
            "照片",
            &r.attachment_ids,
            crate::limits::LIST,
        );
        if !r.attachment_ids.is_empty() && r.outcome != Outcome::NonConform {
            push(&mut fields, format!("results[{n}].attachment_ids"), "只有“不符合”的检查项可以附照片（作为隐患照片）");
        }
    }
    fields
}

/// Loads the task for a step: 404 outside the scope, 403 for who does not work on it, 409 once completed.
async fn task_for_step(tx: &Tx, user: &CurrentUser, id: i64) -> AppResult<task::Model> {
    let t = crate::scope::get::<task::Entity, _>(tx, &user.scope, id).await?;
    policy::check(user, &t)?;
    Ok(t)
}

/// Records a batch of outcomes on an open task.
pub async fn record(tx: &Tx, user: &CurrentUser, id: i64, inputs: &[ResultInput]) -> AppResult<task::Model> {
    let t = task_for_step(tx, user, id).await?;
    let items = list::items(tx, t.id).await?;
    let fields = check(inputs, &items);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    for r in inputs {
        let Some(row) = items.iter().find(|i| i.code == r.code) else { continue };
        let note = r.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
        let ids = (!r.attachment_ids.is_empty()).then(|| serde_json::Value::from(r.attachment_ids.clone()).to_string());
        let a = result::ActiveModel {
            id: Set(row.id),
            outcome: Set(r.outcome),
            note: Set(note),
            attachment_ids: Set(ids),
            updated_by: Set(Some(user.id)),
            updated_at: Set(Some(ctx.at)),
            ..Default::default()
        };
        let saved = result::Entity::update(a).exec(tx).await?;
        audit::record(tx, ctx, "update", &saved).await?;
    }
    Ok(t)
}

fn hazard_request(t: &task::Model, r: &result::Model) -> CreateHazardRequest {
    let title: String = r.text.chars().take(crate::limits::NAME).collect();
    let mut description = format!("{}（{}）发现不符合项：{}\n判定依据：{}", t.title, r.section, r.text, r.basis);
    if let Some(n) = &r.note {
        description.push_str("\n排查说明：");
        description.push_str(n);
    }
    if !r.verified {
        description.push_str("\n（该检查项条文尚未核实）");
    }
    CreateHazardRequest {
        enterprise_id: Some(t.enterprise_id),
        subject_id: None,
        subject: None,
        source: Source::SelfCheck,
        source_ref: Some(format!("排查任务 {}", t.id)),
        reporter: None,
        level: if r.severity == Severity::Major { Level::Major } else { Level::General },
        category: CATEGORY.to_owned(),
        title,
        description: description.chars().take(crate::limits::TEXT).collect(),
        location: None,
        found_at: r.updated_at.unwrap_or(t.created_at),
        deadline: None,
        deadline_working_days: None,
        checklist_item_code: Some(r.code.clone()),
        risk_point_id: None,
        attachment_ids: r.attachment_ids.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default(),
        fixed_on_spot: false,
        after_attachment_ids: Vec::new(),
    }
}

/// Completes a task: each 不符合 item becomes a linked self-found hazard, the
/// task is stamped completed with its findings, the assignee's to-do is done.
pub async fn complete(tx: &Tx, user: &CurrentUser, id: i64) -> AppResult<task::Model> {
    let t = task_for_step(tx, user, id).await?;
    let ctx = tx.ctx();
    let items = list::items(tx, t.id).await?;
    let mut findings = 0;
    for r in items.iter().filter(|r| r.outcome == Outcome::NonConform && r.hazard_id.is_none()) {
        let (h, _) = crate::hazard::service::create(tx, user, &hazard_request(&t, r)).await?;
        hazard::Entity::update_many()
            .col_expr(hazard::Column::SelfInspectionTaskId, Expr::value(t.id))
            .filter(hazard::Column::Id.eq(h.id))
            .exec(tx)
            .await?;
        let a = result::ActiveModel { id: Set(r.id), hazard_id: Set(Some(h.id)), ..Default::default() };
        let saved = result::Entity::update(a).exec(tx).await?;
        audit::record(tx, ctx, "link_hazard", &saved).await?;
        findings += 1;
    }
    let done = task::Entity::update_many()
        .col_expr(task::Column::Status, Expr::value(TaskStatus::Completed.as_str()))
        .col_expr(task::Column::Findings, Expr::value(findings))
        .col_expr(task::Column::CompletedBy, Expr::value(user.id))
        .col_expr(task::Column::CompletedAt, Expr::value(ctx.at))
        .col_expr(task::Column::Version, Expr::value(t.version + 1))
        .filter(task::Column::Id.eq(t.id))
        .filter(task::Column::Version.eq(t.version))
        .filter(task::Column::Status.eq(TaskStatus::Open))
        .exec_with_returning(tx)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::conflict("task_completed", "该排查任务已完成，不能再修改"))?;
    audit::record(tx, ctx, "complete", &done).await?;
    close_todo(tx, t.id).await?;
    tx.touch(Touched::Ledger);
    Ok(done)
}

async fn close_todo(tx: &Tx, task_id: i64) -> AppResult<()> {
    use crate::entities::todo;
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(tx.now()))
        .filter(todo::Column::DedupeKey.eq(tasks::todo_key(task_id)))
        .filter(todo::Column::DoneAt.is_null())
        .exec(tx)
        .await?;
    Ok(())
}
