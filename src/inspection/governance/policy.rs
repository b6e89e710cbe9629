//! The inspection's governance policy: what this actor may do with this inspection now.
//!
//! A pure function of the actor (roles, whether on the team) and the record (status,
//! whether over the cap, who approved what). The services refuse through [`check`]
//! (403 for the role or a team member deciding their own inspection, then 409), the
//! detail returns [`available`] as `allowed_actions`, the pages render its forms.
//!
//! Decisions:
//! - approvers (负责人) of the inspection's bureau or above approve, approve over the cap
//!   and reject; never a member of the team; the over-cap approval comes first, while
//!   the inspection is pending, and the normal approval is then given by another
//!   approver — so `approved` always means every approval it needs is on record;
//! - regulators and approvers cancel a pending or approved inspection;
//! - the team's inspectors and the regulators record a document's service (送达);
//!   regulators void a number.

use crate::auth::{CurrentUser, Role};
use crate::entities::inspection;
use crate::error::{AppError, AppResult};
use crate::inspection::domain::Status;
use serde::Serialize;

crate::coded::coded_enum! {
    /// A governance step on an inspection.
    #[schema(as = InspectionAction)]
    pub enum Action in "检查审批操作" {
        Approve = "approve" / "审批通过",
        ApproveOverCap = "approve_over_cap" / "超频次审批",
        Reject = "reject" / "不予批准",
        Cancel = "cancel" / "取消检查",
        ServeDocument = "serve_document" / "登记送达",
        VoidDocument = "void_document" / "作废文号",
    }
}

/// The actor as the policy sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub id: i64,
    pub roles: Vec<Role>,
    /// On the team as leader or inspector.
    pub inspector: bool,
    /// On the team in any role.
    pub member: bool,
}

impl Actor {
    pub fn of(user: &CurrentUser, inspector: bool, member: bool) -> Self {
        Self {
            id: user.id,
            roles: if user.is_bureau_user() { user.roles.clone() } else { Vec::new() },
            inspector,
            member,
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
    /// Over the yearly cap (flagged at creation, or full by now).
    pub over_cap: bool,
    pub cap_approved_by: Option<i64>,
}

impl Record {
    /// `full`: whether the enterprise's cap is reached now without this inspection.
    pub fn of(i: &inspection::Model, full: bool) -> Self {
        Self {
            status: i.status,
            over_cap: i.over_cap || (i.counts_against_cap && full && i.status == Status::PendingApproval),
            cap_approved_by: i.cap_approved_by,
        }
    }
}

/// Why `a` may not take `action` on `r`, if not.
fn refusal(a: &Actor, r: Record, action: Action) -> Option<AppError> {
    let deciding = matches!(action, Action::Approve | Action::ApproveOverCap | Action::Reject);
    let role_ok = match action {
        Action::Approve | Action::ApproveOverCap | Action::Reject => a.has(Role::Approver),
        Action::Cancel => a.has(Role::Regulator) || a.has(Role::Approver),
        Action::ServeDocument => a.has(Role::Regulator) || a.inspector,
        Action::VoidDocument => a.has(Role::Regulator),
    };
    if !role_ok {
        return Some(AppError::Forbidden);
    }
    if deciding && a.member {
        return Some(AppError::ForbiddenBecause("检查组成员不能审批本组的检查".into()));
    }
    let status_ok = match action {
        Action::Approve | Action::ApproveOverCap | Action::Reject => r.status == Status::PendingApproval,
        Action::Cancel => matches!(r.status, Status::PendingApproval | Status::Approved),
        Action::ServeDocument | Action::VoidDocument => {
            matches!(r.status, Status::Approved | Status::InProgress | Status::Completed | Status::Cancelled)
        }
    };
    if !status_ok {
        return Some(AppError::conflict("illegal_transition", format!("检查{}时不能{}", r.status.zh(), action.zh())));
    }
    match action {
        Action::Approve if r.over_cap && r.cap_approved_by.is_none() => {
            Some(AppError::conflict("over_cap_needs_approval", "该企业本年度检查次数已达上限，须先经超频次审批"))
        }
        Action::Approve if r.cap_approved_by == Some(a.id) => {
            Some(AppError::conflict("approver_is_cap_approver", "超频次审批人与审批人须为不同的人"))
        }
        Action::ApproveOverCap if !r.over_cap => {
            Some(AppError::conflict("not_over_cap", "该检查未超过企业年度检查频次上限"))
        }
        Action::ApproveOverCap if r.cap_approved_by.is_some() => {
            Some(AppError::conflict("over_cap_approved", "已有超频次审批"))
        }
        _ => None,
    }
}

/// Refuses unless `a` may take `action` on `r` now.
pub fn check(a: &Actor, r: Record, action: Action) -> AppResult<()> {
    refusal(a, r, action).map_or(Ok(()), Err)
}

/// The actions `a` may take on `r` now.
pub fn available(a: &Actor, r: Record) -> Vec<Action> {
    Action::ALL.iter().copied().filter(|x| refusal(a, r, *x).is_none()).collect()
}

/// Who may create inspections: regulators and inspectors of a bureau.
pub fn may_create(user: &CurrentUser) -> bool {
    user.is_bureau_user() && (user.has(Role::Regulator) || user.has(Role::Inspector))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: i64, roles: &[Role], member: bool) -> Actor {
        Actor { id, roles: roles.to_vec(), inspector: member, member }
    }

    #[test]
    fn an_approver_off_the_team_approves_a_pending_inspection() {
        let r = Record { status: Status::PendingApproval, over_cap: false, cap_approved_by: None };
        assert!(check(&actor(1, &[Role::Approver], false), r, Action::Approve).is_ok());
        assert!(matches!(
            check(&actor(1, &[Role::Approver], true), r, Action::Approve),
            Err(AppError::ForbiddenBecause(_))
        ));
        assert!(matches!(check(&actor(1, &[Role::Regulator], false), r, Action::Approve), Err(AppError::Forbidden)));
        let done = Record { status: Status::Approved, ..r };
        assert!(matches!(
            check(&actor(1, &[Role::Approver], false), done, Action::Approve),
            Err(AppError::Conflict { .. })
        ));
    }

    #[test]
    fn over_the_cap_two_different_approvers_decide() {
        let r = Record { status: Status::PendingApproval, over_cap: true, cap_approved_by: None };
        let a = actor(1, &[Role::Approver], false);
        assert_eq!(available(&a, r), vec![Action::ApproveOverCap, Action::Reject, Action::Cancel]);
        let capped = Record { cap_approved_by: Some(1), ..r };
        assert!(check(&a, capped, Action::Approve).is_err(), "not the same approver");
        assert!(check(&actor(2, &[Role::Approver], false), capped, Action::Approve).is_ok());
    }
}
