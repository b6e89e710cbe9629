use super::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn cover(from: &str, to: &str, limit_yuan: i64, headcount: i32) -> Cover {
    Cover { policy_id: 1, starts_on: day(from), ends_on: day(to), cancelled_on: None, limit_yuan, headcount }
}

const MUST: Insured = Insured { mandatory: true, employees: Some(50), floor_yuan: 400_000 };

fn codes(a: &Assessment) -> Vec<ProblemCode> {
    a.problems.iter().map(|p| p.code).collect()
}

#[test]
fn a_policy_at_the_floor_for_all_staff_is_coverage() {
    let a = assess(MUST, &[cover("2026-01-01", "2026-12-31", 400_000, 50)], day("2026-06-01"));
    assert!(a.covered);
    assert!(a.problems.is_empty(), "{:?}", a.problems);
}

#[test]
fn a_policy_under_the_floor_is_not_coverage() {
    let a = assess(MUST, &[cover("2026-01-01", "2026-12-31", 300_000, 50)], day("2026-06-01"));
    assert!(!a.covered);
    assert_eq!(codes(&a), [ProblemCode::BelowFloor]);
    assert!(a.problems[0].message.contains("300000"));
}

#[test]
fn an_insured_headcount_short_of_the_register_is_found() {
    let a = assess(MUST, &[cover("2026-01-01", "2026-12-31", 500_000, 30)], day("2026-06-01"));
    assert!(!a.covered);
    assert_eq!(codes(&a), [ProblemCode::HeadcountShort]);
    assert!(a.problems[0].message.contains("30 人") && a.problems[0].message.contains("50 人"));
}

#[test]
fn no_policy_matters_only_where_insurance_is_mandatory() {
    let a = assess(MUST, &[cover("2025-01-01", "2025-12-31", 500_000, 50)], day("2026-06-01"));
    assert_eq!(codes(&a), [ProblemCode::NoPolicy]);
    let optional = Insured { mandatory: false, ..MUST };
    assert!(assess(optional, &[], day("2026-06-01")).problems.is_empty());
}

#[test]
fn a_gap_between_consecutive_policies_is_found() {
    let covers = [cover("2025-01-01", "2025-12-31", 500_000, 50), cover("2026-02-01", "2027-01-31", 500_000, 50)];
    let a = assess(MUST, &covers, day("2026-06-01"));
    assert!(a.covered);
    assert_eq!(codes(&a), [ProblemCode::Gap]);
    assert!(a.problems[0].message.contains("2026-01-01 至 2026-01-31 共 31 天"), "{}", a.problems[0].message);
    let seamless = [cover("2025-01-01", "2025-12-31", 500_000, 50), cover("2026-01-01", "2026-12-31", 500_000, 50)];
    assert!(assess(MUST, &seamless, day("2026-06-01")).problems.is_empty());
}

#[test]
fn a_cancellation_before_expiry_is_flagged_and_ends_the_cover() {
    let mut c = cover("2026-01-01", "2026-12-31", 500_000, 50);
    c.cancelled_on = Some(day("2026-05-01"));
    let a = assess(MUST, &[c], day("2026-06-01"));
    assert!(!a.covered);
    assert_eq!(codes(&a), [ProblemCode::NoPolicy, ProblemCode::CancelledEarly]);
    assert_eq!(c.status(day("2026-04-30")), PolicyStatus::Active);
    assert_eq!(c.status(day("2026-05-01")), PolicyStatus::Cancelled);
    assert_eq!(c.last_day(), Some(day("2026-04-30")));
}

#[test]
fn a_policy_not_yet_begun_neither_covers_nor_makes_a_gap() {
    let covers = [cover("2026-01-01", "2026-12-31", 500_000, 50), cover("2027-03-01", "2027-12-31", 500_000, 50)];
    let a = assess(MUST, &covers, day("2026-06-01"));
    assert!(a.covered && a.problems.is_empty(), "{:?}", a.problems);
    assert_eq!(covers[1].status(day("2026-06-01")), PolicyStatus::Pending);
}
