//! The statistics report's life cycle and its policy, pure: 草稿 (draft) →
//! 签字确认 (confirmed, by the principal) → 报送 (submitted, by the principal
//! or the safety officer) → 退回 (back to draft, by a regulator, with a reason).
//!
//! [`next`] is the transition table, like the hazard's `domain::next`;
//! [`check`] adds who may take each step, so that the service refuses through
//! it, the report page shows the forms of [`available`] and the API returns
//! them as `allowed_actions`. Regenerating (a separate endpoint) is allowed
//! until the report is submitted ([`may_regenerate`]). Refusals keep their
//! codes and order: the role (403), the enterprise (404, as for a report one
//! may not see), then the state (409 `illegal_transition`).

use crate::auth::Role;
use crate::coded::coded_enum;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

coded_enum! {
    /// Where a statistics report stands.
    pub enum ReportStatus in "报表状态" {
        Draft = "draft" / "草稿",
        Confirmed = "confirmed" / "已确认，待报送",
        Submitted = "submitted" / "已报送",
    }
}

/// A step on a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportAction {
    /// The principal (主要负责人) signs the figures.
    Confirm,
    /// Sent to the supervising bureau.
    Submit,
    /// A regulator sends a submitted report back, with a reason.
    Return,
}

impl ReportAction {
    pub const ALL: [Self; 3] = [Self::Confirm, Self::Submit, Self::Return];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Submit => "submit",
            Self::Return => "return",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The status after `action` from `from`, or why the step is not possible now.
pub fn next(from: ReportStatus, action: ReportAction) -> Result<ReportStatus, &'static str> {
    use ReportAction as A;
    use ReportStatus as S;
    match (action, from) {
        (A::Confirm, S::Draft) => Ok(S::Confirmed),
        (A::Confirm, _) => Err("只有草稿状态的统计可以确认"),
        (A::Submit, S::Confirmed) => Ok(S::Submitted),
        (A::Submit, _) => Err("统计须经主要负责人确认后才能报送"),
        (A::Return, S::Submitted) => Ok(S::Draft),
        (A::Return, _) => Err("只有已报送的统计可以退回"),
    }
}

/// Who is acting on a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub roles: Vec<Role>,
    pub bureau_user: bool,
    /// The report is of one of the actor's own enterprises.
    pub own: bool,
}

/// Why a step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 403: the role may not take this step.
    Forbidden,
    /// 404: not one of the actor's enterprises.
    NotOwn,
    /// 409 `illegal_transition`, with the reason.
    Illegal(&'static str),
}

impl From<Refusal> for crate::error::AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Forbidden => Self::Forbidden,
            Refusal::NotOwn => Self::NotFound,
            Refusal::Illegal(why) => Self::conflict("illegal_transition", why),
        }
    }
}

/// Who keeps a report (generates, regenerates, submits): the principal or the safety officer.
pub fn keeps_reports(roles: &[Role]) -> bool {
    roles.contains(&Role::Principal) || roles.contains(&Role::SafetyOfficer)
}

/// Who works with the statistics at all: bureau staff, and those who keep the reports.
pub fn sees_statistics(roles: &[Role], bureau_user: bool) -> bool {
    bureau_user || keeps_reports(roles)
}

/// The status after `action`, if `actor` may take it on a report in `status`.
pub fn check(actor: &Actor, status: ReportStatus, action: ReportAction) -> Result<ReportStatus, Refusal> {
    let role_ok = match action {
        ReportAction::Confirm => actor.roles.contains(&Role::Principal),
        ReportAction::Submit => keeps_reports(&actor.roles),
        ReportAction::Return => actor.bureau_user && actor.roles.contains(&Role::Regulator),
    };
    if !role_ok {
        return Err(Refusal::Forbidden);
    }
    if action != ReportAction::Return && !actor.own {
        return Err(Refusal::NotOwn);
    }
    next(status, action).map_err(Refusal::Illegal)
}

/// The steps `actor` may take on a report in `status` now.
pub fn available(actor: &Actor, status: ReportStatus) -> Vec<ReportAction> {
    ReportAction::ALL.into_iter().filter(|a| check(actor, status, *a).is_ok()).collect()
}

/// Whether `actor` may regenerate the report now (`POST /api/v1/hazard-statistics`).
pub fn may_regenerate(actor: &Actor, status: ReportStatus) -> bool {
    actor.own && keeps_reports(&actor.roles) && status != ReportStatus::Submitted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(name: &str) -> Actor {
        let (roles, bureau_user, own): (&[Role], bool, bool) = match name {
            "principal" => (&[Role::Principal], false, true),
            "officer" => (&[Role::SafetyOfficer], false, true),
            "staff" => (&[Role::Staff], false, true),
            "other_principal" => (&[Role::Principal], false, false),
            "regulator" => (&[Role::Regulator], true, false),
            "inspector" => (&[Role::Inspector], true, false),
            _ => unreachable!("{name}"),
        };
        Actor { roles: roles.to_vec(), bureau_user, own }
    }

    #[test]
    fn steps_by_status_and_role() {
        use ReportStatus::{Confirmed as C, Draft as D, Submitted as S};
        let table = [
            (D, "principal", "confirm", true),
            (D, "officer", "", true),
            (D, "staff", "", false),
            (D, "other_principal", "", false),
            (D, "regulator", "", false),
            (C, "principal", "submit", true),
            (C, "officer", "submit", true),
            (C, "regulator", "", false),
            (S, "principal", "", false),
            (S, "officer", "", false),
            (S, "regulator", "return", false),
            (S, "inspector", "", false),
        ];
        for (status, who, steps, regenerate) in table {
            let a = actor(who);
            let got: Vec<&str> = available(&a, status).into_iter().map(ReportAction::as_str).collect();
            assert_eq!(got.join(" "), steps, "{status:?} as {who}");
            assert_eq!(may_regenerate(&a, status), regenerate, "regenerate {status:?} as {who}");
        }
    }

    #[test]
    fn refusals_in_order_role_then_enterprise_then_state() {
        assert_eq!(check(&actor("officer"), ReportStatus::Draft, ReportAction::Confirm), Err(Refusal::Forbidden));
        let other = actor("other_principal");
        assert_eq!(check(&other, ReportStatus::Draft, ReportAction::Confirm), Err(Refusal::NotOwn));
        let late = check(&actor("principal"), ReportStatus::Submitted, ReportAction::Confirm);
        assert_eq!(late, Err(Refusal::Illegal("只有草稿状态的统计可以确认")));
        assert_eq!(check(&actor("regulator"), ReportStatus::Submitted, ReportAction::Return), Ok(ReportStatus::Draft));
    }

    #[test]
    fn the_life_cycle_goes_round() {
        let steps = [ReportAction::Confirm, ReportAction::Submit, ReportAction::Return, ReportAction::Confirm];
        let end = steps.iter().try_fold(ReportStatus::Draft, |s, a| next(s, *a));
        assert_eq!(end, Ok(ReportStatus::Confirmed));
        assert!(next(ReportStatus::Draft, ReportAction::Submit).is_err());
    }

    #[test]
    fn who_sees_the_statistics() {
        assert!(sees_statistics(&[Role::GridWorker], true));
        assert!(sees_statistics(&[Role::SafetyOfficer], false));
        assert!(!sees_statistics(&[Role::Staff], false));
    }
}
