//! What an actor may do with a listed worker: a pure function of the actor and the
//! record. The enterprise's own 主要负责人 and 安全管理人员 list, edit and end their
//! workers; regulators and everyone else in scope read (the scope check answers 404
//! before this). An ended listing is kept as it is. Services refuse through
//! [`check`], responses carry [`available`], pages and menus use [`writes`].

use crate::auth::{CurrentUser, Role};
use crate::entities::special_operation_worker;
use crate::error::AppError;

/// A step on a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Edit,
    End,
}

impl Action {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Edit => "edit",
            Self::End => "end",
        }
    }
}

/// The actor, as far as these records are concerned.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The enterprises whose workers the actor lists (its own, as 主要负责人 or 安全管理人员).
    pub writes_for: Vec<i64>,
}

impl Actor {
    pub fn of(user: &CurrentUser) -> Self {
        let manages = !user.is_bureau_user() && (user.has(Role::Principal) || user.has(Role::SafetyOfficer));
        Self { writes_for: if manages { user.enterprise_ids.clone() } else { Vec::new() } }
    }

    /// Whether the actor lists workers at all (for forms and menus).
    pub fn writes(&self) -> bool {
        !self.writes_for.is_empty()
    }

    /// Whether the actor lists the workers of this enterprise.
    pub fn writes_of(&self, enterprise_id: i64) -> bool {
        self.writes_for.contains(&enterprise_id)
    }
}

/// Whether `user` lists workers at all.
pub fn writes(user: &CurrentUser) -> bool {
    Actor::of(user).writes()
}

/// What the actor may do with the listing now.
pub fn available(actor: &Actor, w: &special_operation_worker::Model) -> Vec<Action> {
    if actor.writes_of(w.enterprise_id) && w.ended_on.is_none() { vec![Action::Edit, Action::End] } else { Vec::new() }
}

/// 403 unless the actor lists this enterprise's workers; 409 once the listing ended.
pub fn check(actor: &Actor, w: &special_operation_worker::Model, action: Action) -> Result<(), AppError> {
    if !actor.writes_of(w.enterprise_id) {
        return Err(AppError::ForbiddenBecause("只有本企业的主要负责人和安全管理人员可以登记特种作业人员".to_owned()));
    }
    if available(actor, w).contains(&action) {
        Ok(())
    } else {
        Err(AppError::conflict("listing_ended", "该人员已离岗，记录不能再修改"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Utc};

    fn worker(enterprise_id: i64, ended: bool) -> special_operation_worker::Model {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        special_operation_worker::Model {
            id: 1,
            enterprise_id,
            name: "张三".into(),
            id_number_masked: "1101**********002X".into(),
            id_number_digest: String::new(),
            category: "electrician".into(),
            certificate_no: None,
            issued_by: None,
            issued_on: None,
            review_due: None,
            expires_on: None,
            listed_on: d,
            ended_on: ended.then_some(d),
            end_reason: None,
            created_by: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn the_enterprise_edits_and_ends_its_own_running_listings() {
        let own = Actor { writes_for: vec![7] };
        let reader = Actor { writes_for: Vec::new() };
        assert_eq!(available(&own, &worker(7, false)), [Action::Edit, Action::End]);
        assert!(available(&own, &worker(7, true)).is_empty());
        assert!(available(&own, &worker(8, false)).is_empty());
        assert!(available(&reader, &worker(7, false)).is_empty());
        assert!(matches!(check(&reader, &worker(7, false), Action::Edit), Err(AppError::ForbiddenBecause(_))));
        assert!(matches!(check(&own, &worker(7, true), Action::End), Err(AppError::Conflict { .. })));
        assert!(check(&own, &worker(7, false), Action::End).is_ok());
    }
}
