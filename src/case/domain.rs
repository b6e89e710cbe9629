//! The penalty procedure as data and pure functions: the statuses and steps, the
//! transition table, the roles that must be different people, and the money rules
//! (statutory maximum, discretion step, 加处罚款).
//!
//! Decisions:
//! - Every step of the general procedure is its own record; the status says which
//!   steps may come next ([`next`]). 法制审核 may send a case back to 调查取证.
//! - Only the statutory maximum is a hard limit. An amount outside its benchmark
//!   step, or below the statutory minimum with a 减轻 ground (行政处罚法 art. 32),
//!   is allowed with a recorded reason and is shown to the legal reviewer.
//! - 加处罚款 (art. 72) is computed when read, never stored as a debt: 3 % of the
//!   fine per day after the payment due date, at most the fine.

use crate::coded::coded_enum;
use chrono::NaiveDate;

coded_enum! {
    /// 程序.
    pub enum Procedure in "程序" {
        General = "general" / "一般程序",
        Simple = "simple" / "简易程序",
    }
}

coded_enum! {
    /// Where a case stands.
    pub enum CaseStatus in "案件状态" {
        Proposed = "proposed" / "待立案审批",
        NotFiled = "not_filed" / "不予立案",
        Filed = "filed" / "调查取证",
        Reported = "reported" / "已呈批",
        Notified = "notified" / "已告知",
        Hearing = "hearing" / "听证",
        Heard = "heard" / "已听证",
        Reviewed = "reviewed" / "已法制审核",
        Decided = "decided" / "已决定",
        Served = "served" / "已送达",
        Enforcing = "enforcing" / "申请强制执行",
        Transferred = "transferred" / "已移送",
        Paid = "paid" / "已缴纳",
        Closed = "closed" / "已结案",
        Revoked = "revoked" / "决定已撤销",
    }
}

coded_enum! {
    /// A step of the procedure (the last segment of `POST /api/v1/cases/{id}/{step}`).
    pub enum Step in "办案环节" {
        File = "file" / "立案",
        Decline = "decline" / "不予立案",
        Investigate = "investigate" / "调查取证",
        Report = "report" / "案件处理呈批",
        Notify = "notify" / "事先告知",
        Statement = "statement" / "陈述申辩",
        HearingRequest = "hearing_request" / "听证申请",
        Hearing = "hearing" / "听证",
        Review = "review" / "法制审核",
        Discuss = "discuss" / "集体讨论",
        Decide = "decide" / "决定",
        Serve = "serve" / "送达",
        Pay = "pay" / "缴纳罚款",
        Instalment = "instalment" / "延期（分期）缴纳",
        Enforce = "enforce" / "申请强制执行",
        Transfer = "transfer" / "移送司法机关",
        Extend = "extend" / "案件延期",
        Close = "close" / "结案",
        Publish = "publish" / "公开",
        Revoke = "revoke" / "决定撤销",
        DailyPenalty = "daily_penalty" / "按日连续处罚",
    }
}

coded_enum! {
    /// The decision.
    pub enum Decision in "处理决定" {
        Penalty = "penalty" / "给予行政处罚",
        NoPenalty = "no_penalty" / "不予行政处罚",
    }
}

coded_enum! {
    pub enum PartyKind in "当事人类型" {
        Unit = "unit" / "单位",
        Person = "person" / "个人",
    }
}

coded_enum! {
    /// A party's place: the unit itself, or a person of it.
    pub enum PartyRole in "当事人身份" {
        Unit = "unit" / "生产经营单位",
        Principal = "principal" / "主要负责人",
        Responsible = "responsible" / "其他直接责任人员",
    }
}

coded_enum! {
    /// The documents of a case (titles and words in `data/case-documents.toml`).
    pub enum CaseDocument in "案件文书" {
        CaseFiling = "case_filing" / "立案审批表",
        InquiryRecord = "inquiry_record" / "询问笔录",
        EvidenceList = "evidence_list" / "勘验笔录",
        CaseReport = "case_report" / "案件处理呈批表",
        PriorNotice = "prior_notice" / "行政处罚告知书",
        HearingNotice = "hearing_notice" / "听证告知书",
        HearingRecord = "hearing_record" / "听证笔录",
        LegalReview = "legal_review" / "法制审核意见书",
        CollectiveDiscussion = "collective_discussion" / "重大案件集体讨论记录",
        PenaltyDecision = "penalty_decision" / "行政处罚决定书",
        NoPenaltyDecision = "no_penalty_decision" / "不予行政处罚决定书",
        SimpleDecision = "simple_decision" / "当场处罚决定书",
        ServiceReceipt = "service_receipt_case" / "送达回证",
        LatePaymentNotice = "late_payment_notice" / "加处罚款催告书",
        EnforcementApplication = "enforcement_application" / "强制执行申请书",
        Transfer = "transfer" / "涉嫌犯罪案件移送书",
        DailyPenaltyDecision = "daily_penalty_decision" / "按日连续处罚决定书",
        ExtensionApproval = "extension_approval" / "延期（分期）缴纳罚款审批表",
        CaseExtension = "case_extension" / "案件延期审批表",
        ClosingReport = "closing_report" / "结案审批表",
    }
}

