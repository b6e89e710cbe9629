//! The hazard policy as tables: state × role × side → the actions allowed.

use super::*;

const PRINCIPAL: i64 = 1;
const OFFICER: i64 = 2;

fn actor(id: i64, roles: &[Role], bureau_user: bool, own: bool, registered: bool) -> Actor {
    Actor { user_id: id, roles: roles.to_vec(), bureau_user, sides: sides(roles, bureau_user, own, registered) }
}

/// The actors of the tables, by name; `own` ones work for the hazard's enterprise.
fn named(name: &str, registered: bool) -> Actor {
    match name {
        "regulator" => actor(10, &[Role::Regulator], true, false, registered),
        "inspector" => actor(11, &[Role::Inspector], true, false, registered),
        "grid" => actor(12, &[Role::GridWorker], true, false, registered),
        "principal" => actor(PRINCIPAL, &[Role::Principal], false, true, registered),
        "officer" => actor(OFFICER, &[Role::SafetyOfficer], false, true, registered),
        "staff" => actor(3, &[Role::Staff], false, true, registered),
        "other_principal" => actor(4, &[Role::Principal], false, false, registered),
        _ => unreachable!("{name}"),
    }
}

fn rec(closure: Closure, status: Status, pending: bool, rectified_by: Option<i64>) -> Record {
    let level = if closure == Closure::Major { Level::Major } else { Level::General };
    Record {
        status,
        closure,
        level,
        extension_pending: pending,
        rectified_by,
        suspended: false,
        resumption_applied: false,
    }
}

fn codes(actions: &[Action]) -> String {
    actions.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(" ")
}

/// (closure, status, extension pending, submitted by, actor, allowed actions).
type Row = (Closure, Status, bool, Option<i64>, &'static str, &'static str);

fn check_table(rows: &[Row], registered: bool) {
    for &(closure, status, pending, by, who, want) in rows {
        let got = codes(&available(&named(who, registered), &rec(closure, status, pending, by)));
        assert_eq!(got, want, "{closure:?} {status:?} pending={pending} by={by:?} as {who}");
    }
}

#[test]
fn major_hazards_through_one_list_four_systems() {
    use Closure::Major as M;
    use Status as S;
    check_table(
        &[
            (M, S::Reported, false, None, "regulator", "confirm dismiss suspend void"),
            (M, S::Reported, false, None, "principal", ""),
            (M, S::Reported, false, None, "inspector", ""),
            (M, S::Confirmed, false, None, "regulator", "assign suspend void"),
            (M, S::Confirmed, false, None, "principal", ""),
            (M, S::Assigned, false, None, "regulator", "suspend void"),
            (M, S::Assigned, false, None, "principal", "plan progress request_extension"),
            (M, S::Assigned, false, None, "officer", "progress request_extension"),
            (M, S::Rectifying, false, None, "regulator", "suspend void"),
            (M, S::Rectifying, false, None, "principal", "plan progress submit request_extension"),
            (M, S::Rectifying, true, None, "regulator", "suspend decide_extension void"),
            (M, S::Rectifying, true, None, "principal", "plan progress submit"),
            (M, S::PendingVerification, false, Some(PRINCIPAL), "regulator", "suspend verify void"),
            (M, S::PendingVerification, false, Some(PRINCIPAL), "officer", ""),
            (M, S::PendingVerification, false, Some(PRINCIPAL), "inspector", ""),
            (M, S::Closed, false, None, "regulator", "reopen void"),
            (M, S::Closed, false, None, "principal", ""),
            (M, S::Dismissed, false, None, "regulator", "void"),
            (M, S::Voided, false, None, "regulator", ""),
        ],
        true,
    );
}

