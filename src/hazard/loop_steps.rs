//! The 一单四制 steps' own work, called by [`super::actions::act`]: 交办,
//! 治理方案, suspension (停产停业、停止使用), 复产申请, 销号 submission and
//! 核销 review of a major hazard, and the extension's working days.
//!
//! Each step is prepared first ([`prepare`]: what needs the database — the
//! supervising bureau, the holiday calendar, files already handed in — with
//! every problem reported with the body's others), applied to the row
//! ([`apply`]), and followed after its timeline step is written ([`after`]:
//! plan versions, the review, the enterprise's status history, the files).
//!
//! Decisions where the issue is silent:
//! - the 交办's supervising bureau defaults to the user's own; it must be the
//!   user's own or one below it (the same field error as an unknown id); it is
//!   the listing bureau (`assigning_bureau_id`, 谁挂牌谁摘牌) unless the level
//!   is `none` (不挂牌), when there is no listing bureau;
//! - the 交办 date defaults to today (Beijing) and may be earlier (a paper
//!   notice recorded late), never later;
//! - **working days**: a deadline of *n* working days at 交办 is the *n*-th
//!   working day after the 交办 date (the date itself not counted), following
//!   the holiday calendar with its make-up working days (调休); an extension
//!   of *n* working days is the *n*-th working day after the current deadline
//!   (after today when there is none). Past the published calendar only
//!   weekends are days off;
//! - the 评估报告 a major hazard's submission needs may have been handed in
//!   before (with a 复产申请); the 复产申请 a suspended one needs likewise;
//! - a review (核销) that lifts the suspension must have passed.

use super::domain::{Action, Closure, SupervisionLevel};
use super::json::{ActionRequest, Assignment};
use super::{columns, review, suspension};
use crate::audit::AuditCtx;
use crate::auth::CurrentUser;
use crate::clock::china_date;
use crate::entities::hazard;
use crate::error::{AppError, AppResult, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// What [`prepare`] found out for [`apply`] and [`after`].
#[derive(Debug, Default)]
pub struct Prepared {
    /// The 交办 as it will be stored, with its level.
    pub assignment: Option<(Assignment, SupervisionLevel)>,
    /// The extension asked for, as a date.
    pub extension_until: Option<NaiveDate>,
    /// This step lifts the suspension.
    pub lifts: bool,
    /// This step hands in the 复产申请.
    pub applies_resumption: bool,
}

fn push(fields: &mut FieldErrors, field: &str, message: &str) {
    fields.entry(field.to_owned()).or_default().push(message.to_owned());
}

/// Checks what needs the database and resolves the step's dates and bureaus;
/// problems go to `fields` with the body's others.
pub async fn prepare<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    action: Action,
    req: &ActionRequest,
    h: &hazard::Model,
    at: DateTime<Utc>,
    fields: &mut FieldErrors,
) -> AppResult<Prepared> {
    let today = china_date(at);
    let mut p = Prepared::default();
    let major = h.closure == Closure::Major;
    match action {
        Action::Assign => p.assignment = assignment(db, user, req, h, today, fields).await?,
        Action::RequestExtension => {
            if let Some(n) = req.until_working_days.filter(|_| req.until.is_none()) {
                let from = h.deadline.unwrap_or(today);
                p.extension_until = Some(crate::calendar::load(db).await?.add_working_days(from, n).date);
            } else {
                p.extension_until = req.until;
            }
        }
        Action::Submit if major => {
            let has_report = suspension::has_file(db, h.id, suspension::ASSESSMENT_REPORT).await?;
            if req.assessment_report_ids.is_empty() && !has_report {
                push(fields, "assessment_report_ids", "重大事故隐患提交销号须附评估报告");
            }
            p.applies_resumption = !req.resumption_application_ids.is_empty();
            if h.suspended && !p.applies_resumption && h.resumption_applied_at.is_none() {
                push(fields, "resumption_application_ids", "已责令停产停用，提交销号须附书面复产申请");
            }
        }
        Action::ApplyResumption => {
            let has_report = suspension::has_file(db, h.id, suspension::ASSESSMENT_REPORT).await?;
            if req.assessment_report_ids.is_empty() && !has_report {
                push(fields, "assessment_report_ids", "复产申请须附评估报告");
            }
            p.applies_resumption = true;
        }
        Action::LiftSuspension => p.lifts = true,
        Action::Verify if major => {
            review::check(req, today, fields);
            p.lifts = h.suspended && req.passed == Some(true) && req.lift_suspension == Some(true);
        }
        _ => {}
    }
    Ok(p)
}

