//! The transition table, intake and closers of `hazard::domain`.

use super::*;

fn walk(closure: Closure, start: Status, steps: &[(Action, bool)]) -> Result<Status, IllegalTransition> {
    steps.iter().try_fold(start, |s, &(a, passed)| next(closure, s, a, passed, Level::Major))
}

#[test]
fn overdue_only_where_rectification_is_owed() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default();
    let before = day.pred_opt();
    for s in Status::ALL {
        let owed = matches!(s, Status::Assigned | Status::Rectifying);
        assert_eq!(is_overdue(*s, before, day), owed, "{s:?}");
        assert!(!is_overdue(*s, Some(day), day), "the deadline day itself is not late");
        assert!(!is_overdue(*s, None, day), "no deadline, never overdue");
    }
}

#[test]
fn major_loop_with_one_rejection() {
    let (closure, start) = intake(Level::Major, Source::SelfCheck, Side::Enterprise);
    assert_eq!((closure, start), (Closure::Major, Status::Reported));
    let steps = [
        (Action::Confirm, true),
        (Action::Assign, true),
        (Action::Plan, true),
        (Action::Submit, true),
        (Action::Verify, false),
        (Action::Submit, true),
        (Action::Verify, true),
    ];
    assert_eq!(walk(closure, start, &steps), Ok(Status::Closed));
}

#[test]
fn general_intake_by_channel() {
    assert_eq!(intake(Level::General, Source::SelfCheck, Side::Enterprise), (Closure::Enterprise, Status::Rectifying));
    assert_eq!(intake(Level::General, Source::Inspection, Side::Inspector), (Closure::Inspector, Status::Rectifying));
    assert_eq!(intake(Level::General, Source::TipOff, Side::Regulator), (Closure::Regulator, Status::Reported));
    // A grid worker's patrol report is checked (核查) by the bureau first.
    assert_eq!(intake(Level::General, Source::GridPatrol, Side::Regulator), (Closure::Regulator, Status::Reported));
    assert_eq!(intake(Level::General, Source::Referral, Side::Regulator), (Closure::Regulator, Status::Rectifying));
    let patrol = [(Action::Confirm, true), (Action::Submit, true), (Action::Verify, true)];
    let general =
        patrol.iter().try_fold(Status::Reported, |s, &(a, p)| next(Closure::Regulator, s, a, p, Level::General));
    assert_eq!(general, Ok(Status::Closed));
}

#[test]
fn the_origin_closer_follows_the_source_and_the_reporters_side() {
    assert_eq!(origin(Source::SelfCheck, Side::Enterprise), Closure::Enterprise);
    assert_eq!(origin(Source::EmployeeReport, Side::Enterprise), Closure::Enterprise);
    assert_eq!(origin(Source::Inspection, Side::Inspector), Closure::Inspector);
    assert_eq!(origin(Source::Inspection, Side::Regulator), Closure::Inspector);
    for s in [Source::TipOff, Source::GridPatrol, Source::Media, Source::Referral, Source::EmployeeReport] {
        assert_eq!(origin(s, Side::Regulator), Closure::Regulator, "{s:?}");
    }
    // A major hazard is closed by 核销 whatever its origin.
    assert_eq!(intake(Level::Major, Source::SelfCheck, Side::Enterprise).0, Closure::Major);
}

#[test]
fn illegal_steps_are_refused() {
    assert!(next(Closure::Enterprise, Status::Rectifying, Action::Assign, true, Level::General).is_err());
    assert!(next(Closure::Major, Status::Reported, Action::Submit, true, Level::Major).is_err());
    assert!(next(Closure::Major, Status::Closed, Action::Verify, true, Level::Major).is_err());
    assert!(next(Closure::Major, Status::Voided, Action::Void, true, Level::Major).is_err());
    assert_eq!(next(Closure::Major, Status::Closed, Action::Void, true, Level::Major), Ok(Status::Voided));
}

