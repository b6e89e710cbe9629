//! The hazard policy as tables: state × role × side → the actions allowed.

use super::*;

const PRINCIPAL: i64 = 1;
const OFFICER: i64 = 2;

fn actor(id: i64, roles: &[Role], bureau_user: bool, own: bool, registered: bool) -> Actor {
    Actor {
        user_id: id,
        roles: roles.to_vec(),
        bureau_user,
        sides: sides(roles, bureau_user, own, registered),
        listing: None,
        above_void_requester: false,
    }
}

/// The actors of the tables, by name; `own` ones work for the hazard's enterprise.
fn named(name: &str, registered: bool) -> Actor {
    match name {
        "regulator" => actor(10, &[Role::Regulator], true, false, registered),
        "inspector" => actor(11, &[Role::Inspector], true, false, registered),
        "grid" => actor(12, &[Role::GridWorker], true, false, registered),
        "approver" => actor(13, &[Role::Approver], true, false, registered),
        "principal" => actor(PRINCIPAL, &[Role::Principal], false, true, registered),
        "officer" => actor(OFFICER, &[Role::SafetyOfficer], false, true, registered),
        "staff" => actor(3, &[Role::Staff], false, true, registered),
        "other_principal" => actor(4, &[Role::Principal], false, false, registered),
        _ => unreachable!("{name}"),
    }
}

