//! The hazard's policy (处置权限): what this actor may do with this hazard now.
//!
//! A pure function of the actor (roles, sides relative to the hazard, user id)
//! and the stored record (status, closure, level, a pending extension, who
//! submitted the rectification). Nothing else decides: `actions::act` refuses
//! through [`check`], the detail page shows the forms of [`available`], the
//! API returns them as `allowed_actions`, and the tablet app relies on that
//! list instead of re-implementing the rules. Body validation is not policy:
//! an allowed action with a bad body is still a 422.
//!
//! Decisions:
//! - the refusals keep their codes and order: the side (403 `forbidden`), the
//!   transition (409 `illegal_transition`), then what the stored record says
//!   (409 `acceptor_is_rectifier`, `extension_pending`, `no_extension_request`);
//! - the record is a small struct built from the stored row ([`Record::of`]),
//!   so a change of storage touches the builder only;
//! - who may report from which source, and who files the 双报告, live here too;
//! - the 治理方案 is signed by the enterprise's principal: of the enterprise's
//!   users only the principal's own account files it (the safety officer
//!   drafts it off-line); the regulators record it for an operator not in
//!   the register, unsigned;
//! - a suspension (停产停用) is ordered and lifted by the regulators only, and
//!   lifted only once the enterprise handed in its 复产申请 and 评估报告.

use super::domain::{self, Action, Closure, IllegalTransition, Level, Side, Source, Status};
use crate::auth::{CurrentUser, Role};
use crate::entities::hazard;
use crate::error::{AppError, AppResult};

/// Who is acting, as far as the hazard's rules care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub roles: Vec<Role>,
    /// Bureau staff (otherwise an enterprise user).
    pub bureau_user: bool,
    /// The sides the actor acts on for this hazard ([`sides`]).
    pub sides: Vec<Side>,
}

impl Actor {
    /// The signed-in user before a hazard whose operator is `enterprise_id`
    /// (`None`: an operator not in the register).
    pub fn new(user: &CurrentUser, enterprise_id: Option<i64>) -> Self {
        let own = enterprise_id.is_some_and(|e| user.enterprise_ids.contains(&e));
        Self {
            user_id: user.id,
            roles: user.roles.clone(),
            bureau_user: user.is_bureau_user(),
            sides: sides(&user.roles, user.is_bureau_user(), own, enterprise_id.is_some()),
        }
    }
}

/// The sides a user acts on for a hazard it can see: `own` when the hazard
/// belongs to one of the user's enterprises, `registered` when its operator is
/// in the register. An operator not in the register has no users, so the
/// bureau's regulators act for it.
pub fn sides(roles: &[Role], bureau_user: bool, own: bool, registered: bool) -> Vec<Side> {
    let mut v = Vec::new();
    if own && (roles.contains(&Role::Principal) || roles.contains(&Role::SafetyOfficer)) {
        v.push(Side::Enterprise);
    }
    if bureau_user {
        if roles.contains(&Role::Regulator) {
            v.push(Side::Regulator);
            if !registered {
                v.push(Side::Enterprise);
            }
        }
        if roles.contains(&Role::Inspector) {
            v.push(Side::Inspector);
        }
    }
    v
}

/// What the policy reads of a stored hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub status: Status,
    pub closure: Closure,
    pub level: Level,
    /// A request for an extension waits for a decision.
    pub extension_pending: bool,
    /// Who submitted the rectification for acceptance.
    pub rectified_by: Option<i64>,
    /// Production or use is suspended (停产停用).
    pub suspended: bool,
    /// The 复产申请 (with the 评估报告) was handed in since the suspension.
    pub resumption_applied: bool,
}

impl Record {
    /// The policy's view of a stored row; a value the row cannot hold is a 500.
    pub fn of(h: &hazard::Model) -> AppResult<Self> {
        Ok(Self {
            status: h.status,
            closure: h.closure,
            level: h.level,
            extension_pending: h.extension_until.is_some(),
            rectified_by: h.rectified_by,
            suspended: h.suspended,
            resumption_applied: h.resumption_applied_at.is_some(),
        })
    }
}

/// Why the policy refuses an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not this actor's side (403).
    Forbidden,
    /// Not from this status (409 `illegal_transition`).
    Illegal(IllegalTransition),
    /// 验收人不能是提交整改的同一人 (409).
    AcceptorIsRectifier,
    /// Another request waits for a decision (409).
    ExtensionPending,
    /// Nothing to decide (409).
    NoExtensionRequest,
    /// 治理方案 is signed by the principal's own account (403).
    PrincipalSigns,
    /// Already suspended (409).
    AlreadySuspended,
    /// Not suspended (409).
    NotSuspended,
    /// No 复产申请 since the suspension (409).
    ResumptionNotApplied,
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Forbidden | Refusal::PrincipalSigns => Self::Forbidden,
            Refusal::Illegal(e) => Self::conflict("illegal_transition", e.to_string()),
            Refusal::AcceptorIsRectifier => Self::conflict("acceptor_is_rectifier", "验收人不能是提交整改的同一人"),
            Refusal::ExtensionPending => Self::conflict("extension_pending", "已有延期申请在审批中"),
            Refusal::NoExtensionRequest => Self::conflict("no_extension_request", "没有待审批的延期申请"),
            Refusal::AlreadySuspended => Self::conflict("already_suspended", "已责令停产停用"),
            Refusal::NotSuspended => Self::conflict("not_suspended", "未责令停产停用"),
            Refusal::ResumptionNotApplied => {
                Self::conflict("resumption_not_applied", "企业尚未提交复产申请和评估报告，不能解除停产停用")
            }
        }
    }
}

