//! What an actor may do with an annual plan (revision) now: a pure function of the
//! actor and the record. Services refuse through [`check`] (403 for the role or the
//! drafter approving, then 409), the detail returns [`available`] as
//! `allowed_actions`, the pages render only the buttons it allows.
//!
//! Decisions:
//! - the plan is drafted, edited, submitted and revised by regulators of its own
//!   bureau; bureaus above see it (上一级备案) but do not edit it;
//! - approvers of its own bureau approve or return a submitted plan — never the one
//!   who drafted or submitted it;
//! - the 报本级政府批准 and 上一级备案 entries are recorded on an approved plan by its
//!   bureau's regulators or approvers;
//! - a revision starts from the approved revision, one open revision at a time.

use crate::annual_plan::domain::Status;
use crate::auth::{CurrentUser, Role};
use crate::entities::annual_plan;
use crate::error::{AppError, AppResult};

crate::coded::coded_enum! {
    /// A step on an annual plan.
    #[schema(as = AnnualPlanAction)]
    pub enum Action in "年度计划操作" {
        Edit = "edit" / "修改",
        Submit = "submit" / "提交审批",
        Approve = "approve" / "批准",
        Return = "return" / "退回修改",
        Revise = "revise" / "修订",
        Record = "record" / "登记政府批准和备案",
    }
}

/// The actor as the policy sees it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    pub roles: Vec<Role>,
    /// Of the plan's own bureau.
    pub own_bureau: bool,
}

impl Actor {
    pub fn of(user: &CurrentUser, plan_bureau: i64) -> Self {
        Self {
            id: user.id,
            roles: if user.is_bureau_user() { user.roles.clone() } else { Vec::new() },
            own_bureau: user.bureau.as_ref().is_some_and(|b| b.id == plan_bureau),
        }
    }

    fn has(&self, r: Role) -> bool {
        self.roles.contains(&r)
    }
}

/// The record as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct Record {
    pub status: Status,
    pub created_by: i64,
    pub submitted_by: Option<i64>,
    /// A later revision is open (draft or submitted).
    pub open_revision: bool,
}

impl Record {
    pub fn of(p: &annual_plan::Model, open_revision: bool) -> Self {
        Self { status: p.status, created_by: p.created_by, submitted_by: p.submitted_by, open_revision }
    }
}

fn refusal(a: &Actor, r: Record, action: Action) -> Option<AppError> {
    let role_ok = a.own_bureau
        && match action {
            Action::Edit | Action::Submit | Action::Revise => a.has(Role::Regulator),
            Action::Approve | Action::Return => a.has(Role::Approver),
            Action::Record => a.has(Role::Regulator) || a.has(Role::Approver),
        };
    if !role_ok {
        return Some(AppError::Forbidden);
    }
    if action == Action::Approve && (r.created_by == a.id || r.submitted_by == Some(a.id)) {
        return Some(AppError::ForbiddenBecause("计划的起草人不能批准本计划".into()));
    }
    let status_ok = match action {
        Action::Edit | Action::Submit => r.status == Status::Draft,
        Action::Approve | Action::Return => r.status == Status::Submitted,
        Action::Revise | Action::Record => r.status == Status::Approved,
    };
    if !status_ok {
        return Some(AppError::conflict("illegal_transition", format!("计划{}时不能{}", r.status.zh(), action.zh())));
    }
    if action == Action::Revise && r.open_revision {
        return Some(AppError::conflict("revision_open", "已有一份修订在办理中，请先完成该修订"));
    }
    None
}

/// Refuses unless `a` may take `action` on `r` now.
pub fn check(a: &Actor, r: Record, action: Action) -> AppResult<()> {
    refusal(a, r, action).map_or(Ok(()), Err)
}

/// The actions `a` may take on `r` now.
pub fn available(a: &Actor, r: Record) -> Vec<Action> {
    Action::ALL.iter().copied().filter(|x| refusal(a, r, *x).is_none()).collect()
}

/// Who may create a plan: a regulator of a bureau.
pub fn may_create(user: &CurrentUser) -> bool {
    user.is_bureau_user() && user.has(Role::Regulator) && user.bureau.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: i64, roles: &[Role]) -> Actor {
        Actor { id, roles: roles.to_vec(), own_bureau: true }
    }

    #[test]
    fn an_approver_who_did_not_draft_it_approves() {
        let r = Record { status: Status::Submitted, created_by: 1, submitted_by: Some(1), open_revision: false };
        assert!(check(&actor(2, &[Role::Approver]), r, Action::Approve).is_ok());
        let drafter = actor(1, &[Role::Approver, Role::Regulator]);
        assert!(matches!(check(&drafter, r, Action::Approve), Err(AppError::ForbiddenBecause(_))));
        assert!(matches!(check(&actor(3, &[Role::Regulator]), r, Action::Approve), Err(AppError::Forbidden)));
        let other = Actor { own_bureau: false, ..actor(2, &[Role::Approver]) };
        assert!(matches!(check(&other, r, Action::Approve), Err(AppError::Forbidden)));
    }

    #[test]
    fn an_approved_plan_is_revised_once_at_a_time() {
        let r = Record { status: Status::Approved, created_by: 1, submitted_by: Some(1), open_revision: false };
        let reg = actor(1, &[Role::Regulator]);
        assert_eq!(available(&reg, r), vec![Action::Revise, Action::Record]);
        assert!(check(&reg, Record { open_revision: true, ..r }, Action::Revise).is_err());
        assert!(check(&reg, r, Action::Edit).is_err());
    }
}
