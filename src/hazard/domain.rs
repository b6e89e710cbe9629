//! Pure rules of the hazard ledger: sources, levels, statuses, who closes what,
//! and the transitions each action may make (the 一单四制 loop for major hazards).
//!
//! Who closes a hazard (DESIGN.md "Key rules", practice.md M3):
//! - general, found by the enterprise itself (`Closure::Enterprise`): no
//!   confirmation; the enterprise rectifies and another enterprise user accepts;
//! - general, found by an inspection (`Closure::Inspector`): the inspector's
//!   re-inspection (复查) closes it;
//! - general, from a channel the bureau receives (tip-off, media, grid patrol,
//!   referral …) (`Closure::Regulator`): the supervising regulators verify and
//!   close it. Tip-offs, media reports, employee reports made to the bureau and
//!   grid workers' patrol reports start `reported`, because the bureau checks
//!   them (核查) before the enterprise is ordered to rectify (grid workers may
//!   report, not inspect); the others start `rectifying`. This case is not in
//!   the table above; it is our decision.
//! - major, any source (`Closure::Major`): 认定 → 交办 → 治理方案 → 整改 →
//!   评估与复产申请 → 现场审查 → 核销.
//!
//! The closer a hazard's source gives (its **origin closer**, [`origin`]) is
//! stored at intake: a major hazard re-graded as general (at 认定 or by a later
//! re-grading, [`closure_for`]) goes back to it — the enterprise for its own
//! report, the inspector's 复查 for an inspection finding, the regulators for a
//! bureau channel. A regulator's reopening makes the regulators the closer
//! ([`after_reopen`]): who found it unfixed checks it next.
//!
//! A re-grading (`regrade`) may go either way from any open state: to major it
//! becomes `confirmed` (认定为重大, awaiting 交办); to general it is rectified
//! under its origin closer. A void of a closed (or dismissed) or major hazard
//! is a request that an approver completes ([`void_needs_approval`]).

use crate::coded::coded_enum;

coded_enum! {
    /// Where a hazard came from (隐患来源).
    pub enum Source in "隐患来源" {
        SelfCheck = "self_check" / "企业自查",
        Inspection = "inspection" / "执法检查",
        TipOff = "tip_off" / "群众举报",
        EmployeeReport = "employee_report" / "职工报告",
        Media = "media" / "媒体曝光",
        Referral = "referral" / "其他部门移送",
        AssignedBySuperior = "assigned_by_superior" / "上级交办",
        LowerLevelReport = "lower_level_report" / "下级报告",
        GridPatrol = "grid_patrol" / "网格员巡查",
        InsurerService = "insurer_service" / "保险机构事故预防服务",
        ThirdParty = "third_party" / "专家/技术服务机构",
    }
}

coded_enum! {
    /// Hazard level (隐患等级).
    pub enum Level in "隐患等级" {
        General = "general" / "一般隐患",
        Major = "major" / "重大隐患",
    }
}

coded_enum! {
    /// Where a hazard stands.
    pub enum Status in "隐患状态" {
        Reported = "reported" / "待认定",
        Confirmed = "confirmed" / "已认定",
        Assigned = "assigned" / "已交办",
        Rectifying = "rectifying" / "整改中",
        PendingVerification = "pending_verification" / "待验收",
        Closed = "closed" / "已销号",
        Dismissed = "dismissed" / "不予认定",
        Voided = "voided" / "已作废",
    }
}

coded_enum! {
    /// Who verifies and closes a hazard.
    pub enum Closure in "销号方式" {
        Enterprise = "enterprise" / "企业验收",
        Inspector = "inspector" / "执法复查",
        Regulator = "regulator" / "监管核查",
        Major = "major" / "重大隐患核销",
    }
}