/// A record that someone already acted on, from the source its closure suggests.
fn rec(closure: Closure, status: Status, pending: bool, rectified_by: Option<i64>) -> Record {
    let level = if closure == Closure::Major { Level::Major } else { Level::General };
    let source = match closure {
        Closure::Enterprise | Closure::Major => Source::SelfCheck,
        Closure::Inspector => Source::Inspection,
        Closure::Regulator => Source::TipOff,
    };
    Record {
        status,
        closure,
        level,
        source,
        extension_pending: pending,
        extension_requested_by: None,
        rectified_by,
        void_requested_by: None,
        untouched: false,
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
            (M, S::Reported, false, None, "regulator", "confirm dismiss regrade suspend void"),
            (M, S::Reported, false, None, "principal", ""),
            (M, S::Reported, false, None, "inspector", ""),
            (M, S::Confirmed, false, None, "regulator", "regrade assign suspend void"),
            (M, S::Confirmed, false, None, "principal", ""),
            (M, S::Assigned, false, None, "regulator", "regrade suspend void"),
            (M, S::Assigned, false, None, "principal", "plan progress request_extension"),
            (M, S::Assigned, false, None, "officer", "progress request_extension"),
            (M, S::Rectifying, false, None, "regulator", "regrade suspend void"),
            (M, S::Rectifying, false, None, "principal", "plan progress submit request_extension"),
            (M, S::Rectifying, true, None, "regulator", "regrade suspend decide_extension void"),
            (M, S::Rectifying, true, None, "principal", "plan progress submit"),
            (M, S::PendingVerification, false, Some(PRINCIPAL), "regulator", "regrade suspend verify void"),
            (M, S::PendingVerification, false, Some(PRINCIPAL), "officer", ""),
            (M, S::PendingVerification, false, Some(PRINCIPAL), "inspector", ""),
            (M, S::Closed, false, None, "regulator", "reopen void"),
            (M, S::Closed, false, None, "principal", ""),
            (M, S::Dismissed, false, None, "regulator", "reopen void"),
            (M, S::Dismissed, false, None, "approver", ""),
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
            (E, S::Rectifying, false, None, "regulator", "regrade suspend void"),
            (E, S::Rectifying, false, None, "inspector", ""),
            (E, S::Rectifying, true, None, "officer", "progress submit decide_extension"),
            (E, S::Rectifying, true, None, "regulator", "regrade suspend void"),
            (E, S::PendingVerification, false, Some(PRINCIPAL), "principal", ""),
            (E, S::PendingVerification, false, Some(PRINCIPAL), "officer", "verify"),
            (E, S::PendingVerification, false, Some(PRINCIPAL), "regulator", "regrade suspend void"),
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
            (I, S::Rectifying, true, None, "regulator", "regrade suspend decide_extension void"),
            (I, S::PendingVerification, false, Some(OFFICER), "inspector", "verify"),
            (I, S::PendingVerification, false, Some(OFFICER), "regulator", "regrade suspend void"),
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
            (R, S::Reported, false, None, "regulator", "confirm dismiss regrade suspend void"),
            (R, S::Reported, false, None, "principal", ""),
            (R, S::Rectifying, false, None, "principal", "progress submit request_extension"),
            (R, S::PendingVerification, false, Some(PRINCIPAL), "regulator", "regrade suspend verify void"),
            (R, S::Dismissed, false, None, "regulator", "reopen void"),
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
            (R, S::Reported, false, None, "regulator", "confirm dismiss regrade suspend void"),
            (R, S::Rectifying, false, None, "regulator", "regrade progress suspend submit request_extension void"),
            (R, S::Rectifying, true, None, "regulator", "regrade progress suspend submit decide_extension void"),
            // The regulator who recorded the rectification does not verify it; another does.
            (R, S::PendingVerification, false, Some(10), "regulator", "regrade suspend void"),
            (R, S::PendingVerification, false, Some(99), "regulator", "regrade suspend verify void"),
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
    use Side::{Approver as A, Enterprise as E, Inspector as I, Regulator as R};
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
        (&[Role::LegalReviewer], true, false, true, &[]),
        (&[Role::LegalReviewer, Role::Approver], true, false, true, &[A]),
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

fn listed(mut a: Actor, at_or_above: bool) -> Actor {
    a.listing = Some(Listing { bureau: "武汉市应急管理局".to_owned(), at_or_above });
    a
}

#[test]
fn a_listed_major_hazard_is_decided_by_the_listing_bureau_or_above() {
    use Closure::Major as M;
    use Status as S;
    let county = listed(named("regulator", true), false);
    let city = listed(named("regulator", true), true);
    let assigned = rec(M, S::Assigned, false, None);
    assert_eq!(codes(&available(&county, &assigned)), "suspend");
    assert_eq!(codes(&available(&city, &assigned)), "regrade suspend void");
    let pending = rec(M, S::PendingVerification, false, Some(PRINCIPAL));
    assert_eq!(codes(&available(&county, &pending)), "suspend");
    assert_eq!(codes(&available(&city, &pending)), "regrade suspend verify void");
    let refusal = check(&county, &pending, Action::Verify);
    let want = Refusal::NotListingBureau { bureau: "武汉市应急管理局".to_owned(), action: Action::Verify };
    assert_eq!(refusal, Err(want.clone()));
    let message = AppError::from(want).to_string();
    assert!(message.contains("武汉市应急管理局") && message.contains("核销"), "{message}");
    assert_eq!(
        check(&county, &rec(M, S::Closed, false, None), Action::Reopen)
            .map_err(|r| matches!(r, Refusal::NotListingBureau { .. })),
        Err(true)
    );
    // The enterprise's own steps do not depend on the listing.
    let principal = listed(named("principal", true), false);
    assert_eq!(codes(&available(&principal, &assigned)), "plan progress request_extension");
    // 不挂牌 (no listing): the scope decides.
    assert_eq!(codes(&available(&named("regulator", true), &assigned)), "regrade suspend void");
    // A general hazard (re-graded from a listed major one) is no longer the listing bureau's.
    let general = rec(Closure::Regulator, S::PendingVerification, false, Some(PRINCIPAL));
    assert_eq!(codes(&available(&county, &general)), "regrade suspend verify void");
}

#[test]
fn a_void_of_a_closed_or_major_hazard_waits_for_another_persons_approval() {
    use Closure::Major as M;
    use Status as S;
    let mut waiting = rec(M, S::Rectifying, false, None);
    waiting.void_requested_by = Some(10);
    let regulator = named("regulator", true);
    assert_eq!(codes(&available(&regulator, &waiting)), "regrade suspend");
    assert_eq!(check(&regulator, &waiting, Action::Void), Err(Refusal::VoidPending));
    let mut approver = named("approver", true);
    assert_eq!(check(&approver, &waiting, Action::ApproveVoid), Err(Refusal::Forbidden), "below the requester");
    approver.above_void_requester = true;
    assert_eq!(codes(&available(&approver, &waiting)), "approve_void");
    let mut both = actor(10, &[Role::Regulator, Role::Approver], true, false, true);
    both.above_void_requester = true;
    assert_eq!(check(&both, &waiting, Action::ApproveVoid), Err(Refusal::ApproverIsRequester));
    let nothing = rec(M, S::Rectifying, false, None);
    assert_eq!(check(&approver, &nothing, Action::ApproveVoid), Err(Refusal::NoVoidRequest));
    assert_eq!(check(&named("principal", true), &waiting, Action::ApproveVoid), Err(Refusal::Forbidden));
}

#[test]
fn an_extension_is_decided_by_someone_other_than_its_requester() {
    let mut asked = rec(Closure::Enterprise, Status::Rectifying, true, None);
    asked.extension_requested_by = Some(OFFICER);
    assert_eq!(check(&named("officer", true), &asked, Action::DecideExtension), Err(Refusal::DeciderIsRequester));
    assert_eq!(check(&named("principal", true), &asked, Action::DecideExtension), Ok(()));
    let mut by_regulator = rec(Closure::Regulator, Status::Rectifying, true, None);
    by_regulator.extension_requested_by = Some(10);
    let regulator = named("regulator", false);
    assert_eq!(check(&regulator, &by_regulator, Action::DecideExtension), Err(Refusal::DeciderIsRequester));
    assert_eq!(
        check(&actor(14, &[Role::Regulator], true, false, false), &by_regulator, Action::DecideExtension),
        Ok(())
    );
}

#[test]
fn the_account_that_submitted_never_accepts_whoever_closes() {
    let regulator = named("regulator", false);
    for closure in [Closure::Regulator, Closure::Major] {
        let own = rec(closure, Status::PendingVerification, false, Some(10));
        assert_eq!(check(&regulator, &own, Action::Verify), Err(Refusal::AcceptorIsRectifier), "{closure:?}");
    }
}

#[test]
fn an_enterprise_voids_its_own_duplicate_self_report_before_anyone_acts() {
    let mut fresh = rec(Closure::Enterprise, Status::Rectifying, false, None);
    fresh.untouched = true;
    for who in ["principal", "officer"] {
        assert_eq!(codes(&available(&named(who, true), &fresh)), "progress submit request_extension void");
    }
    assert_eq!(check(&named("staff", true), &fresh, Action::Void), Err(Refusal::Forbidden));
    assert_eq!(check(&named("other_principal", true), &fresh, Action::Void), Err(Refusal::Forbidden));
    let acted_on = rec(Closure::Enterprise, Status::Rectifying, false, None);
    assert_eq!(check(&named("principal", true), &acted_on, Action::Void), Err(Refusal::Forbidden));
    let mut employee = fresh;
    employee.source = Source::EmployeeReport;
    assert_eq!(check(&named("principal", true), &employee, Action::Void), Err(Refusal::Forbidden));
    let mut major = rec(Closure::Major, Status::Reported, false, None);
    major.untouched = true;
    assert_eq!(check(&named("principal", true), &major, Action::Void), Err(Refusal::Forbidden));
}

#[test]
fn only_the_supervising_regulators_see_who_reported() {
    assert!(sees_reporter(&[Role::Regulator], true));
    assert!(sees_reporter(&[Role::Inspector, Role::Regulator], true));
    for roles in [&[Role::GridWorker][..], &[Role::Inspector], &[Role::Approver], &[Role::LegalReviewer]] {
        assert!(!sees_reporter(roles, true), "{roles:?}");
    }
    for role in [Role::Principal, Role::SafetyOfficer, Role::Staff] {
        assert!(!sees_reporter(&[role], false), "{role:?}");
    }
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
    assert_eq!(codes(&available(&regulator, &waiting)), "regrade void");
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
