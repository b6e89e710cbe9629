//! Who may take which step of a listing: a pure function of the user and the row.
//!
//! Decisions:
//! - 谁处罚、谁决定: only the deciding bureau's own people act — its 监管人员 notify,
//!   record the statement and may drop a proposal; its 负责人 (approver) decide the
//!   listing, the early removal and its revocation. A bureau above only reads.
//! - Separation of duties: the approver who decides a listing is neither its
//!   proposer nor the one who served the notice; the approver who decides an early
//!   removal is not the one who recorded the application (409 `separation_of_duties`).
//! - The listed enterprise's 主要负责人 or 安全管理人员 applies for its early removal;
//!   the bureau's regulators may record an application made on paper.

use super::domain::{ListingStep, next, removal_next};
use crate::auth::{CurrentUser, Role};
use crate::entities::dishonesty_listing::Model;
use crate::error::{AppError, AppResult};

fn own_bureau(user: &CurrentUser, m: &Model) -> bool {
    user.bureau.as_ref().is_some_and(|b| b.id == m.bureau_id)
}

fn enterprise_side(user: &CurrentUser, m: &Model) -> bool {
    m.enterprise_id.is_some_and(|e| user.enterprise_ids.contains(&e))
        && (user.has(Role::Principal) || user.has(Role::SafetyOfficer))
}

/// Whether the user's role and place allow the step (not yet the separation or the moment).
pub fn may(user: &CurrentUser, m: &Model, step: ListingStep) -> bool {
    use ListingStep as T;
    let bureau = own_bureau(user, m);
    match step {
        T::Notify | T::Statement => bureau && user.has(Role::Regulator),
        T::Refuse => bureau && (user.has(Role::Regulator) || user.has(Role::Approver)),
        T::Decide | T::DecideRemoval | T::RevokeRemoval => bureau && user.has(Role::Approver),
        T::ApplyRemoval => enterprise_side(user, m) || (bureau && user.has(Role::Regulator)),
    }
}

fn who(step: ListingStep) -> &'static str {
    match step {
        ListingStep::Notify | ListingStep::Statement => "作出处罚的本局监管人员",
        ListingStep::Refuse => "作出处罚的本局监管人员或负责人",
        ListingStep::ApplyRemoval => "被列入的企业或本局监管人员",
        _ => "作出处罚的本局负责人（审批）",
    }
}

/// 409 `separation_of_duties` when the user already acted in a duty the step excludes.
pub fn separation(user: &CurrentUser, m: &Model, step: ListingStep) -> AppResult<()> {
    let held = match step {
        ListingStep::Decide if m.proposed_by == Some(user.id) => Some("提出列入"),
        ListingStep::Decide if m.notified_by == Some(user.id) => Some("事先告知"),
        ListingStep::DecideRemoval if m.removal_applied_by == Some(user.id) => Some("登记提前移出申请"),
        _ => None,
    };
    match held {
        Some(h) => Err(AppError::conflict(
            "separation_of_duties",
            format!("职能分离：该人员已办理本事项的“{h}”，不能再作出“{}”", step.zh()),
        )),
        None => Ok(()),
    }
}

/// 403 naming who may act, 409 for the separation, 409 `illegal_transition`.
pub fn check(user: &CurrentUser, m: &Model, step: ListingStep) -> AppResult<()> {
    if !may(user, m, step) {
        return Err(AppError::ForbiddenBecause(format!("“{}”只能由{}办理", step.zh(), who(step))));
    }
    separation(user, m, step)?;
    if next(m.status, step).is_none() || !removal_next(m.removal_status, step) {
        return Err(AppError::conflict(
            "illegal_transition",
            format!("当前状态为“{}”，不能办理“{}”", m.status.zh(), step.zh()),
        ));
    }
    Ok(())
}

/// The steps the user may take now (`allowed_actions`).
pub fn available(user: &CurrentUser, m: &Model) -> Vec<ListingStep> {
    ListingStep::ALL.iter().copied().filter(|s| check(user, m, *s).is_ok()).collect()
}
