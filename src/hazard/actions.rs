//! The steps on a recorded hazard (`POST /api/v1/hazards/{id}/{action}`): each
//! asks the hazard's [`policy`] whether this actor may take it now (the one
//! place that decides), checks its body, applies its fields, bumps the
//! version (a stale `version` answers 409 `version_conflict`), and writes the
//! timeline step, change-log entries and to-dos in one transaction.

use super::columns;
use super::domain::{self, Action, Status};
use super::json::ActionRequest;
use super::policy;
use super::service::{NewEvent, get_visible, record_event};
use crate::audit;
use crate::auth::CurrentUser;
use crate::entities::hazard;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::{Touched, Tx};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

/// Every problem of the body for this action, at once: lengths and amounts
/// here, the step's own required fields by its body type ([`super::steps`]).
fn check_body(action: Action, req: &ActionRequest, h: &hazard::Model, fields: &mut FieldErrors) {
    req.check_lengths(fields);
    if req.funds_spent.is_some_and(|f| !(0.0..=1e12).contains(&f)) {
        fields.entry("funds_spent".to_owned()).or_default().push("资金金额应为 0 到 10¹² 元".to_owned());
    }
    super::steps::check(action, req, h.deadline, fields);
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

/// Who takes the step, when, and what the 一单四制 steps prepared.
struct StepCtx<'a> {
    user_id: i64,
    at: chrono::DateTime<chrono::Utc>,
    prepared: &'a super::loop_steps::Prepared,
}

/// Applies the action's fields; returns the step's details for the timeline.
fn apply(
    action: Action,
    req: &ActionRequest,
    h: &hazard::Model,
    a: &mut hazard::ActiveModel,
    step: &StepCtx,
) -> AppResult<Option<Value>> {
    let StepCtx { user_id, at, prepared } = *step;
    let data = match action {
        Action::Confirm => Some(apply_confirm(req, h, a)),
        Action::Dismiss => {
            a.verification_outcome = Set(req.outcome);
            None
        }
        Action::Assign
        | Action::Plan
        | Action::Suspend
        | Action::RequestExtension
        | Action::ApplyResumption
        | Action::LiftSuspension => super::loop_steps::apply(action, req, prepared, a, at)?,
        Action::Progress | Action::Submit => {
            if let Some(f) = req.funds_spent {
                a.funds_spent = Set(Some(columns::yuan_to_fen(f)));
            }
            if action == Action::Submit {
                a.rectified_by = Set(Some(user_id));
            }
            req.funds_spent.map(|f| json!({"funds_spent": f}))
        }
        Action::Verify => Some(super::review::step_data(req, h.closure == domain::Closure::Major)),
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
    let req = &super::steps::narrow(action, req);
    let ctx = tx.ctx();
    tx.touch(Touched::Ledger);
    tx.touch(Touched::Mail);
    let h = get_visible(tx, user, id).await?;
    let rec = policy::Record::of(&h)?;
    policy::check(&policy::Actor::new(user, h.enterprise_id), &rec, action)?;
    let level = req.level.unwrap_or(rec.level);
    let from = rec.status;
    let to = domain::next(rec.closure, from, action, req.passed.unwrap_or(false), level)
        .map_err(|e| AppError::conflict("illegal_transition", e.to_string()))?;
    let mut fields = FieldErrors::new();
    check_body(action, req, &h, &mut fields);
    let prepared = super::loop_steps::prepare(tx, user, action, req, &h, ctx.at, &mut fields).await?;
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    if req.version.is_some_and(|v| v != h.version) {
        return Err(version_conflict());
    }
    let mut a: hazard::ActiveModel = h.clone().into();
    let data = apply(action, req, &h, &mut a, &StepCtx { user_id: user.id, at: ctx.at, prepared: &prepared })?;
    super::loop_steps::apply_flags(&prepared, &mut a, ctx.at);
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
    audit::record(tx, ctx, action.as_str(), &row).await?;
    let step = NewEvent { action: action.as_str(), from: Some(from), to, note: req.note.clone(), data };
    let event = record_event(tx, ctx, row.id, step).await?;
    let owner = crate::attachment::Owner::hazard(row.id, Some(event.id));
    crate::attachment::claim(tx, user, &req.attachment_ids, owner, purpose(action), "attachment_ids").await?;
    super::loop_steps::after(tx, ctx, user, action, req, &prepared, &row, event.id).await?;
    if !super::suspension::suspension_only(action) {
        super::notify::after_step(tx, ctx, &row, action, event.id, req.note.clone()).await?;
    }
    Ok(row)
}