#[test]
fn downgrade_on_confirm_goes_to_rectifying_under_the_origin_closer() {
    assert_eq!(next(Closure::Major, Status::Reported, Action::Confirm, true, Level::General), Ok(Status::Rectifying));
    for origin in [Closure::Enterprise, Closure::Inspector, Closure::Regulator] {
        assert_eq!(closure_for(Level::General, origin), origin);
        assert_eq!(closure_for(Level::Major, origin), Closure::Major);
    }
}

#[test]
fn regrading_goes_both_ways_from_any_open_state() {
    for from in Status::ALL.iter().copied() {
        let up = next(Closure::Regulator, from, Action::Regrade, true, Level::Major);
        let down = next(Closure::Major, from, Action::Regrade, true, Level::General);
        if from.is_open() {
            assert_eq!(up, Ok(Status::Confirmed), "{from:?}: 认定为重大, awaiting 交办");
            assert_eq!(down, Ok(Status::Rectifying), "{from:?}");
        } else {
            assert!(up.is_err() && down.is_err(), "{from:?}");
        }
    }
}

#[test]
fn reopening_a_closed_hazard_or_a_dismissed_report() {
    assert_eq!(next(Closure::Enterprise, Status::Closed, Action::Reopen, true, Level::General), Ok(Status::Rectifying));
    assert_eq!(next(Closure::Regulator, Status::Dismissed, Action::Reopen, true, Level::General), Ok(Status::Reported));
    assert!(next(Closure::Regulator, Status::Voided, Action::Reopen, true, Level::General).is_err());
    assert!(next(Closure::Regulator, Status::Rectifying, Action::Reopen, true, Level::General).is_err());
    assert_eq!(after_reopen(Closure::Enterprise), Closure::Regulator);
    assert_eq!(after_reopen(Closure::Inspector), Closure::Regulator);
    assert_eq!(after_reopen(Closure::Major), Closure::Major);
}

#[test]
fn a_void_of_a_closed_or_major_hazard_needs_an_approver() {
    assert!(!void_needs_approval(Level::General, Status::Rectifying));
    assert!(!void_needs_approval(Level::General, Status::Reported));
    assert!(void_needs_approval(Level::General, Status::Closed));
    assert!(void_needs_approval(Level::General, Status::Dismissed));
    assert!(void_needs_approval(Level::Major, Status::Reported));
    assert_eq!(next(Closure::Major, Status::Assigned, Action::ApproveVoid, true, Level::Major), Ok(Status::Voided));
    assert_eq!(next(Closure::Major, Status::Assigned, Action::ApproveVoid, false, Level::Major), Ok(Status::Assigned));
    assert!(next(Closure::Major, Status::Voided, Action::ApproveVoid, true, Level::Major).is_err());
    assert_eq!(side_for(Action::ApproveVoid, Closure::Major), &[Side::Approver]);
    assert_eq!(side_for(Action::Regrade, Closure::Enterprise), &[Side::Regulator]);
}

#[test]
fn a_suspension_is_ordered_in_any_open_state_and_keeps_the_status() {
    for s in Status::ALL {
        let ordered = next(Closure::Major, *s, Action::Suspend, true, Level::Major);
        assert_eq!(ordered.is_ok(), s.is_open(), "{s:?}");
        assert_eq!(next(Closure::Regulator, *s, Action::LiftSuspension, true, Level::General), Ok(*s));
    }
    assert_eq!(side_for(Action::Suspend, Closure::Enterprise), &[Side::Regulator]);
    assert_eq!(side_for(Action::ApplyResumption, Closure::Major), &[Side::Enterprise]);
    assert_eq!(
        next(Closure::Major, Status::Rectifying, Action::Plan, true, Level::Major),
        Ok(Status::Rectifying),
        "a plan is revised while rectifying"
    );
}

#[test]
fn verification_side_follows_closure() {
    assert_eq!(side_for(Action::Verify, Closure::Enterprise), &[Side::Enterprise]);
    assert_eq!(side_for(Action::Verify, Closure::Inspector), &[Side::Inspector]);
    assert_eq!(side_for(Action::Verify, Closure::Major), &[Side::Regulator]);
}
