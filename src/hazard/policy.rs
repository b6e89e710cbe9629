//! The hazard's policy (处置权限): what this actor may do with this hazard now.
//!
//! A pure function of the actor (roles, sides relative to the hazard, user id,
//! its bureau's place relative to the bureau that listed the hazard) and the
//! stored record (status, closure, level, source, who asked for what). Nothing
//! else decides: `actions::act` refuses through [`check`], the detail page shows
//! the forms of [`available`], the API returns them as `allowed_actions`, and
//! the tablet app relies on that list instead of re-implementing the rules.
//! Body validation is not policy: an allowed action with a bad body is still a
//! 422.
//!
//! Decisions:
//! - the refusals keep their codes and order: the side (403 `forbidden`), the
//!   listing bureau (403 `forbidden`, naming it), the transition (409
//!   `illegal_transition`), then what the stored record says (409
//!   `acceptor_is_rectifier`, `extension_pending`, `no_extension_request`,
//!   `decider_is_requester`, `void_pending`, `no_void_request`,
//!   `approver_is_requester`);
//! - **谁挂牌谁摘牌**: a major hazard listed for supervision (挂牌督办: a 交办
//!   with a level by a bureau) is 认定, 交办, re-graded, dismissed, voided,
//!   reopened and 核销 only by regulators of the listing bureau or a bureau
//!   above it ([`LISTED_ONLY`]); a lower bureau's regulator may still record
//!   what it may record (suspension, an extension's decision). A hazard not
//!   listed (不挂牌, or no bureau behind the 交办) falls back to scope;
//! - the acceptor is never the account that submitted the rectification,
//!   whoever closes (for an operator not in the register, the regulator who
//!   recorded the rectification cannot also verify it); that the named people
//!   differ is checked against the body (`actions`);
//! - a void of a closed or major hazard is a request that an approver (负责人)
//!   of the requester's bureau or above, not the requester, completes; an
//!   enterprise may void its own self-report while nobody has acted on it
//!   (the row was never updated after the report: a duplicate);
//! - the record is a small struct built from the stored row ([`Record::of`]),
//!   and the actor's relation to the hazard's bureaus is loaded in one place
//!   ([`Actor::of`]), so a change of storage touches the builders only;
//! - who may report from which source, and who files the 双报告, live here too;
//!   an insurer's user reports only `insurer_service` findings, through a
//!   prevention-service record of an enterprise it insures, and the enterprise
//!   rectifies them as its own (the enterprise closes a general one);
//! - the 治理方案 is signed by the enterprise's principal: of the enterprise's
//!   users only the principal's own account files it (the safety officer
//!   drafts it off-line); the regulators record it for an operator not in
//!   the register, unsigned;
//! - a suspension (停产停用) is ordered and lifted by the regulators only, and
//!   lifted only once the enterprise handed in its 复产申请 and 评估报告.

use super::domain::{self, Action, Closure, IllegalTransition, Level, Side, Source, Status};
use crate::auth::{CurrentUser, Role, Scope};
use crate::entities::{bureau, hazard, user};
use crate::error::{AppError, AppResult};
use sea_orm::{ConnectionTrait, EntityTrait};

/// The steps on a listed major hazard reserved to the listing bureau and those above it.
pub const LISTED_ONLY: [Action; 8] = [
    Action::Confirm,
    Action::Dismiss,
    Action::Regrade,
    Action::Assign,
    Action::Verify,
    Action::Reopen,
    Action::Void,
    Action::ApproveVoid,
];

/// Who is acting, as far as the hazard's rules care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub roles: Vec<Role>,
    /// Bureau staff (otherwise an enterprise user).
    pub bureau_user: bool,
    /// The sides the actor acts on for this hazard ([`sides`]).
    pub sides: Vec<Side>,
    /// Of a listed major hazard: the listing bureau and the actor's place.
    pub listing: Option<Listing>,
    /// Whether the actor's bureau is that of the pending void's requester or one above it.
    pub above_void_requester: bool,
}

/// The bureau that listed a major hazard for supervision (挂牌督办).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// Its name, for the refusal.
    pub bureau: String,
    /// Whether the actor's bureau is it or one above it.
    pub at_or_above: bool,
}

