//! The result of each drawn task (一公开, part one): the category, who may record it,
//! when, and what it does to the register and the inspection.
//!
//! Decisions where the issue is silent:
//! - who: (403 for users outside bureaus, then 404 outside the scope) a member of the task's inspection team, or a regulator of the drawing
//!   bureau; other bureau users who see the draw (bureaus above) are refused (403);
//! - when: once the inspection is completed, any category; while it is pending or
//!   approved (or already cancelled by an earlier result), only `closed_or_suspended`
//!   and `not_found` — the team found nothing to inspect, so the inspection is
//!   cancelled with that reason (its reserved numbers voided); in progress, rejected
//!   or unstaffed tasks: 409;
//! - the register: `not_found` sets the enterprise 关闭; `closed_or_suspended` sets
//!   停产 unless `register_status` says `closed` (关闭) — through the register's own
//!   update and status history, in the same transaction. A later correction does not
//!   change the register back: that is the register's own edit;
//! - the suggestion: a completed inspection with hazards suggests 责令整改, without
//!   suggests 未发现问题; the user chooses;
//! - corrections: until published the result is simply replaced (audited); after
//!   publication a new result makes the task unpublished again, and the public site
//!   keeps the old publication until the correction is published (see
//!   [`super::publish`]).

use super::domain::TaskResult;
use crate::auth::{CurrentUser, Role};
use crate::enterprise::domain::EnterpriseStatus;
use crate::entities::{draw, draw_task, enterprise, inspection};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::domain::{DocumentStatus, Status};
use crate::write::Tx;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};

use utoipa::ToSchema;

/// The body of `POST /api/v1/draw-tasks/{id}/result`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetResult {
    pub result: TaskResult,
    /// A note for the bureau (not published).
    #[schema(max_length = 5000)]
    pub note: Option<String>,
    /// For `closed_or_suspended`: the register's new status, `suspended` (停产, default) or `closed` (关闭).
    pub register_status: Option<EnterpriseStatus>,
}

/// The team's user ids stored on the task.
pub fn team_of(t: &draw_task::Model) -> Vec<i64> {
    serde_json::from_str(&t.inspector_ids).unwrap_or_default()
}

/// The task and its draw if the user sees the draw; 404 otherwise.
pub async fn visible<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    task_id: i64,
) -> AppResult<(draw_task::Model, draw::Model)> {
    let t = draw_task::Entity::find_by_id(task_id).one(db).await?.ok_or(AppError::NotFound)?;
    let d = super::service::get_visible(db, user, t.draw_id).await?;
    Ok((t, d))
}

/// Whether the user is a regulator of the drawing bureau.
pub fn is_drawing_regulator(user: &CurrentUser, d: &draw::Model) -> bool {
    user.has(Role::Regulator) && user.bureau.as_ref().is_some_and(|b| b.id == d.bureau_id)
}

/// Whether the user may record the task's result.
pub async fn may_record<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    t: &draw_task::Model,
    d: &draw::Model,
) -> AppResult<bool> {
    if is_drawing_regulator(user, d) || team_of(t).contains(&user.id) {
        return Ok(true);
    }
    match t.inspection_id {
        Some(i) => crate::inspection::governance::team::is_member(db, i, user.id).await,
        None => Ok(false),
    }
}

/// The category suggested by the inspection's findings, once it is completed.
pub async fn suggest<C: ConnectionTrait>(db: &C, i: &inspection::Model) -> AppResult<Option<TaskResult>> {
    if i.status != Status::Completed {
        return Ok(None);
    }
    let hazards = crate::inspection::record::complete::hazards_of(db, i.id).await?;
    Ok(Some(if hazards > 0 { TaskResult::RectificationOrdered } else { TaskResult::NoProblem }))
}

/// Whether a category needs nothing to have been inspected.
pub fn nothing_to_inspect(r: TaskResult) -> bool {
    matches!(r, TaskResult::ClosedOrSuspended | TaskResult::NotFound)
}

fn check_body(req: &SetResult) -> AppResult<()> {
    let mut fields = FieldErrors::default();
    crate::limits::check(&mut fields, "note", "说明", req.note.as_deref(), crate::limits::TEXT);
    if let Some(s) = req.register_status {
        if req.result != TaskResult::ClosedOrSuspended {
            fields.entry("register_status".into()).or_default().push("仅“已关闭或停产”可指定企业经营状态".into());
        } else if !matches!(s, EnterpriseStatus::Suspended | EnterpriseStatus::Closed) {
            fields.entry("register_status".into()).or_default().push("企业经营状态只能是停产或关闭".into());
        }
    }
    if fields.is_empty() { Ok(()) } else { Err(AppError::Validation(fields)) }
}