#[test]
fn general_hazards_found_by_the_enterprise_are_accepted_by_another_of_its_users() {
    use Closure::Enterprise as E;
    use Status as S;
    check_table(
        &[
            (E, S::Rectifying, false, None, "principal", "progress submit request_extension"),
            (E, S::Rectifying, false, None, "regulator", "suspend void"),
            (E, S::Rectifying, false, None, "inspector", ""),
            (E, S::Rectifying, true, None, "officer", "progress submit decide_extension"),
            (E, S::Rectifying, true, None, "regulator", "suspend void"),
            (E, S::PendingVerification, false, Some(PRINCIPAL), "principal", ""),
            (E, S::PendingVerification, false, Some(PRINCIPAL), "officer", "verify"),
            (E, S::PendingVerification, false, Some(PRINCIPAL), "regulator", "suspend void"),
            (E, S::Closed, false, None, "regulator", "reopen void"),
            (E, S::Closed, false, None, "officer", ""),
        ],
        true,
    );
}

#[test]
fn inspection_findings_are_closed_by_the_inspectors_review() {
    use Closure::Inspector as I;
    use Status as S;
    check_table(
        &[
            (I, S::Rectifying, false, None, "inspector", ""),
            (I, S::Rectifying, false, None, "principal", "progress submit request_extension"),
            (I, S::Rectifying, true, None, "regulator", "suspend decide_extension void"),
            (I, S::PendingVerification, false, Some(OFFICER), "inspector", "verify"),
            (I, S::PendingVerification, false, Some(OFFICER), "regulator", "suspend void"),
            (I, S::PendingVerification, false, Some(OFFICER), "officer", ""),
        ],
        true,
    );
}

#[test]
fn tip_offs_are_checked_and_closed_by_the_regulators() {
    use Closure::Regulator as R;
    use Status as S;
    check_table(
        &[
            (R, S::Reported, false, None, "regulator", "confirm dismiss suspend void"),
            (R, S::Reported, false, None, "principal", ""),
            (R, S::Rectifying, false, None, "principal", "progress submit request_extension"),
            (R, S::PendingVerification, false, Some(PRINCIPAL), "regulator", "suspend verify void"),
            (R, S::PendingVerification, false, Some(PRINCIPAL), "inspector", ""),
        ],
        true,
    );
}

#[test]
fn the_bureau_acts_for_an_operator_not_in_the_register() {
    use Closure::Regulator as R;
    use Status as S;
    check_table(
        &[
            (R, S::Reported, false, None, "regulator", "confirm dismiss suspend void"),
            (R, S::Rectifying, false, None, "regulator", "progress suspend submit request_extension void"),
            (R, S::Rectifying, true, None, "regulator", "progress suspend submit decide_extension void"),
            (R, S::PendingVerification, false, Some(10), "regulator", "suspend verify void"),
            (R, S::Rectifying, false, None, "inspector", ""),
        ],
        false,
    );
}

#[test]
fn reporters_without_a_side_may_take_no_step() {
    for closure in Closure::ALL {
        for status in Status::ALL {
            for who in ["grid", "staff", "other_principal"] {
                for pending in [false, true] {
                    let r = rec(*closure, *status, pending, Some(PRINCIPAL));
                    assert_eq!(available(&named(who, true), &r), [], "{who} {closure:?} {status:?}");
                }
            }
        }
    }
}

#[test]
fn refusals_keep_their_codes() {
    let principal = named("principal", true);
    let pending = rec(Closure::Enterprise, Status::PendingVerification, false, Some(PRINCIPAL));
    assert_eq!(check(&principal, &pending, Action::Verify), Err(Refusal::AcceptorIsRectifier));
    assert_eq!(check(&principal, &pending, Action::Confirm), Err(Refusal::Forbidden));
    let illegal = check(&principal, &pending, Action::Submit);
    assert!(matches!(illegal, Err(Refusal::Illegal(_))), "{illegal:?}");
    let waiting = rec(Closure::Enterprise, Status::Rectifying, true, None);
    assert_eq!(check(&principal, &waiting, Action::RequestExtension), Err(Refusal::ExtensionPending));
    let quiet = rec(Closure::Enterprise, Status::Rectifying, false, None);
    assert_eq!(check(&principal, &quiet, Action::DecideExtension), Err(Refusal::NoExtensionRequest));
}

/// (roles, bureau user, own enterprise, operator registered, sides).
type SidesRow = (&'static [Role], bool, bool, bool, &'static [Side]);

