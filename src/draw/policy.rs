//! The draw's policy: what this actor may do with this draw now. A pure function of
//! the actor (roles, bureau) and the record (status, bureau, pending inspections);
//! the services refuse through [`check`] (403, then 409), the detail returns
//! [`available`] as `allowed_actions`.
//!
//! Decisions:
//! - Regulators of the drawing bureau commit, execute and redraw its draws (a bureau
//!   above sees them but does not draw for it);
//! - approvers of the drawing bureau or above approve a draw's pending inspections at once;
//! - a superseded draw takes no step; a redraw supersedes a committed or executed one.

use crate::auth::{CurrentUser, Role};
use crate::draw::domain::Status;
use crate::entities::draw;
use crate::error::{AppError, AppResult};

crate::coded::coded_enum! {
    /// A step on a draw.
    #[schema(as = DrawAction)]
    pub enum Action in "抽取操作" {
        Execute = "execute" / "执行抽取",
        Approve = "approve" / "批量审批检查",
        Redraw = "redraw" / "重新抽取",
    }
}

/// The actor as the policy sees it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub roles: Vec<Role>,
    pub bureau_id: Option<i64>,
}

impl Actor {
    pub fn of(user: &CurrentUser) -> Self {
        let bureau_user = user.is_bureau_user();
        Self {
            roles: if bureau_user { user.roles.clone() } else { Vec::new() },
            bureau_id: user.bureau.as_ref().filter(|_| bureau_user).map(|b| b.id),
        }
    }
}

/// The record as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct Record {
    pub status: Status,
    pub bureau_id: i64,
    /// Inspections of the draw still pending approval.
    pub pending: u64,
}

impl Record {
    pub const fn of(d: &draw::Model, pending: u64) -> Self {
        Self { status: d.status, bureau_id: d.bureau_id, pending }
    }
}

/// Whether the actor may commit a draw at all (a regulator of a bureau).
pub fn may_commit(a: &Actor) -> bool {
    a.roles.contains(&Role::Regulator) && a.bureau_id.is_some()
}

fn refusal(a: &Actor, r: Record, action: Action) -> Option<AppError> {
    let role_ok = match action {
        Action::Execute | Action::Redraw => may_commit(a) && a.bureau_id == Some(r.bureau_id),
        Action::Approve => a.roles.contains(&Role::Approver),
    };
    if !role_ok {
        return Some(AppError::Forbidden);
    }
    let status_ok = match action {
        Action::Execute => r.status == Status::Committed,
        Action::Approve => r.status == Status::Executed,
        Action::Redraw => r.status != Status::Superseded,
    };
    if !status_ok {
        return Some(AppError::conflict("illegal_transition", format!("抽取{}时不能{}", r.status.zh(), action.zh())));
    }
    if action == Action::Approve && r.pending == 0 {
        return Some(AppError::conflict("nothing_pending", "该次抽取没有待审批的检查"));
    }
    None
}

/// Refuses the action (403 or 409) unless allowed.
pub fn check(a: &Actor, r: Record, action: Action) -> AppResult<()> {
    refusal(a, r, action).map_or(Ok(()), Err)
}

/// The actions the actor may take now.
pub fn available(a: &Actor, r: Record) -> Vec<Action> {
    Action::ALL.iter().copied().filter(|x| refusal(a, r, *x).is_none()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(roles: &[Role], bureau: i64) -> Actor {
        Actor { roles: roles.to_vec(), bureau_id: Some(bureau) }
    }

    #[test]
    fn only_the_drawing_bureau_executes_and_approvers_approve() {
        let r = Record { status: Status::Committed, bureau_id: 1, pending: 0 };
        assert_eq!(available(&actor(&[Role::Regulator], 1), r), [Action::Execute, Action::Redraw]);
        assert!(available(&actor(&[Role::Regulator], 2), r).is_empty());
        let done = Record { status: Status::Executed, bureau_id: 1, pending: 3 };
        assert_eq!(available(&actor(&[Role::Approver], 1), done), [Action::Approve]);
        assert!(matches!(check(&actor(&[Role::Regulator], 1), done, Action::Execute), Err(AppError::Conflict { .. })));
        let gone = Record { status: Status::Superseded, bureau_id: 1, pending: 0 };
        assert!(available(&actor(&[Role::Regulator, Role::Approver], 1), gone).is_empty());
    }
}
