//! What an actor may do with insurance records: a pure function of the actor and
//! the record. Regulators and the insurer's own users record policies; either
//! cancels a policy not yet cancelled; enterprise users and other bureau roles
//! read. Services refuse through [`check`], responses carry [`available`].

use crate::auth::Role;
use crate::entities::insurance_policy;
use crate::error::AppError;

/// A step on a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Cancel,
}

impl Action {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Cancel => "cancel",
        }
    }
}

/// The actor, as far as insurance is concerned.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub regulator: bool,
    /// The insurer an insurer's user works for.
    pub insurer_id: Option<i64>,
}

impl Actor {
    pub fn of(roles: &[Role], insurer_id: Option<i64>) -> Self {
        Self { regulator: roles.contains(&Role::Regulator), insurer_id }
    }

    /// Whether the actor records policies (and imports them).
    pub fn records(self) -> bool {
        self.regulator || self.insurer_id.is_some()
    }
}

/// What the actor may do with the policy now.
pub fn available(actor: Actor, p: &insurance_policy::Model) -> Vec<Action> {
    let own = actor.regulator || actor.insurer_id == Some(p.insurer_id);
    if own && p.cancelled_on.is_none() { vec![Action::Cancel] } else { Vec::new() }
}

/// 403 unless the actor may record; 409 when the policy is already cancelled.
pub fn check(actor: Actor, p: &insurance_policy::Model, action: Action) -> Result<(), AppError> {
    if !(actor.regulator || actor.insurer_id == Some(p.insurer_id)) {
        return Err(AppError::Forbidden);
    }
    if available(actor, p).contains(&action) {
        Ok(())
    } else {
        Err(AppError::conflict("policy_cancelled", "保单已退保"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Utc};

    fn policy(insurer_id: i64, cancelled: bool) -> insurance_policy::Model {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        insurance_policy::Model {
            id: 1,
            enterprise_id: 1,
            insurer_id,
            policy_no: "P1".into(),
            starts_on: d,
            ends_on: d,
            premium_yuan: 1,
            insured_headcount: 1,
            death_disability_limit_yuan: 1,
            cancelled_on: cancelled.then_some(d),
            cancel_reason: None,
            created_by: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn who_cancels_what() {
        let regulator = Actor::of(&[Role::Regulator], None);
        let insurer = Actor::of(&[Role::Insurer], Some(7));
        let principal = Actor::of(&[Role::Principal], None);
        assert_eq!(available(regulator, &policy(7, false)), [Action::Cancel]);
        assert_eq!(available(insurer, &policy(7, false)), [Action::Cancel]);
        assert!(available(insurer, &policy(8, false)).is_empty());
        assert!(available(principal, &policy(7, false)).is_empty());
        assert!(available(regulator, &policy(7, true)).is_empty());
        assert!(matches!(check(principal, &policy(7, false), Action::Cancel), Err(AppError::Forbidden)));
        assert!(matches!(check(insurer, &policy(7, true), Action::Cancel), Err(AppError::Conflict { .. })));
        assert!(!principal.records() && insurer.records() && regulator.records());
    }
}
