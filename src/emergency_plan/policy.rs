//! What a user may do with a filing now: a pure function of the user and the row.
//! Services refuse through [`check`]; responses carry [`available`] as
//! `allowed_actions`; pages show only the forms it allows.
//!
//! Decisions:
//! - The enterprise's 主要负责人 and 安全管理人员 file, resubmit and record drills;
//!   a regulator of the bureau the filing is lodged with, or of one above it (the
//!   scope already answered 404 otherwise), accepts or returns it.
//! - Visibility is the scope (`impl scope::Owned`): the filing's bureau and sector,
//!   and the enterprise for its own users.

use super::domain::{Action, next};
use crate::auth::{CurrentUser, Role, Scope};
use crate::entities::emergency_plan_filing::Model;
use crate::error::{AppError, AppResult};

/// Whether the user files for enterprise `id` (its principal or safety officer).
pub fn files_for(user: &CurrentUser, id: i64) -> bool {
    user.enterprise_ids.contains(&id) && (user.has(Role::Principal) || user.has(Role::SafetyOfficer))
}

/// Whether the user files for any enterprise.
pub fn files(user: &CurrentUser) -> bool {
    matches!(user.scope, Scope::Enterprises(_)) && (user.has(Role::Principal) || user.has(Role::SafetyOfficer))
}

/// Whether the user reviews filings (a bureau's regulator).
pub fn reviews(user: &CurrentUser) -> bool {
    user.is_bureau_user() && user.has(Role::Regulator)
}

fn may(user: &CurrentUser, m: &Model, action: Action) -> bool {
    match action {
        Action::Accept | Action::Return => reviews(user),
        Action::Resubmit | Action::RecordDrill => files_for(user, m.enterprise_id),
    }
}

/// What the user may do with the filing now (the caller has seen it in scope).
pub fn available(user: &CurrentUser, m: &Model) -> Vec<Action> {
    Action::ALL.iter().copied().filter(|a| may(user, m, *a) && next(m.status, *a).is_some()).collect()
}

/// 403 when the user's role does not take the step, 409 when the filing is not in a state for it.
pub fn check(user: &CurrentUser, m: &Model, action: Action) -> AppResult<()> {
    if !may(user, m, action) {
        return Err(AppError::Forbidden);
    }
    if next(m.status, action).is_none() {
        return Err(AppError::conflict(
            "illegal_transition",
            format!("备案状态为“{}”，不能{}", m.status.zh(), action.zh()),
        ));
    }
    Ok(())
}