coded_enum! {
    /// A step on a hazard after it is recorded.
    pub enum Action in "操作" {
        Confirm = "confirm" / "认定",
        Dismiss = "dismiss" / "不予认定",
        Regrade = "regrade" / "重新定级",
        Assign = "assign" / "交办",
        Plan = "plan" / "治理方案",
        Progress = "progress" / "整改进展",
        Suspend = "suspend" / "责令停产停用",
        Submit = "submit" / "提交验收",
        Verify = "verify" / "验收/复查/核销",
        RequestExtension = "request_extension" / "申请延期",
        DecideExtension = "decide_extension" / "延期审批",
        Reopen = "reopen" / "重新打开",
        Void = "void" / "作废",
        ApproveVoid = "approve_void" / "作废审批",
        ApplyResumption = "apply_resumption" / "复产申请",
        LiftSuspension = "lift_suspension" / "解除停产停用",
    }
}

coded_enum! {
    /// 挂牌督办 level of a major hazard's 交办.
    pub enum SupervisionLevel in "督办级别" {
        Province = "province" / "省级",
        City = "city" / "市级",
        County = "county" / "县级",
        Unlisted = "none" / "不挂牌",
    }
}

coded_enum! {
    /// 核查结果 of a tip-off or report.
    pub enum Outcome in "核查结果" {
        Substantiated = "substantiated" / "属实",
        Unsubstantiated = "unsubstantiated" / "不属实",
    }
}

impl Status {
    /// Whether the hazard still needs work (counts as open).
    pub const fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Dismissed | Self::Voided)
    }

    /// Whether its rectification is owed now (assigned or being rectified).
    pub const fn rectification_owed(self) -> bool {
        matches!(self, Self::Assigned | Self::Rectifying)
    }
}

/// The states in which rectification is owed, for queries (see [`is_overdue`]).
pub const OWED: [Status; 2] = [Status::Assigned, Status::Rectifying];

/// **The overdue rule**, the one definition used by the ledger list and detail,
/// the 一单, the deadline job, bulletins and statistics: a hazard is overdue on
/// a day when its rectification is owed — it is assigned or being rectified —
/// and its deadline is before that day (the deadline day itself is not late).
///
/// A hazard **pending verification** is not overdue, whatever its deadline:
/// the rectification was handed in and the wait is the verifier's, which the
/// deadline job reports separately (`review_pending`, to the regulators). A
/// failed verification puts it back to rectifying, and it is overdue again if
/// the deadline has passed. Hazards awaiting 认定 or 交办 have no rectification
/// owed yet, so they are not overdue either. For a past day (bulletins and
/// statistics of an ended period) a hazard still open uses its state now, and
/// one closed after that day counts as still being rectified on it.
pub fn is_overdue(status: Status, deadline: Option<chrono::NaiveDate>, on: chrono::NaiveDate) -> bool {
    status.rectification_owed() && deadline.is_some_and(|d| d < on)
}

/// Which side acts: the enterprise, the supervising regulators, an inspector,
/// or a bureau's approver (负责人, the second person of a void).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Enterprise,
    Regulator,
    Inspector,
    Approver,
}

/// Sources an enterprise user may give for its own report.
pub const ENTERPRISE_SOURCES: [Source; 4] =
    [Source::SelfCheck, Source::EmployeeReport, Source::InsurerService, Source::ThirdParty];

/// Whose identity is protected (举报人保护).
pub const fn protects_reporter(s: Source) -> bool {
    matches!(s, Source::TipOff | Source::EmployeeReport)
}

/// How a new hazard is closed and the status it starts in.
pub fn intake(level: Level, source: Source, reported_by: Side) -> (Closure, Status) {
    match (level, source, reported_by) {
        (Level::Major, _, _) => (Closure::Major, Status::Reported),
        (Level::General, Source::Inspection, _) => (Closure::Inspector, Status::Rectifying),
        (Level::General, _, Side::Enterprise) => (Closure::Enterprise, Status::Rectifying),
        (Level::General, Source::TipOff | Source::Media | Source::EmployeeReport | Source::GridPatrol, _) => {
            (Closure::Regulator, Status::Reported)
        }
        (Level::General, _, _) => (Closure::Regulator, Status::Rectifying),
    }
}

/// The origin closer of a hazard from `source` reported by `reported_by`: who
/// closes it while it is general (stored at intake as `origin_closure`).
pub fn origin(source: Source, reported_by: Side) -> Closure {
    intake(Level::General, source, reported_by).0
}

