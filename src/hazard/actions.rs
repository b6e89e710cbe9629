//! The steps on a recorded hazard (`POST /api/v1/hazards/{id}/{action}`): each
//! asks the hazard's [`policy`] whether this actor may take it now (the one
//! place that decides), checks its body, applies its fields, bumps the
//! version (a stale `version` answers 409 `version_conflict`), and writes the
//! timeline step, change-log entries and to-dos in one transaction.

use super::columns;
use super::decisions;
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

/// Who takes the step, when, what the 一单四制 steps prepared, and what a
/// decision needs ([`decisions::Decided`]).
struct StepCtx<'a> {
    user_id: i64,
    at: chrono::DateTime<chrono::Utc>,
    prepared: &'a super::loop_steps::Prepared,
    decided: decisions::Decided,
}

/// Applies the action's fields; returns the step's details for the timeline.
fn apply(
    action: Action,
    req: &ActionRequest,
    h: &hazard::Model,
    a: &mut hazard::ActiveModel,
    step: &StepCtx,
) -> AppResult<Option<Value>> {
    let StepCtx { user_id, at, prepared, ref decided } = *step;
    let data = match action {
        Action::Confirm | Action::Dismiss | Action::Regrade | Action::Reopen | Action::Void | Action::ApproveVoid => {
            decisions::apply(action, req, h, a, decided)
        }
        Action::Assign
        | Action::Plan
        | Action::Suspend
        | Action::RequestExtension
        | Action::ApplyResumption
        | Action::LiftSuspension => {
            if action == Action::RequestExtension {
                a.extension_requested_by = Set(Some(user_id));
            }
            super::loop_steps::apply(action, req, prepared, a, at)?
        }
        Action::Progress | Action::Submit => {
            if let Some(f) = req.funds_spent {
                a.funds_spent = Set(Some(columns::yuan_to_fen(f)));
            }
            if action == Action::Submit {
                a.rectified_by = Set(Some(user_id));
                decisions::submitted(req, a);
            }
            req.funds_spent.map(|f| json!({"funds_spent": f}))
        }
        Action::Verify => {
            let people = decisions::verified(req, a, user_id);
            let mut data = super::review::step_data(req, h.closure == domain::Closure::Major);
            if let (Some(d), Some(name)) = (data.as_object_mut(), people.get("acceptor_name")) {
                d.insert("acceptor_name".to_owned(), name.clone());
            }
            Some(data)
        }
        Action::DecideExtension => {
            let approved = req.approved.unwrap_or(false);
            if approved {
                a.deadline = Set(h.extension_until);
            }
            a.extension_until = Set(None);
            a.extension_reason = Set(None);
            a.extension_requested_by = Set(None);
            Some(json!({"approved": approved, "until": h.extension_until}))
        }
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

/// What the policy and the body decided about a step: the status it leads
/// to and what applying it needs.
struct Checked {
    h: hazard::Model,
    from: Status,
    to: Status,
    decided: decisions::Decided,
    prepared: super::loop_steps::Prepared,
}

/// Asks the policy (403, 409), then checks the body (422), the people named
/// (409) and the version (409); resolves a new deadline.
async fn check_step(tx: &Tx, user: &CurrentUser, id: i64, action: Action, req: &ActionRequest) -> AppResult<Checked> {
    let h = get_visible(tx, user, id).await?;
    let rec = policy::Record::of(&h)?;
    policy::check(&policy::Actor::of(tx, user, &h).await?, &rec, action)?;
    let level = req.level.unwrap_or(rec.level);
    let from = rec.status;
    let passed = if action == Action::ApproveVoid { req.approved } else { req.passed };
    let mut to = domain::next(rec.closure, from, action, passed.unwrap_or(false), level)
        .map_err(|e| AppError::conflict("illegal_transition", e.to_string()))?;
    // A void of a closed or major hazard waits for an approver; the status stays.
    let void_request = action == Action::Void && domain::void_needs_approval(rec.level, from);
    if void_request {
        to = from;
    }
    let today = crate::clock::china_date(tx.ctx().at);
    let mut fields = FieldErrors::new();
    check_body(action, req, &h, &mut fields);
    decisions::check(action, req, &h, today, &mut fields);
    let prepared = super::loop_steps::prepare(tx, user, action, req, &h, tx.ctx().at, &mut fields).await?;
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    decisions::check_people(action, req, &h)?;
    if req.version.is_some_and(|v| v != h.version) {
        return Err(version_conflict());
    }
    let deadline = decisions::new_deadline(tx, action, req, today).await?;
    let decided = decisions::Decided { user_id: user.id, deadline, void_request };
    Ok(Checked { h, from, to, decided, prepared })
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
    let Checked { h, from, to, decided, prepared } = check_step(tx, user, id, action, req).await?;
    let mut a: hazard::ActiveModel = h.clone().into();
    let step = StepCtx { user_id: user.id, at: ctx.at, prepared: &prepared, decided };
    let data = apply(action, req, &h, &mut a, &step)?;
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
    let step = NewEvent { action: action.as_str(), from: Some(from), to, note: note_of(action, req), data };
    let event = record_event(tx, ctx, row.id, step).await?;
    let owner = crate::attachment::Owner::hazard(row.id, Some(event.id));
    crate::attachment::claim(tx, user, &req.attachment_ids, owner, purpose(action), "attachment_ids").await?;
    super::loop_steps::after(tx, ctx, user, action, req, &prepared, &row, event.id).await?;
    let requester_bureau = user.bureau.as_ref().map_or(row.bureau_id, |b| b.id);
    if !decisions::notify(tx, ctx, &row, action, event.id, requester_bureau).await?
        && !super::suspension::suspension_only(action)
    {
        super::notify::after_step(tx, ctx, &row, action, event.id, note_of(action, req)).await?;
    }
    Ok(row)
}

/// The timeline's note of a step: a re-grading's reason, any other step's note.
fn note_of(action: Action, req: &ActionRequest) -> Option<String> {
    if action == Action::Regrade { req.reason.clone() } else { req.note.clone() }
}