#[test]
fn sides_by_role_and_relation() {
    use Side::{Enterprise as E, Inspector as I, Regulator as R};
    let table: &[SidesRow] = &[
        (&[Role::Principal], false, true, true, &[E]),
        (&[Role::SafetyOfficer], false, true, true, &[E]),
        (&[Role::Staff], false, true, true, &[]),
        (&[Role::Principal], false, false, true, &[]),
        (&[Role::Regulator], true, false, true, &[R]),
        (&[Role::Regulator], true, false, false, &[R, E]),
        (&[Role::Inspector], true, false, false, &[I]),
        (&[Role::Regulator, Role::Inspector], true, false, true, &[R, I]),
        (&[Role::GridWorker], true, false, true, &[]),
        (&[Role::LegalReviewer, Role::Approver], true, false, true, &[]),
    ];
    for (roles, bureau, own, registered, want) in table {
        assert_eq!(sides(roles, *bureau, *own, *registered), *want, "{roles:?} own={own} registered={registered}");
    }
}

#[test]
fn sources_each_role_may_report() {
    use Source as So;
    let bureau_all_but_self: Vec<Source> = So::ALL.iter().copied().filter(|s| *s != So::SelfCheck).collect();
    let no_inspection: Vec<Source> = bureau_all_but_self.iter().copied().filter(|s| *s != So::Inspection).collect();
    assert_eq!(sources(&[Role::Inspector], true), bureau_all_but_self);
    assert_eq!(sources(&[Role::Regulator], true), no_inspection);
    assert_eq!(sources(&[Role::GridWorker], true), no_inspection);
    for role in [Role::Principal, Role::SafetyOfficer, Role::Staff] {
        assert_eq!(sources(&[role], false), domain::ENTERPRISE_SOURCES.to_vec(), "{role:?}");
    }
    assert!(source_refusal(&[Role::Regulator], true, So::Inspection).is_some());
    assert!(source_refusal(&[Role::Principal], false, So::TipOff).is_some());
    assert!(reports_hazards(&[Role::Staff]) && !reports_hazards(&[Role::LegalReviewer]));
}

#[test]
fn the_major_report_is_filed_by_the_enterprise_for_a_live_major_hazard() {
    let major = rec(Closure::Major, Status::Rectifying, false, None);
    let general = rec(Closure::Enterprise, Status::Rectifying, false, None);
    let voided = rec(Closure::Major, Status::Voided, false, None);
    assert!(may_file_report(&named("principal", true), &major));
    assert!(may_file_report(&named("officer", true), &major));
    assert!(!may_file_report(&named("staff", true), &major));
    assert!(!may_file_report(&named("regulator", true), &major));
    assert!(!may_file_report(&named("principal", true), &general));
    assert!(!may_file_report(&named("principal", true), &voided));
}

#[test]
fn a_suspension_is_lifted_by_the_regulators_on_the_enterprise_s_application() {
    let suspended = |status, applied| Record {
        suspended: true,
        resumption_applied: applied,
        ..rec(Closure::Major, status, false, None)
    };
    let (regulator, principal) = (named("regulator", true), named("principal", true));
    let waiting = suspended(Status::Rectifying, false);
    assert_eq!(codes(&available(&regulator, &waiting)), "void");
    assert_eq!(codes(&available(&principal, &waiting)), "plan progress submit request_extension apply_resumption");
    assert_eq!(check(&regulator, &waiting, Action::Suspend), Err(Refusal::AlreadySuspended));
    assert_eq!(check(&regulator, &waiting, Action::LiftSuspension), Err(Refusal::ResumptionNotApplied));
    assert_eq!(check(&principal, &waiting, Action::LiftSuspension), Err(Refusal::Forbidden));
    // A passed 核销 may leave production stopped: it is lifted after closing.
    let closed = suspended(Status::Closed, true);
    assert_eq!(codes(&available(&regulator, &closed)), "reopen void lift_suspension");
    let running = rec(Closure::Major, Status::Rectifying, false, None);
    assert_eq!(check(&regulator, &running, Action::LiftSuspension), Err(Refusal::NotSuspended));
    assert_eq!(check(&principal, &running, Action::ApplyResumption), Err(Refusal::NotSuspended));
    assert_eq!(check(&named("officer", true), &running, Action::Plan), Err(Refusal::PrincipalSigns));
}