/// Refuses a result the inspection's state does not allow.
fn check_state(i: &inspection::Model, r: TaskResult) -> AppResult<()> {
    let ok = match i.status {
        Status::Completed => true,
        Status::PendingApproval | Status::Approved | Status::Cancelled => nothing_to_inspect(r),
        Status::InProgress | Status::Rejected => false,
    };
    if ok {
        return Ok(());
    }
    Err(AppError::conflict(
        "result_not_allowed",
        format!(
            "检查{}，不能登记抽查结果“{}”（检查完成后登记；企业已关闭、停产或查无此对象的可直接登记）",
            i.status.zh(),
            r.zh()
        ),
    ))
}

/// Cancels a pending or approved inspection because there was nothing to inspect.
async fn cancel_inspection(tx: &Tx, i: inspection::Model, r: TaskResult) -> AppResult<()> {
    if !matches!(i.status, Status::PendingApproval | Status::Approved) {
        return Ok(());
    }
    let reason = format!("双随机抽查结果：{}", r.zh());
    let docs = crate::inspection::governance::documents::of_inspection(tx, i.id).await?;
    for d in docs.iter().filter(|d| d.status == DocumentStatus::Reserved) {
        crate::inspection::governance::documents::void(tx, d, &format!("检查取消：{reason}")).await?;
    }
    let version = i.version;
    let mut m: inspection::ActiveModel = i.into();
    m.status = Set(Status::Cancelled);
    m.rejected_reason = Set(Some(reason));
    m.version = Set(version + 1);
    m.updated_at = Set(tx.now());
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), "cancel", &saved).await?;
    Ok(())
}

/// Sets the register's status for `closed_or_suspended` and `not_found`, with its history entry.
async fn update_register(tx: &Tx, enterprise_id: i64, req: &SetResult) -> AppResult<()> {
    let status = match req.result {
        TaskResult::NotFound => EnterpriseStatus::Closed,
        TaskResult::ClosedOrSuspended => req.register_status.unwrap_or(EnterpriseStatus::Suspended),
        _ => return Ok(()),
    };
    let e = enterprise::Entity::find_by_id(enterprise_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let previous = e.status;
    if previous == status {
        return Ok(());
    }
    let draft = crate::enterprise::draft::Draft::default();
    crate::enterprise::service::update_row(tx, tx.ctx(), e, &draft, None, Some(status)).await?;
    let reason = format!("双随机抽查结果：{}", req.result.zh());
    crate::enterprise::service::record_status(tx, tx.ctx(), enterprise_id, status, Some(previous), Some(&reason))
        .await?;
    Ok(())
}

/// Records (or corrects) a task's result; see the module doc for the rules.
pub async fn set(tx: &Tx, user: &CurrentUser, task_id: i64, req: &SetResult) -> AppResult<draw_task::Model> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let (t, d) = visible(tx, user, task_id).await?;
    if !may_record(tx, user, &t, &d).await? {
        return Err(AppError::ForbiddenBecause("只有本任务检查组成员或抽取单位的监管人员可以登记结果".into()));
    }
    check_body(req)?;
    let Some(inspection_id) = t.inspection_id else {
        return Err(AppError::conflict("task_unstaffed", "该任务未配备执法人员，没有检查，不能登记结果"));
    };
    let i = inspection::Entity::find_by_id(inspection_id).one(tx).await?.ok_or(AppError::NotFound)?;
    check_state(&i, req.result)?;
    if nothing_to_inspect(req.result) {
        cancel_inspection(tx, i, req.result).await?;
    }
    update_register(tx, t.enterprise_id, req).await?;
    let version = t.version;
    let mut m: draw_task::ActiveModel = t.into();
    m.result = Set(Some(req.result));
    m.result_note = Set(req.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned));
    m.result_by = Set(Some(user.id));
    m.result_at = Set(Some(tx.now()));
    m.published_at = Set(None);
    m.published_by = Set(None);
    m.version = Set(version + 1);
    m.updated_at = Set(tx.now());
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), "set_result", &saved).await?;
    Ok(saved)
}

/// One task as the result page and API show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = DrawTaskResultView)]
pub struct TaskView {
    pub id: i64,
    pub seq: i32,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub credit_code: String,
    pub inspection_id: Option<i64>,
    pub inspection_status: Option<Status>,
    pub suggested: Option<TaskResult>,
    pub result: Option<TaskResult>,
    pub result_note: Option<String>,
    pub result_at: Option<chrono::DateTime<chrono::Utc>>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The last day to publish the result (working days after it; `None` without a result).
    pub publish_by: Option<chrono::NaiveDate>,
    /// Unpublished past `publish_by`.
    pub late: bool,
}