/// The closer after a 认定 or a re-grading settles on `level`: a major hazard's
/// is `Major`; a general one goes back to its origin closer.
pub fn closure_for(level: Level, origin: Closure) -> Closure {
    match level {
        Level::Major => Closure::Major,
        Level::General => origin,
    }
}

/// The closer after a regulator reopens a closed hazard: the regulators verify
/// it next (who found it unfixed), unless it is major.
pub fn after_reopen(closure: Closure) -> Closure {
    if closure == Closure::Major { Closure::Major } else { Closure::Regulator }
}

/// Whether a void needs a second person (an approver): a major hazard, or one
/// no longer open (closed, dismissed). A general open hazard is voided at once.
pub fn void_needs_approval(level: Level, status: Status) -> bool {
    level == Level::Major || !status.is_open()
}

/// The side that may take `action` on a hazard closed by `closure`.
pub fn side_for(action: Action, closure: Closure) -> &'static [Side] {
    use Action as A;
    match action {
        A::Confirm | A::Dismiss | A::Regrade | A::Assign | A::Reopen | A::Void | A::Suspend | A::LiftSuspension => {
            &[Side::Regulator]
        }
        A::ApproveVoid => &[Side::Approver],
        A::Plan | A::Progress | A::Submit | A::RequestExtension | A::ApplyResumption => &[Side::Enterprise],
        A::Verify => match closure {
            Closure::Enterprise => &[Side::Enterprise],
            Closure::Inspector => &[Side::Inspector],
            Closure::Regulator | Closure::Major => &[Side::Regulator],
        },
        A::DecideExtension => match closure {
            Closure::Enterprise => &[Side::Enterprise],
            _ => &[Side::Regulator],
        },
    }
}

/// Why an action cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("当前状态“{}”下不能执行“{}”", from.zh(), action.zh())]
pub struct IllegalTransition {
    pub from: Status,
    pub action: Action,
}

/// The status after `action` from `from`. `passed` is the verification result
/// (or an approver's decision on a void), `level` the level a 认定 or a
/// re-grading settles on. A void that needs approval keeps the status until it
/// is approved; the caller knows (see [`void_needs_approval`]).
pub fn next(
    closure: Closure,
    from: Status,
    action: Action,
    passed: bool,
    level: Level,
) -> Result<Status, IllegalTransition> {
    use Action as A;
    use Status as S;
    let to = match (action, from) {
        (A::Confirm, S::Reported) if level == Level::Major => Some(S::Confirmed),
        (A::Confirm, S::Reported) | (A::Reopen, S::Closed) => Some(S::Rectifying),
        (A::Dismiss, S::Reported) => Some(S::Dismissed),
        (A::Reopen, S::Dismissed) => Some(S::Reported),
        (A::Regrade, s) if s.is_open() => Some(if level == Level::Major { S::Confirmed } else { S::Rectifying }),
        (A::Assign, S::Confirmed) if closure == Closure::Major => Some(S::Assigned),
        (A::Plan, S::Assigned) if closure == Closure::Major => Some(S::Rectifying),
        // A plan is revised while rectification is owed (each version kept).
        (A::Plan, S::Rectifying) if closure == Closure::Major => Some(from),
        (A::Progress | A::RequestExtension | A::DecideExtension, S::Assigned | S::Rectifying) => Some(from),
        // WSL art. 65 measures: ordered in any open state; the 复产申请 and the
        // lifting follow the order whatever the state (a passed 核销 may leave
        // production stopped). Whether it is suspended is the policy's.
        (A::Suspend, s) if s.is_open() => Some(s),
        (A::ApplyResumption | A::LiftSuspension, s) => Some(s),
        (A::Submit, S::Rectifying) => Some(S::PendingVerification),
        (A::Verify, S::PendingVerification) => Some(if passed { S::Closed } else { S::Rectifying }),
        (A::Void, s) if s != S::Voided => Some(S::Voided),
        (A::ApproveVoid, s) if s != S::Voided => Some(if passed { S::Voided } else { s }),
        _ => None,
    };
    to.ok_or(IllegalTransition { from, action })
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
