use super::*;
use crate::indicator::rules::{self, Indicators};

fn defs() -> &'static Indicators {
    rules::data().unwrap_or_else(|e| panic!("{e:?}"))
}

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).unwrap_or_else(|e| panic!("{e}"))
}

fn ind(code: &str) -> &'static Indicator {
    defs().indicator(code).unwrap_or_else(|| panic!("{code}"))
}

#[test]
fn values_are_rounded_per_unit() {
    assert_eq!(value(Unit::Percent, 1, Some(4.0)), Some(25.0));
    assert_eq!(value(Unit::Percent, 2, Some(3.0)), Some(66.7));
    assert_eq!(value(Unit::Percent, 0, Some(0.0)), None, "nothing to count is no data, not 100 %");
    assert_eq!(value(Unit::Persons, 7, None), Some(7.0));
    assert_eq!(value(Unit::Ratio, 3, Some(1500.0)), Some(0.002));
}

#[test]
fn a_city_takes_its_provinces_rate_target_but_not_its_death_count() {
    let t = &defs().targets;
    // 长沙 (430100) has no own target: Hunan's insurance target applies, marked inherited.
    let insurance = ind("insurance_coverage");
    if let Some(c) = choose(t, insurance, &region("430100"), 2025) {
        assert_eq!(c.inherited_from.as_deref(), Some("430000"));
    }
    // Hunan's deaths target is a change: it applies to a city against the city's own baseline.
    let deaths = ind("accident_deaths");
    let c = choose(t, deaths, &region("430100"), 2025).unwrap_or_else(|| panic!("inherited change target"));
    assert_eq!((c.target.change_percent, c.inherited_from.as_deref()), (Some(-15.0), Some("430000")));
    assert_eq!(target_value(c.target, Some(200.0)), Some(170.0));
    assert_eq!(target_value(c.target, None), None, "no baseline, no figure");
    // A change target does not carry over to a later year; nothing else applies.
    assert!(choose(t, deaths, &region("430100"), 2026).is_none());
}

#[test]
fn an_absolute_count_is_not_inherited_but_zero_is() {
    let serious = ind("serious_accidents");
    let mk = |value| rules::Target {
        indicator: "serious_accidents".into(),
        region: "430000".into(),
        plan: "p".into(),
        year: 2025,
        value: Some(value),
        change_percent: None,
        base_year: None,
        line: "l".into(),
        binding: true,
        verified: true,
    };
    assert!(choose(&[mk(3.0)], serious, &region("430100"), 2025).is_none());
    assert!(choose(&[mk(3.0)], serious, &region("430000"), 2025).is_some());
    let zero = [mk(0.0)];
    let c = choose(&zero, serious, &region("430100"), 2026).unwrap_or_else(|| panic!("zero carries and inherits"));
    assert_eq!(c.target.year, 2025);
}

#[test]
fn status_paces_cumulative_figures_through_the_year() {
    let coverage = ind("inspection_coverage_high_risk");
    let half = 0.5;
    assert_eq!(status(coverage, Some(50.0), Some(100.0), half, 5.0), Status::OnTrack);
    assert_eq!(status(coverage, Some(46.0), Some(100.0), half, 5.0), Status::AtRisk);
    assert_eq!(status(coverage, Some(30.0), Some(100.0), half, 5.0), Status::OffTrack);
    let insurance = ind("insurance_coverage");
    assert_eq!(status(insurance, Some(66.7), Some(100.0), half, 5.0), Status::OffTrack, "not paced");
    let deaths = ind("accident_deaths");
    assert_eq!(status(deaths, Some(40.0), Some(85.0), half, 5.0), Status::OnTrack);
    assert_eq!(status(deaths, Some(60.0), Some(85.0), half, 5.0), Status::AtRisk);
    assert_eq!(status(deaths, Some(90.0), Some(85.0), half, 5.0), Status::OffTrack);
    let serious = ind("serious_accidents");
    assert_eq!(status(serious, Some(0.0), Some(0.0), half, 5.0), Status::OnTrack);
    assert_eq!(status(serious, Some(1.0), Some(0.0), half, 5.0), Status::OffTrack);
    assert_eq!(status(serious, None, Some(0.0), half, 5.0), Status::NoData);
    assert_eq!(status(serious, Some(1.0), None, half, 5.0), Status::NoTarget);
}

#[test]
fn the_share_of_the_year_counts_days() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"));
    assert!((year_share(2026, d("2026-07-02")) - 183.0 / 365.0).abs() < 1e-9);
    assert!((year_share(2025, d("2026-01-05")) - 1.0).abs() < 1e-9);
}
