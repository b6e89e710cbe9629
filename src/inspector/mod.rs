//! The register of enforcement inspectors (执法检查人员名录库), issue 11 item 3: the
//! bureau's users with the `inspector` role (and the `expert`s who may accompany
//! them), their certificates, specialties, availability and conflicts of interest.
//!
//! Decisions where the issue is silent:
//! - The certificate stays on `users` (`certificate_no`, `certificate_valid_until`);
//!   the specialties are a new `users.specialties` column of sector codes (`sectors`
//!   limits what a user sees, it is not a specialty).
//! - A certificate is `valid` on a day when it has a number and its validity ends on
//!   or after that day; `expiring` when valid but ending within 30 days; else
//!   `expired` or `missing`.
//! - Availability is a list of absences (休假 / 培训 / 其他) with inclusive from–to
//!   dates; an inspector is unavailable on a day inside one.
//! - A conflict (回避) is live until withdrawn; a withdrawn conflict is kept with who
//!   withdrew it and when. The team check and (next issue) the draw honour live ones.
//! - Every bureau user reads the register of its bureau and the bureaus below; the
//!   regulators of those bureaus edit it (certificate, specialties, absences,
//!   conflicts). An inspector outside the caller's bureau tree is 404.
//! - The list is capped at [`register::MAX_LIST`] rows (ordered by name).

pub mod availability;
pub mod handlers;
pub mod register;

use crate::coded::coded_enum;
use crate::routes::{ApiRoutes, routes};

coded_enum! {
    /// Why an inspector is unavailable.
    pub enum AbsenceKind in "不在岗原因" {
        Leave = "leave" / "休假",
        Training = "training" / "培训",
        Other = "other" / "其他",
    }
}

coded_enum! {
    /// The state of an inspector's enforcement certificate on a day.
    pub enum CertificateStatus in "执法证状态" {
        Valid = "valid" / "有效",
        Expiring = "expiring" / "即将到期",
        Expired = "expired" / "已过期",
        Missing = "missing" / "未登记",
    }
}

impl CertificateStatus {
    /// The state of a certificate (`no`, `until`) on `day`.
    pub fn of(no: Option<&str>, until: Option<chrono::NaiveDate>, day: chrono::NaiveDate) -> Self {
        match (no.filter(|n| !n.trim().is_empty()), until) {
            (None, _) | (_, None) => Self::Missing,
            (Some(_), Some(u)) if u < day => Self::Expired,
            (Some(_), Some(u)) if (u - day).num_days() <= 30 => Self::Expiring,
            _ => Self::Valid,
        }
    }

    /// Whether an inspector with it may be on a team that day.
    pub const fn usable(self) -> bool {
        matches!(self, Self::Valid | Self::Expiring)
    }
}

pub fn routes() -> ApiRoutes {
    use handlers::{
        __path_add_absence, __path_declare_conflict, __path_get_inspector, __path_list_conflicts,
        __path_list_inspectors, __path_update_inspector, __path_withdraw_conflict, add_absence, declare_conflict,
        get_inspector, list_conflicts, list_inspectors, update_inspector, withdraw_conflict,
    };
    ApiRoutes::new()
        .routes(routes!(list_inspectors))
        .routes(routes!(get_inspector, update_inspector))
        .routes(routes!(add_absence))
        .routes(routes!(declare_conflict, list_conflicts))
        .routes(routes!(withdraw_conflict))
}

#[cfg(test)]
mod tests {
    use super::CertificateStatus;
    use chrono::NaiveDate;

    #[test]
    fn a_certificate_is_valid_through_its_last_day() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let day = d(2026, 12, 1).unwrap_or_default();
        assert_eq!(CertificateStatus::of(Some("1"), d(2026, 12, 1), day), CertificateStatus::Expiring);
        assert_eq!(CertificateStatus::of(Some("1"), d(2026, 11, 30), day), CertificateStatus::Expired);
        assert_eq!(CertificateStatus::of(Some("1"), d(2028, 1, 1), day), CertificateStatus::Valid);
        assert_eq!(CertificateStatus::of(None, d(2028, 1, 1), day), CertificateStatus::Missing);
        assert_eq!(CertificateStatus::of(Some(" "), d(2028, 1, 1), day), CertificateStatus::Missing);
        assert!(!CertificateStatus::Expired.usable());
    }
}
