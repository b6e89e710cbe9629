//! Who may take which step of a case, and the separation of duties: the handler
//! (承办人 and 协办人), the legal reviewer, the hearing officer and the approver are
//! different people — also when one person holds several roles. A refusal names
//! the conflict (409 `separation_of_duties`).
//!
//! Decisions:
//! - The approver who approved the filing and the one who decides count as the
//!   same duty (审批负责人): the same 负责人 usually does both.
//! - A legal reviewer or hearing officer who acted once keeps that duty for the
//!   case: a later step in another duty by the same person is refused.
//! - Approvers act on cases of their own bureau or a bureau below it; reviewers on
//!   their own bureau's cases (法制审核 is the deciding bureau's own).

use super::domain::{Duty, Step};
use crate::auth::{CurrentUser, Role};
use crate::entities::case;
use crate::error::{AppError, AppResult};

/// The duties `user_id` already holds in the case.
pub fn duties_of(c: &case::Model, user_id: i64) -> Vec<Duty> {
    let mut out = Vec::new();
    if c.handler_id == user_id || c.co_handler_id == Some(user_id) {
        out.push(Duty::Handler);
    }
    if c.reviewer_id == Some(user_id) {
        out.push(Duty::Reviewer);
    }
    if c.hearing_officer_id == Some(user_id) {
        out.push(Duty::HearingOfficer);
    }
    if c.filed_by == Some(user_id) || c.decided_by == Some(user_id) {
        out.push(Duty::Approver);
    }
    out
}

/// 409 `separation_of_duties` when `user_id` already holds another duty than `duty`.
pub fn separation(c: &case::Model, user_id: i64, duty: Duty) -> AppResult<()> {
    match duties_of(c, user_id).into_iter().find(|d| *d != duty) {
        Some(held) => Err(AppError::conflict(
            "separation_of_duties",
            format!("职能分离：该人员已是本案的{}，不能再担任{}", held.zh(), duty.zh()),
        )),
        None => Ok(()),
    }
}

/// Whether the user's role and place allow the step's duty (not yet the separation).
pub fn may(user: &CurrentUser, c: &case::Model, step: Step) -> bool {
    let Some(bureau) = user.bureau.as_ref() else { return false };
    match step.duty() {
        Duty::Handler => c.handler_id == user.id || c.co_handler_id == Some(user.id),
        // Scope (the case's bureau is the user's or below it) is checked by the read.
        Duty::Approver => user.has(Role::Approver),
        Duty::Reviewer => user.has(Role::LegalReviewer) && bureau.id == c.bureau_id,
        Duty::HearingOfficer => c.hearing_officer_id == Some(user.id),
    }
}

/// 403 naming who may take the step, then 409 for a conflict of duties.
pub fn check(user: &CurrentUser, c: &case::Model, step: Step) -> AppResult<()> {
    if !may(user, c, step) {
        let who = match step.duty() {
            Duty::Handler => "本案承办人或协办人",
            Duty::Approver => "负责人（审批）",
            Duty::Reviewer => "本局法制审核人员",
            Duty::HearingOfficer => "本案指定的听证主持人",
        };
        return Err(AppError::ForbiddenBecause(format!("“{}”只能由{who}办理", step.zh())));
    }
    separation(c, user.id, step.duty())
}

/// Whether the user may open cases (a bureau 执法人员; the certificate is checked on create).
pub fn may_open(user: &CurrentUser) -> bool {
    user.is_bureau_user() && user.has(Role::Inspector)
}