/// The 交办 as it will be stored: the supervising bureau checked, the listing
/// bureau, the date and the deadline resolved.
async fn assignment<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    req: &ActionRequest,
    h: &hazard::Model,
    today: NaiveDate,
    fields: &mut FieldErrors,
) -> AppResult<Option<(Assignment, SupervisionLevel)>> {
    let Some(mut x) = req.assignment.clone() else { return Ok(None) };
    let own = user.bureau.as_ref().map(|b| b.id);
    let bureau = match x.supervising_bureau_id.or(own) {
        Some(id) => match crate::scope::bureau_below(db, user, id).await {
            Ok(b) => Some(b),
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    if bureau.is_none() {
        push(fields, "assignment.supervising_bureau_id", crate::scope::BUREAU_OUT_OF_SCOPE);
    }
    let on = x.assigned_on.unwrap_or(today);
    if on > today {
        push(fields, "assignment.assigned_on", "交办日期不能晚于今天");
    }
    if on < china_date(h.found_at) {
        push(fields, "assignment.assigned_on", "交办日期不能早于发现日期");
    }
    let (Some(b), Ok(level)) = (bureau, x.supervision_level.parse::<SupervisionLevel>()) else { return Ok(None) };
    if let Some(n) = x.deadline_working_days.filter(|_| x.deadline.is_none()) {
        x.deadline = Some(crate::calendar::load(db).await?.add_working_days(on, n).date);
    }
    x.assigned_on = Some(on);
    x.supervising_bureau_id = Some(b.id);
    x.supervising_bureau_name = Some(b.name);
    x.assigning_bureau_id = (level != SupervisionLevel::Unlisted).then_some(b.id);
    x.assigning_body = x.assigning_body.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    x.deadline_working_days = None;
    Ok(Some((x, level)))
}

/// The suspension's columns after any step: lifted, or the 复产申请 handed in.
pub fn apply_flags(p: &Prepared, a: &mut hazard::ActiveModel, at: DateTime<Utc>) {
    if p.lifts {
        a.suspended = Set(false);
        a.resumption_applied_at = Set(None);
    } else if p.applies_resumption {
        a.resumption_applied_at = Set(Some(at));
    }
}

/// Applies the fields of a step this module owns; returns the timeline step's details.
pub fn apply(
    action: Action,
    req: &ActionRequest,
    p: &Prepared,
    a: &mut hazard::ActiveModel,
    at: DateTime<Utc>,
) -> AppResult<Option<Value>> {
    let internal = |e: serde_json::Error| AppError::Internal(e.into());
    Ok(match action {
        Action::Assign => {
            let (x, level) = p.assignment.as_ref().ok_or(AppError::NotFound)?;
            a.deadline = Set(x.deadline);
            columns::set_assignment(a, x, *level, at);
            Some(serde_json::to_value(x).map_err(internal)?)
        }
        Action::Plan => {
            let plan = req.plan.as_ref().ok_or(AppError::NotFound)?;
            columns::set_plan(a, plan);
            Some(serde_json::to_value(plan).map_err(internal)?)
        }
        Action::Suspend => {
            a.suspended = Set(true);
            a.resumption_applied_at = Set(None);
            Some(
                json!({"scope_text": req.scope_text.as_deref().map(str::trim), "basis": req.basis.as_deref().map(str::trim)}),
            )
        }
        Action::RequestExtension => {
            a.extension_until = Set(p.extension_until);
            a.extension_reason = Set(req.note.clone());
            Some(json!({"until": p.extension_until, "until_working_days": req.until_working_days}))
        }
        Action::ApplyResumption | Action::LiftSuspension => None,
        _ => return Err(AppError::NotFound),
    })
}

/// What follows the step once its timeline entry `event_id` exists.
#[allow(clippy::too_many_arguments)]
pub async fn after<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    user: &CurrentUser,
    action: Action,
    req: &ActionRequest,
    p: &Prepared,
    row: &hazard::Model,
    event_id: i64,
) -> AppResult<()> {
    match action {
        Action::Plan => {
            if let Some(plan) = &req.plan {
                super::plan::record(db, ctx, user, row, plan, event_id).await?;
            }
        }
        Action::Verify if row.closure == Closure::Major => {
            review::record(db, ctx, user, row, req, event_id).await?;
        }
        Action::Suspend => suspension::ordered(db, ctx, row, req).await?,
        Action::ApplyResumption => suspension::notify_application(db, ctx, row, event_id).await?,
        _ => {}
    }
    if p.lifts {
        suspension::lifted(db, ctx, row, action, req.note.as_deref()).await?;
        suspension::close_application(db, ctx, row.id).await?;
    }
    suspension::claim_files(db, user, req, row.id, event_id).await
}