impl Actor {
    /// The signed-in user before a hazard whose operator is `enterprise_id`
    /// (`None`: an operator not in the register), without bureau relations.
    pub fn new(user: &CurrentUser, enterprise_id: Option<i64>) -> Self {
        let own = enterprise_id.is_some_and(|e| user.enterprise_ids.contains(&e));
        Self {
            user_id: user.id,
            roles: user.roles.clone(),
            bureau_user: user.is_bureau_user(),
            sides: sides(&user.roles, user.is_bureau_user(), own, enterprise_id.is_some()),
            listing: None,
            above_void_requester: false,
        }
    }

    /// The signed-in user before a stored hazard, with the relations of its
    /// bureau to the listing bureau and to a pending void's requester (the one
    /// place they are loaded).
    pub async fn of<C: ConnectionTrait>(db: &C, user: &CurrentUser, h: &hazard::Model) -> AppResult<Self> {
        let mut actor = Self::new(user, h.enterprise_id);
        let Scope::Bureaus { path, .. } = &user.scope else { return Ok(actor) };
        let listed = h.level == Level::Major && h.assignment_level.is_some();
        if let Some(id) = h.assigning_bureau_id.filter(|_| listed)
            && let Some(b) = bureau::Entity::find_by_id(id).one(db).await?
        {
            actor.listing = Some(Listing { at_or_above: b.path.starts_with(path.as_str()), bureau: b.name });
        }
        if let Some(requester) = h.void_requested_by {
            let bureau_id = user::Entity::find_by_id(requester).one(db).await?.and_then(|u| u.bureau_id);
            if let Some(id) = bureau_id
                && let Some(b) = bureau::Entity::find_by_id(id).one(db).await?
            {
                actor.above_void_requester = b.path.starts_with(path.as_str());
            }
        }
        Ok(actor)
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
        if roles.contains(&Role::Approver) {
            v.push(Side::Approver);
        }
    }
    v
}

/// What the policy reads of a stored hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // independent facts of the stored row, not a state machine
pub struct Record {
    pub status: Status,
    pub closure: Closure,
    pub level: Level,
    pub source: Source,
    /// A request for an extension waits for a decision.
    pub extension_pending: bool,
    /// Who asked for the pending extension.
    pub extension_requested_by: Option<i64>,
    /// Who submitted the rectification for acceptance.
    pub rectified_by: Option<i64>,
    /// Who asked for a void that waits for an approver.
    pub void_requested_by: Option<i64>,
    /// Nothing happened to it since it was reported (the row was never updated).
    pub untouched: bool,
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
            source: h.source,
            extension_pending: h.extension_until.is_some(),
            extension_requested_by: h.extension_requested_by,
            rectified_by: h.rectified_by,
            void_requested_by: h.void_requested_by,
            untouched: h.version == 1,
            suspended: h.suspended,
            resumption_applied: h.resumption_applied_at.is_some(),
        })
    }

    /// An enterprise's own general self-report that nobody acted on yet (a duplicate may be voided by it).
    pub fn is_fresh_self_report(&self) -> bool {
        self.source == Source::SelfCheck
            && self.closure == Closure::Enterprise
            && self.level == Level::General
            && self.status == Status::Rectifying
            && self.untouched
    }
}

/// Why the policy refuses an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not this actor's side (403).
    Forbidden,
    /// A listed major hazard, and the actor's bureau is below the listing one (403).
    NotListingBureau { bureau: String, action: Action },
    /// Not from this status (409 `illegal_transition`).
    Illegal(IllegalTransition),
    /// 验收人不能是提交整改的同一人 (409).
    AcceptorIsRectifier,
    /// Another request waits for a decision (409).
    ExtensionPending,
    /// Nothing to decide (409).
    NoExtensionRequest,
    /// The requester of an extension may not decide it (409).
    DeciderIsRequester,
    /// A void already waits for an approver (409).
    VoidPending,
    /// No void waits for an approver (409).
    NoVoidRequest,
    /// The requester of a void may not approve it (409).
    ApproverIsRequester,
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
            Refusal::NotListingBureau { bureau, action } => Self::ForbiddenBecause(format!(
                "该重大隐患由{bureau}挂牌督办，只有{bureau}或其上级机构可以{}（谁挂牌谁摘牌）",
                action.zh()
            )),
            Refusal::Illegal(e) => Self::conflict("illegal_transition", e.to_string()),
            Refusal::AcceptorIsRectifier => Self::conflict("acceptor_is_rectifier", "验收人不能是提交整改的同一人"),
            Refusal::ExtensionPending => Self::conflict("extension_pending", "已有延期申请在审批中"),
            Refusal::NoExtensionRequest => Self::conflict("no_extension_request", "没有待审批的延期申请"),
            Refusal::DeciderIsRequester => Self::conflict("decider_is_requester", "延期申请须由申请人以外的人审批"),
            Refusal::VoidPending => Self::conflict("void_pending", "已有作废申请等待审批"),
            Refusal::NoVoidRequest => Self::conflict("no_void_request", "没有待审批的作废申请"),
            Refusal::ApproverIsRequester => {
                Self::conflict("approver_is_requester", "作废申请须由申请人以外的负责人审批")
            }
            Refusal::AlreadySuspended => Self::conflict("already_suspended", "已责令停产停用"),
            Refusal::NotSuspended => Self::conflict("not_suspended", "未责令停产停用"),
            Refusal::ResumptionNotApplied => {
                Self::conflict("resumption_not_applied", "企业尚未提交复产申请和评估报告，不能解除停产停用")
            }
        }
    }
}