coded_enum! {
    /// The people of a case who must be different users.
    pub enum Duty in "办案职责" {
        Handler = "handler" / "承办人",
        Reviewer = "reviewer" / "法制审核人员",
        HearingOfficer = "hearing_officer" / "听证主持人",
        Approver = "approver" / "审批负责人",
    }
}

impl Step {
    /// The duty a step is taken in.
    pub const fn duty(self) -> Duty {
        match self {
            Self::File | Self::Decline | Self::Discuss | Self::Decide | Self::Instalment | Self::Enforce => {
                Duty::Approver
            }
            Self::Transfer | Self::Extend | Self::Close | Self::Revoke => Duty::Approver,
            Self::Review => Duty::Reviewer,
            Self::Hearing => Duty::HearingOfficer,
            Self::Investigate
            | Self::Report
            | Self::Notify
            | Self::Statement
            | Self::HearingRequest
            | Self::Serve
            | Self::Pay
            | Self::Publish
            | Self::DailyPenalty => Duty::Handler,
        }
    }

    /// The document a step issues, if one.
    pub const fn document(self) -> Option<CaseDocument> {
        match self {
            Self::File => Some(CaseDocument::CaseFiling),
            Self::Report => Some(CaseDocument::CaseReport),
            Self::Notify => Some(CaseDocument::PriorNotice),
            Self::Hearing => Some(CaseDocument::HearingRecord),
            Self::Review => Some(CaseDocument::LegalReview),
            Self::Discuss => Some(CaseDocument::CollectiveDiscussion),
            Self::Serve => Some(CaseDocument::ServiceReceipt),
            Self::Instalment => Some(CaseDocument::ExtensionApproval),
            Self::Enforce => Some(CaseDocument::EnforcementApplication),
            Self::Transfer => Some(CaseDocument::Transfer),
            Self::Extend => Some(CaseDocument::CaseExtension),
            Self::Close => Some(CaseDocument::ClosingReport),
            // Investigate issues the record its body names; decide the decision's kind.
            Self::Investigate
            | Self::Decide
            | Self::Decline
            | Self::Statement
            | Self::HearingRequest
            | Self::Pay
            | Self::Publish
            | Self::Revoke
            | Self::DailyPenalty => None,
        }
    }
}

/// The status after `step` from `status`, if the step may be taken then. A review
/// that sends the case back, a payment that leaves money owed and the other
/// outcomes that depend on the body are settled by the step itself.
pub const fn next(status: CaseStatus, step: Step) -> Option<CaseStatus> {
    use CaseStatus as S;
    use Step as T;
    match (status, step) {
        (S::Proposed, T::File) => Some(S::Filed),
        (S::Proposed, T::Decline) => Some(S::NotFiled),
        (S::Filed, T::Report) => Some(S::Reported),
        (S::Reported, T::Notify) | (S::Notified, T::Statement) => Some(S::Notified),
        (S::Notified, T::HearingRequest) => Some(S::Hearing),
        (S::Hearing, T::Hearing) => Some(S::Heard),
        (S::Reported | S::Notified | S::Heard, T::Review) | (S::Reviewed, T::Discuss) => Some(S::Reviewed),
        (S::Reviewed, T::Decide) => Some(S::Decided),
        (S::Decided, T::Serve) | (S::Served, T::Instalment) => Some(S::Served),
        (S::Served | S::Enforcing, T::Pay) => Some(S::Paid),
        (S::Served, T::Enforce) => Some(S::Enforcing),
        (S::Filed | S::Reported, T::Investigate)
        | (S::Filed | S::Reported | S::Notified | S::Hearing | S::Heard | S::Reviewed, T::Extend)
        | (S::Decided | S::Served | S::Paid | S::Enforcing | S::Closed, T::Publish | T::DailyPenalty) => Some(status),
        (
            S::Filed | S::Reported | S::Notified | S::Hearing | S::Heard | S::Reviewed | S::Served | S::Enforcing,
            T::Transfer,
        ) => Some(S::Transferred),
        (S::Served | S::Paid | S::Enforcing | S::Transferred, T::Close) => Some(S::Closed),
        (S::Decided | S::Served | S::Paid | S::Enforcing | S::Closed, T::Revoke) => Some(S::Revoked),
        _ => None,
    }
}

/// Whether the 90-day clock runs: from 立案 until the decision.
pub const fn clock_runs(status: CaseStatus) -> bool {
    matches!(
        status,
        CaseStatus::Filed
            | CaseStatus::Reported
            | CaseStatus::Notified
            | CaseStatus::Hearing
            | CaseStatus::Heard
            | CaseStatus::Reviewed
    )
}