/// Whether `actor` may take `action` on `rec` now (whatever the body says).
pub fn check(actor: &Actor, rec: &Record, action: Action) -> Result<(), Refusal> {
    if !domain::side_for(action, rec.closure).iter().any(|s| actor.sides.contains(s)) {
        return Err(Refusal::Forbidden);
    }
    if action == Action::Plan && !actor.bureau_user && !actor.roles.contains(&Role::Principal) {
        return Err(Refusal::PrincipalSigns);
    }
    // A 认定 may settle on either level and a review may pass or fail: the
    // transition table allows the step if it allows it with some body.
    domain::next(rec.closure, rec.status, action, true, rec.level).map_err(Refusal::Illegal)?;
    match action {
        Action::Verify if rec.closure == Closure::Enterprise && rec.rectified_by == Some(actor.user_id) => {
            Err(Refusal::AcceptorIsRectifier)
        }
        Action::RequestExtension if rec.extension_pending => Err(Refusal::ExtensionPending),
        Action::DecideExtension if !rec.extension_pending => Err(Refusal::NoExtensionRequest),
        Action::Suspend if rec.suspended => Err(Refusal::AlreadySuspended),
        Action::ApplyResumption | Action::LiftSuspension if !rec.suspended => Err(Refusal::NotSuspended),
        Action::LiftSuspension if !rec.resumption_applied => Err(Refusal::ResumptionNotApplied),
        _ => Ok(()),
    }
}

/// Every action `actor` may take on `rec` now, in [`Action::ALL`] order.
pub fn available(actor: &Actor, rec: &Record) -> Vec<Action> {
    Action::ALL.iter().copied().filter(|a| check(actor, rec, *a).is_ok()).collect()
}

/// Who files (or amends) the 双报告: the enterprise's principal or safety officer.
pub fn files_reports(roles: &[Role]) -> bool {
    roles.contains(&Role::Principal) || roles.contains(&Role::SafetyOfficer)
}

/// Whether the 双报告 of `rec` may be filed or amended by `actor` now: a major
/// hazard that was neither dismissed nor voided.
pub fn may_file_report(actor: &Actor, rec: &Record) -> bool {
    files_reports(&actor.roles) && report_wanted(rec)
}

/// Whether a hazard wants a 双报告 at all.
pub fn report_wanted(rec: &Record) -> bool {
    rec.level == Level::Major && !matches!(rec.status, Status::Dismissed | Status::Voided)
}

/// Who may report a new hazard (from some source).
pub fn reports_hazards(roles: &[Role]) -> bool {
    const REPORTERS: [Role; 6] =
        [Role::Regulator, Role::Inspector, Role::GridWorker, Role::Principal, Role::SafetyOfficer, Role::Staff];
    roles.iter().any(|r| REPORTERS.contains(r))
}

/// Who may import an existing ledger (the API, the import pages and the ledger's link).
pub fn imports_ledger(roles: &[Role], bureau_user: bool) -> bool {
    bureau_user && roles.contains(&Role::Regulator)
}

/// 403 unless the user may import an existing ledger.
pub fn require_importer(user: &CurrentUser) -> Result<(), AppError> {
    if imports_ledger(&user.roles, user.is_bureau_user()) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Why a user may not report a hazard from `source`, if it may not.
pub fn source_refusal(roles: &[Role], bureau_user: bool, source: Source) -> Option<&'static str> {
    if bureau_user {
        match source {
            Source::Inspection if !roles.contains(&Role::Inspector) => Some("只有执法人员可以登记执法检查发现的隐患"),
            Source::SelfCheck => Some("企业自查的隐患由企业报告"),
            _ => None,
        }
    } else if domain::ENTERPRISE_SOURCES.contains(&source) {
        None
    } else {
        Some("企业只能报告企业自查、职工报告、保险机构或技术服务机构发现的隐患")
    }
}

/// The sources a user may choose for a new hazard.
pub fn sources(roles: &[Role], bureau_user: bool) -> Vec<Source> {
    Source::ALL.iter().copied().filter(|s| source_refusal(roles, bureau_user, *s).is_none()).collect()
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
