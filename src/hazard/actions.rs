//! The steps on a recorded hazard (`POST /api/v1/hazards/{id}/{action}`): each
//! checks the actor's side and the transition, applies its fields, bumps the
//! version (a stale `version` answers 409 `version_conflict`), and writes the
//! timeline step, change-log entries and to-dos in one transaction.

use super::domain::{self, Action, Closure, Status, SupervisionLevel};
use super::json::ActionRequest;
use super::service::{NewEvent, get_visible, record_event, sides};
use super::steps;
use crate::audit;
use crate::auth::CurrentUser;
use crate::entities::hazard;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::{Touched, Tx};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

fn push(fields: &mut FieldErrors, field: &str, message: &str) {
    fields.entry(field.to_owned()).or_default().push(message.to_owned());
}

fn note_required(req: &ActionRequest, fields: &mut FieldErrors, what: &str) {
    if req.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        push(fields, "note", &format!("请填写{what}"));
    }
}

/// Every problem of the body for this action, at once.
fn check_body(action: Action, req: &ActionRequest, h: &hazard::Model, fields: &mut FieldErrors) {
    req.check_lengths(fields);
    if req.funds_spent.is_some_and(|f| !(0.0..=1e12).contains(&f)) {
        push(fields, "funds_spent", "资金金额应为 0 到 10¹² 元");
    }
    match action {
        Action::Dismiss => note_required(req, fields, "不予认定的理由"),
        Action::Assign => {
            if let Some(a) = &req.assignment {
                if a.assigning_body.trim().is_empty() || a.responsible_unit.trim().is_empty() {
                    push(fields, "assignment", "请填写交办单位和责任单位");
                }
                if a.supervision_level.parse::<SupervisionLevel>().is_err() {
                    push(fields, "assignment.supervision_level", "督办级别应为 province、city 或 county");
                }
            } else {
                push(fields, "assignment", "请填写交办内容");
            }
        }
        Action::Plan => match &req.plan {
            Some(p) if p.measures.trim().is_empty() || p.emergency_plan.trim().is_empty() => {
                push(fields, "plan", "治理方案须写明治理措施和应急预案");
            }
            Some(p) if h.deadline.is_some_and(|d| p.deadline > d) => {
                push(fields, "plan.deadline", "治理时限不能晚于交办的整改期限");
            }
            Some(_) => {}
            None => push(fields, "plan", "请填写治理方案（五定）"),
        },
        Action::Progress => note_required(req, fields, "整改进展"),
        Action::Suspend if req.suspended.is_none() => {
            push(fields, "suspended", "请说明停产停用（true）或恢复（false）");
        }
        Action::Submit if req.attachment_ids.is_empty() => push(fields, "attachment_ids", "提交验收须上传整改后照片"),
        Action::Verify => {
            if req.passed.is_none() {
                push(fields, "passed", "请填写验收结论（passed）");
            }
            if req.passed == Some(false) {
                note_required(req, fields, "未通过的原因");
            }
        }
        Action::RequestExtension => {
            note_required(req, fields, "延期理由");
            match (req.until, h.deadline) {
                (None, _) => push(fields, "until", "请填写申请延期至的日期"),
                (Some(u), Some(d)) if u <= d => push(fields, "until", "延期日期应晚于当前整改期限"),
                _ => {}
            }
        }
        Action::DecideExtension if req.approved.is_none() => push(fields, "approved", "请填写是否同意延期"),
        Action::Reopen => note_required(req, fields, "重新打开的原因"),
        Action::Void => note_required(req, fields, "作废的理由"),
        _ => {}
    }
}

/// 认定: the level settled on, who closes it now, the tip-off's outcome.
fn apply_confirm(req: &ActionRequest, h: &hazard::Model, a: &mut hazard::ActiveModel) -> Value {
    let level = req.level.unwrap_or(h.level);
    let closure = domain::closure_for(level, h.closure);
    a.level = Set(level);
    a.closure = Set(closure);
    a.verification_outcome = Set(Some(req.outcome.unwrap_or(domain::Outcome::Substantiated)));
    if req.reward.is_some() {
        a.reward = Set(req.reward.clone());
    }
    if let Some(d) = req.deadline {
        a.deadline = Set(Some(d));
    }
    json!({"level": level.as_str()})
}

/// Applies the action's fields; returns the step's details for the timeline.
/// Who takes the step, when, and the assigning bureau a 交办 resolved to.
struct StepCtx {
    user_id: i64,
    at: chrono::DateTime<chrono::Utc>,
    bureau_id: Option<i64>,
}

