//! Special-operation certificates (特种作业操作证) as pure rules: where a listed
//! worker's certificate stands on a day ([`status`]), the identity number's check
//! digit (GB 11643) and how a person is kept and shown ([`mask_id`], [`digest`],
//! [`mask_name`]).
//!
//! Decisions:
//! - A certificate is valid on a day when it was issued on or before it and expires
//!   on or after it; the status adds the reminder window: 将到期 when it expires
//!   within the window, 待复审 when the review is due within it or overdue (a review
//!   overdue is shown, the certificate still counts as held: whether it lapses is
//!   for the regulator to judge, the rule is unverified).
//! - 已过期 comes before 将到期, which comes before 待复审.
//! - The identity number is never stored: only its masked form (4201**********1234)
//!   for display and a SHA-256 digest (with a fixed prefix) to find the same person
//!   listed twice in one post. The digest is a matching key, not a secret: an
//!   identity number has little entropy, so the digest is kept out of every response.

use crate::coded::coded_enum;
use chrono::{Days, NaiveDate};
use sha2::{Digest, Sha256};

coded_enum! {
    /// Where a listed worker's certificate stands on a day.
    pub enum CertStatus in "持证状态" {
        Valid = "valid" / "有效",
        Expiring = "expiring" / "将到期",
        Expired = "expired" / "已过期",
        Missing = "missing" / "未持证",
        ReviewDue = "review_due" / "待复审",
    }
}

/// What the status reads of a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cert {
    pub issued_on: NaiveDate,
    pub review_due: Option<NaiveDate>,
    pub expires_on: NaiveDate,
}

impl Cert {
    /// Issued on or before `day` and not expired on it.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.issued_on <= day && day <= self.expires_on
    }
}

/// The status of a worker's certificate (`None`: no certificate) on `today`, with
/// a reminder window of `window_days`.
pub fn status(cert: Option<Cert>, today: NaiveDate, window_days: u32) -> CertStatus {
    let Some(c) = cert else { return CertStatus::Missing };
    let horizon = today.checked_add_days(Days::new(u64::from(window_days))).unwrap_or(today);
    if !c.valid_on(today) {
        if c.issued_on > today { CertStatus::Missing } else { CertStatus::Expired }
    } else if c.expires_on <= horizon {
        CertStatus::Expiring
    } else if c.review_due.is_some_and(|r| r <= horizon) {
        CertStatus::ReviewDue
    } else {
        CertStatus::Valid
    }
}

/// `years` after `day` (29 February → 28 February).
pub fn years_after(day: NaiveDate, years: u32) -> NaiveDate {
    day.checked_add_months(chrono::Months::new(years * 12)).unwrap_or(NaiveDate::MAX)
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A resident identity number (居民身份证号码, GB 11643: 17 digits and a check
/// character), upper-cased; `None` when it is not one.
pub fn parse_id(raw: &str) -> Option<String> {
    let id: String = raw.trim().to_uppercase();
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 || !chars[..17].iter().all(char::is_ascii_digit) {
        return None;
    }
    let sum: u32 = chars[..17].iter().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    (CHECK[(sum % 11) as usize] == chars[17]).then_some(id)
}

/// 420103198001011234 → 4201**********1234.
pub fn mask_id(id: &str) -> String {
    crate::dishonesty::domain::mask_id(id)
}

/// The matching key of an identity number (see the module's decisions).
pub fn digest(id: &str) -> String {
    hex::encode(Sha256::digest(format!("anjian:special-operation-worker:{id}").as_bytes()))
}

/// 张三丰 → 张**: what the indicator's drill-down shows of a person.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    format!("{first}{}", "*".repeat(chars.count().max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn cert(issued: &str, review: Option<&str>, expires: &str) -> Cert {
        Cert { issued_on: d(issued), review_due: review.map(d), expires_on: d(expires) }
    }

    #[test]
    fn the_status_follows_expiry_then_review() {
        let today = d("2026-11-22");
        assert_eq!(status(None, today, 60), CertStatus::Missing);
        assert_eq!(status(Some(cert("2020-01-01", None, "2026-11-21")), today, 60), CertStatus::Expired);
        assert_eq!(status(Some(cert("2020-12-01", None, "2026-11-22")), today, 60), CertStatus::Expiring);
        assert_eq!(status(Some(cert("2021-01-21", None, "2027-01-21")), today, 60), CertStatus::Expiring);
        assert_eq!(
            status(Some(cert("2021-01-22", Some("2024-01-22"), "2027-01-22")), today, 60),
            CertStatus::ReviewDue
        );
        assert_eq!(
            status(Some(cert("2024-01-22", Some("2027-01-21"), "2030-01-22")), today, 60),
            CertStatus::ReviewDue
        );
        assert_eq!(status(Some(cert("2024-01-23", Some("2027-01-23"), "2030-01-23")), today, 60), CertStatus::Valid);
        assert_eq!(status(Some(cert("2026-12-01", None, "2032-12-01")), today, 60), CertStatus::Missing);
    }

    #[test]
    fn identity_numbers_are_checked_masked_and_digested() {
        assert_eq!(parse_id(" 11010519491231002x ").as_deref(), Some("11010519491231002X"));
        assert_eq!(parse_id("110105194912310021"), None);
        assert_eq!(parse_id("1101051949123100"), None);
        assert_eq!(mask_id("11010519491231002X"), "1101**********002X");
        assert_eq!(digest("11010519491231002X").len(), 64);
        assert_ne!(digest("11010519491231002X"), digest("110105194912310029"));
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李"), "李*");
        assert_eq!(years_after(d("2024-02-29"), 3), d("2027-02-28"));
    }
}
