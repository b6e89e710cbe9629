//! The dishonesty list's classifications and pure rules: who a listing reaches,
//! where it stands, its steps and the transition table, the listing period and the
//! 12 months before an early removal may be asked for, and how a person is shown.
//!
//! Decisions:
//! - One row per subject and basis ([`crate::entities::dishonesty_listing`]): a
//!   unit and its principal listed on the same accident are two listings, each
//!   with its own notice, decision and removal — the order lists subjects, not
//!   cases, and an early removal of the unit does not remove its principal.
//! - The steps are one table ([`next`]); refusing (不予列入) ends a proposal at any
//!   step before the decision.
//! - The end date is the listing day plus the years of the data; a removal
//!   revoked for false information restores the listing with that same end date.

use crate::coded::coded_enum;
use chrono::{Months, NaiveDate};

coded_enum! {
    /// Who is listed (部令11号 art. 2 and the situations' subjects).
    pub enum SubjectKind in "失信主体类型" {
        Unit = "unit" / "生产经营单位",
        Principal = "principal" / "主要负责人",
        Responsible = "responsible" / "其他负有责任的人员",
        ServiceBody = "service_body" / "技术服务机构",
        ServiceStaff = "service_staff" / "技术服务机构直接责任人员",
    }
}

impl SubjectKind {
    /// A natural person: shown by surname and 某 on the public site, identity number masked.
    pub fn is_person(self) -> bool {
        matches!(self, Self::Principal | Self::Responsible | Self::ServiceStaff)
    }
}

coded_enum! {
    /// Where a listing stands.
    pub enum ListingStatus in "失信名单状态" {
        Proposed = "proposed" / "拟列入",
        Notified = "notified" / "已告知",
        Listed = "listed" / "已列入",
        Refused = "refused" / "不予列入",
        Removed = "removed" / "已提前移出",
        Expired = "expired" / "期满移出",
    }
}

coded_enum! {
    /// A step (the last segment of `POST /api/v1/dishonesty-list/proposals/{id}/{step}`).
    pub enum ListingStep in "失信名单环节" {
        Notify = "notify" / "事先告知",
        Statement = "statement" / "陈述申辩",
        Decide = "decide" / "列入决定",
        Refuse = "refuse" / "不予列入",
        ApplyRemoval = "apply_removal" / "申请提前移出",
        DecideRemoval = "decide_removal" / "提前移出审核",
        RevokeRemoval = "revoke_removal" / "撤销提前移出",
    }
}

coded_enum! {
    /// An early-removal application (信用修复) and its outcome.
    pub enum RemovalStatus in "提前移出申请" {
        Applied = "applied" / "待审核",
        Approved = "approved" / "已同意",
        Rejected = "rejected" / "未同意",
        Revoked = "revoked" / "已撤销",
    }
}

coded_enum! {
    /// What a proposal rests on.
    pub enum BasisKind in "列入依据" {
        Accident = "accident" / "生产安全事故",
        Case = "case" / "行政处罚决定",
    }
}

/// The status a step leads to from `from`, or `None` when it may not be taken now.
/// Removal steps also depend on the application ([`removal_next`]).
pub fn next(from: ListingStatus, step: ListingStep) -> Option<ListingStatus> {
    use ListingStatus as S;
    use ListingStep as T;
    match (from, step) {
        (S::Proposed, T::Notify) | (S::Notified, T::Statement) => Some(S::Notified),
        (S::Notified, T::Decide) | (S::Listed, T::ApplyRemoval) | (S::Removed, T::RevokeRemoval) => Some(S::Listed),
        // Approved, the listing becomes Removed; rejected, it stays Listed (decided in the use case).
        (S::Listed, T::DecideRemoval) => Some(S::Removed),
        (S::Proposed | S::Notified, T::Refuse) => Some(S::Refused),
        _ => None,
    }
}

/// Whether a removal step fits the application as it stands.
pub fn removal_next(current: Option<RemovalStatus>, step: ListingStep) -> bool {
    match step {
        ListingStep::ApplyRemoval => current != Some(RemovalStatus::Applied),
        ListingStep::DecideRemoval => current == Some(RemovalStatus::Applied),
        ListingStep::RevokeRemoval => current == Some(RemovalStatus::Approved),
        _ => true,
    }
}

/// The last day on the list: `years` after the listing day.
pub fn until(listed_on: NaiveDate, years: u32) -> NaiveDate {
    listed_on.checked_add_months(Months::new(years * 12)).unwrap_or(NaiveDate::MAX)
}

/// The first day an early removal may be applied for.
pub fn removal_from(listed_on: NaiveDate, months: u32) -> NaiveDate {
    listed_on.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// 张三 → 张某 for a person; a body's or unit's name unchanged.
pub fn public_name(kind: SubjectKind, name: &str) -> String {
    if kind.is_person() {
        format!("{}某", name.chars().next().map(String::from).unwrap_or_default())
    } else {
        name.to_owned()
    }
}

/// 420103198001011234 → 4201**********1234.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn the_steps_follow_the_table() {
        use ListingStatus as S;
        use ListingStep as T;
        assert_eq!(next(S::Proposed, T::Notify), Some(S::Notified));
        assert_eq!(next(S::Proposed, T::Decide), None, "no decision without the notice");
        assert_eq!(next(S::Notified, T::Decide), Some(S::Listed));
        assert_eq!(next(S::Notified, T::Refuse), Some(S::Refused));
        assert_eq!(next(S::Listed, T::Refuse), None);
        assert_eq!(next(S::Removed, T::RevokeRemoval), Some(S::Listed));
        assert_eq!(next(S::Expired, T::ApplyRemoval), None);
        assert!(!removal_next(Some(RemovalStatus::Applied), T::ApplyRemoval));
        assert!(removal_next(Some(RemovalStatus::Rejected), T::ApplyRemoval));
        assert!(!removal_next(None, T::DecideRemoval));
    }

    #[test]
    fn three_years_and_twelve_months_count_from_the_listing_day() {
        assert_eq!(until(d("2026-12-20"), 3), d("2029-12-20"));
        assert_eq!(removal_from(d("2024-02-29"), 12), d("2025-02-28"));
    }

    #[test]
    fn persons_are_masked() {
        assert_eq!(public_name(SubjectKind::Principal, "张三"), "张某");
        assert_eq!(public_name(SubjectKind::Unit, "甲化工有限公司"), "甲化工有限公司");
        assert_eq!(mask_id("420103198001011234"), "4201**********1234");
    }
}