fn apply(
    action: Action,
    req: &ActionRequest,
    h: &hazard::Model,
    a: &mut hazard::ActiveModel,
    step: &StepCtx,
) -> AppResult<Option<Value>> {
    let StepCtx { user_id, at, bureau_id } = *step;
    let data = match action {
        Action::Confirm => Some(apply_confirm(req, h, a)),
        Action::Dismiss => {
            a.verification_outcome = Set(req.outcome);
            None
        }
        Action::Assign => {
            let mut assignment = req.assignment.clone().ok_or(AppError::NotFound)?;
            let level = assignment
                .supervision_level
                .parse()
                .map_err(|e| AppError::validation("assignment.supervision_level", format!("{e}")))?;
            assignment.assigning_bureau_id = bureau_id;
            a.deadline = Set(Some(assignment.deadline));
            steps::set_assignment(a, &assignment, level, bureau_id, at);
            Some(serde_json::to_value(&assignment).map_err(|e| AppError::Internal(e.into()))?)
        }
        Action::Plan => {
            let plan = req.plan.as_ref().ok_or(AppError::NotFound)?;
            steps::set_plan(a, plan);
            Some(serde_json::to_value(plan).map_err(|e| AppError::Internal(e.into()))?)
        }
        Action::Progress | Action::Submit => {
            if let Some(f) = req.funds_spent {
                a.funds_spent = Set(Some(steps::yuan_to_fen(f)));
            }
            if action == Action::Submit {
                a.rectified_by = Set(Some(user_id));
            }
            req.funds_spent.map(|f| json!({"funds_spent": f}))
        }
        Action::Suspend => {
            a.suspended = Set(req.suspended.unwrap_or(true));
            Some(json!({"suspended": req.suspended}))
        }
        Action::Verify => Some(json!({"passed": req.passed})),
        Action::RequestExtension => {
            a.extension_until = Set(req.until);
            a.extension_reason = Set(req.note.clone());
            Some(json!({"until": req.until, "previous_deadline": h.deadline}))
        }
        Action::DecideExtension => {
            let approved = req.approved.unwrap_or(false);
            if approved {
                a.deadline = Set(h.extension_until);
            }
            a.extension_until = Set(None);
            a.extension_reason = Set(None);
            Some(json!({"approved": approved, "until": h.extension_until}))
        }
        Action::Reopen | Action::Void => None,
    };
    Ok(data)
}

/// Refusals that depend on the stored hazard rather than the transition table.
fn check_state(action: Action, h: &hazard::Model, user: &CurrentUser, req: &ActionRequest) -> AppResult<()> {
    match action {
        Action::Verify if h.closure == Closure::Enterprise && h.rectified_by == Some(user.id) => {
            Err(AppError::conflict("acceptor_is_rectifier", "验收人不能是提交整改的同一人"))
        }
        Action::RequestExtension if h.extension_until.is_some() => {
            Err(AppError::conflict("extension_pending", "已有延期申请在审批中"))
        }
        Action::DecideExtension if h.extension_until.is_none() => {
            Err(AppError::conflict("no_extension_request", "没有待审批的延期申请"))
        }
        _ if req.version.is_some_and(|v| v != h.version) => Err(version_conflict()),
        _ => Ok(()),
    }
}

fn version_conflict() -> AppError {
    AppError::conflict("version_conflict", "该隐患已被他人更新，请刷新后重试")
}

fn purpose(action: Action) -> &'static str {
    match action {
        Action::Submit => "after",
        Action::Plan => "plan",
        _ => "evidence",
    }
}

/// Takes `action` on hazard `id` for `user`.
pub async fn act(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    action: Action,
    req: &ActionRequest,
) -> AppResult<hazard::Model> {
    let ctx = tx.ctx();
    tx.touch(Touched::Ledger);
    tx.touch(Touched::Mail);
    let h = get_visible(tx, user, id).await?;
    let closure = h.closure;
    if !domain::side_for(action, closure).iter().any(|s| sides(user, &h).contains(s)) {
        return Err(AppError::Forbidden);
    }
    let from = h.status;
    let level = req.level.unwrap_or(h.level);
    let to = domain::next(closure, from, action, req.passed.unwrap_or(false), level)
        .map_err(|e| AppError::conflict("illegal_transition", e.to_string()))?;
    let mut fields = FieldErrors::new();
    check_body(action, req, &h, &mut fields);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    check_state(action, &h, user, req)?;
    let mut a: hazard::ActiveModel = h.clone().into();
    let bureau_id = match (action, &req.assignment) {
        (Action::Assign, Some(x)) => steps::assigning_bureau(tx, x).await?,
        _ => None,
    };
    let data = apply(action, req, &h, &mut a, &StepCtx { user_id: user.id, at: ctx.at, bureau_id })?;
    a.status = Set(to);
    a.is_open = Set(to.is_open());
    a.version = Set(h.version + 1);
    a.updated_at = Set(ctx.at);
    if to != from {
        a.status_changed_at = Set(ctx.at);
        a.closed_at = Set((to == Status::Closed).then_some(ctx.at));
    }
    let updated = hazard::Entity::update_many()
        .set(a)
        .filter(hazard::Column::Id.eq(h.id))
        .filter(hazard::Column::Version.eq(h.version))
        .exec_with_returning(tx)
        .await?;
    let Some(row) = updated.into_iter().next() else { return Err(version_conflict()) };
    crate::attachment::claim(tx, user, &req.attachment_ids, row.id, purpose(action), "attachment_ids").await?;
    audit::record(tx, ctx, action.as_str(), &row).await?;
    let step = NewEvent { action: action.as_str(), from: Some(from), to, note: req.note.clone(), data };
    let event = record_event(tx, ctx, row.id, step).await?;
    super::notify::after_step(tx, ctx, &row, action, event.id, req.note.clone()).await?;
    Ok(row)
}