/// The 90-day clock of a case on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Clock {
    pub days_used: i64,
    pub days_left: i64,
    pub deadline: NaiveDate,
    /// none | 60 | 80 | over (the warning reached)
    pub warning: &'static str,
}

/// The clock from the filing date, the limit in days (90 plus extensions) and the
/// warning thresholds (`[60, 80]`).
pub fn clock(filed_on: NaiveDate, limit_days: i32, warn_at: &[i64], today: NaiveDate) -> Clock {
    let deadline = filed_on + chrono::Duration::days(i64::from(limit_days));
    let days_used = (today - filed_on).num_days().max(0);
    let days_left = (deadline - today).num_days();
    let warning = if days_left < 0 {
        "over"
    } else if warn_at.get(1).is_some_and(|w| days_used >= *w) {
        "80"
    } else if warn_at.first().is_some_and(|w| days_used >= *w) {
        "60"
    } else {
        "none"
    };
    Clock { days_used, days_left, deadline, warning }
}

/// 加处罚款 on `today` for a fine due on `due` (art. 72): `percent` of the fine a
/// day after the due date, at most the fine.
pub fn late_fee(fine: i64, due: NaiveDate, percent: i64, today: NaiveDate) -> i64 {
    let days = (today - due).num_days().max(0);
    (fine.saturating_mul(percent).saturating_mul(days) / 100).min(fine)
}

/// What is wrong with a fine against its statutory range and benchmark step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FineCheck {
    Fine,
    /// Outside the step's range: allowed with a reason, goes to legal review.
    OutsideStep,
    /// Below the statutory minimum: allowed only with a 减轻 ground and a reason.
    BelowMinimum,
    /// Above the statutory maximum: refused.
    AboveMaximum,
}

/// Checks `fine` against the statutory `(min, max)` and the step's range.
pub fn check_fine(fine: i64, statutory: (i64, i64), step: Option<(i64, i64)>) -> FineCheck {
    if fine > statutory.1 {
        FineCheck::AboveMaximum
    } else if fine < statutory.0 {
        FineCheck::BelowMinimum
    } else if step.is_some_and(|(lo, hi)| fine < lo || fine > hi) {
        FineCheck::OutsideStep
    } else {
        FineCheck::Fine
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn the_clock_warns_at_60_and_80_days_and_after_the_limit() {
        let filed = day("2026-01-01");
        let c = |d: &str| clock(filed, 90, &[60, 80], day(d));
        assert_eq!(c("2026-03-01").warning, "none");
        assert_eq!(c("2026-03-02").warning, "60");
        assert_eq!(c("2026-03-02").days_used, 60);
        assert_eq!(c("2026-03-22").warning, "80");
        assert_eq!(c("2026-04-01").days_left, 0);
        assert_eq!(c("2026-04-02").warning, "over");
        assert_eq!(clock(filed, 120, &[60, 80], day("2026-04-02")).warning, "80");
    }

    #[test]
    fn the_late_fee_accrues_three_percent_a_day_and_stops_at_the_fine() {
        let due = day("2026-05-01");
        assert_eq!(late_fee(10_000, due, 3, day("2026-05-01")), 0);
        assert_eq!(late_fee(10_000, due, 3, day("2026-05-02")), 300);
        assert_eq!(late_fee(10_000, due, 3, day("2026-05-11")), 3_000);
        assert_eq!(late_fee(10_000, due, 3, day("2026-06-03")), 9_900);
        assert_eq!(late_fee(10_000, due, 3, day("2026-06-04")), 10_000);
        assert_eq!(late_fee(10_000, due, 3, day("2027-06-04")), 10_000);
    }

    #[test]
    fn only_the_statutory_maximum_is_a_hard_limit() {
        assert_eq!(check_fine(50_001, (0, 50_000), None), FineCheck::AboveMaximum);
        assert_eq!(check_fine(50_000, (0, 50_000), Some((37_500, 50_000))), FineCheck::Fine);
        assert_eq!(check_fine(10_000, (0, 50_000), Some((37_500, 50_000))), FineCheck::OutsideStep);
        assert_eq!(check_fine(10_000, (20_000, 50_000), None), FineCheck::BelowMinimum);
    }

    #[test]
    fn steps_follow_the_procedure() {
        assert_eq!(next(CaseStatus::Proposed, Step::File), Some(CaseStatus::Filed));
        assert_eq!(next(CaseStatus::Proposed, Step::Decide), None);
        assert_eq!(next(CaseStatus::Filed, Step::Notify), None);
        assert_eq!(next(CaseStatus::Reviewed, Step::Decide), Some(CaseStatus::Decided));
        assert_eq!(next(CaseStatus::Decided, Step::Close), None);
        assert_eq!(next(CaseStatus::Paid, Step::Close), Some(CaseStatus::Closed));
        assert!(Step::ALL.iter().all(|s| s.duty() != Duty::Handler || s.document() != Some(CaseDocument::CaseFiling)));
    }
}