/// Whether the actor acts on a side that may take `action`: the action's own
/// sides, or an enterprise voiding its own duplicate self-report.
fn on_side(actor: &Actor, rec: &Record, action: Action) -> bool {
    domain::side_for(action, rec.closure).iter().any(|s| actor.sides.contains(s))
        || (action == Action::Void && actor.sides.contains(&Side::Enterprise) && rec.is_fresh_self_report())
}

/// Whether `actor` may take `action` on `rec` now (whatever the body says).
pub fn check(actor: &Actor, rec: &Record, action: Action) -> Result<(), Refusal> {
    if !on_side(actor, rec, action) {
        return Err(Refusal::Forbidden);
    }
    if let Some(l) = &actor.listing
        && !l.at_or_above
        && rec.level == Level::Major
        && LISTED_ONLY.contains(&action)
    {
        return Err(Refusal::NotListingBureau { bureau: l.bureau.clone(), action });
    }
    if action == Action::ApproveVoid && rec.void_requested_by.is_some() && !actor.above_void_requester {
        return Err(Refusal::Forbidden);
    }
    if action == Action::Plan && !actor.bureau_user && !actor.roles.contains(&Role::Principal) {
        return Err(Refusal::PrincipalSigns);
    }
    // A 认定 may settle on either level and a review may pass or fail: the
    // transition table allows the step if it allows it with some body.
    domain::next(rec.closure, rec.status, action, true, rec.level).map_err(Refusal::Illegal)?;
    match action {
        Action::Verify if rec.rectified_by == Some(actor.user_id) => Err(Refusal::AcceptorIsRectifier),
        Action::RequestExtension if rec.extension_pending => Err(Refusal::ExtensionPending),
        Action::DecideExtension if !rec.extension_pending => Err(Refusal::NoExtensionRequest),
        Action::DecideExtension if rec.extension_requested_by == Some(actor.user_id) => {
            Err(Refusal::DeciderIsRequester)
        }
        Action::Void if rec.void_requested_by.is_some() => Err(Refusal::VoidPending),
        Action::ApproveVoid if rec.void_requested_by.is_none() => Err(Refusal::NoVoidRequest),
        Action::ApproveVoid if rec.void_requested_by == Some(actor.user_id) => Err(Refusal::ApproverIsRequester),
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

/// Who sees a reporter's identity (name, phone, the reporting user, the 12350
/// number, the reward): the supervising regulators only — not grid workers,
/// inspectors or other bureau staff, never enterprises (举报人保护, WSL arts. 73, 76).
pub fn sees_reporter(roles: &[Role], bureau_user: bool) -> bool {
    bureau_user && roles.contains(&Role::Regulator)
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

/// Who reports the findings of an accident-prevention service (事故预防服务) as
/// hazards: an insurer's user, for the enterprises its insurer insures (the
/// insurance module checks the policy and calls [`super::service::create_insured`]).
/// Not a reporter of [`reports_hazards`]: it reports only through a service record.
pub fn reports_service_findings(roles: &[Role]) -> bool {
    roles.contains(&Role::Insurer)
}

/// Why a user may not report a hazard from `source`, if it may not.
pub fn source_refusal(roles: &[Role], bureau_user: bool, source: Source) -> Option<&'static str> {
    if roles.contains(&Role::Insurer) {
        (source != Source::InsurerService).then_some("保险机构只能报告事故预防服务发现的隐患")
    } else if bureau_user {
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
