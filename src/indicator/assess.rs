//! Judging a figure: its value from numerator and denominator, the target that
//! applies to a region and year, and the status against it. Pure functions of the
//! figures and the definitions, so the page, the API and the workbook agree.
//!
//! Decisions:
//! - **Which target.** A region's own target for the year; failing that, its nearest
//!   ancestor's (a province's 100 % applies to its cities) — except an absolute
//!   count above zero (a province's 50 deaths is not each city's). A target for an
//!   earlier year of the same indicator carries over while no newer one is entered
//!   (shown as 沿用), but only an absolute one: a change is against a base year. A
//!   bureau's own target comes before the shipped plan's for the same region and year.
//! - **Change targets** (deaths −15 % against 2020) need the region's own baseline
//!   for the base year; without one the target has no value and the page says so.
//! - **Status** — see `data/indicators.toml` [status]: pro-rated by the share of the
//!   year gone for `paced` figures; 暂无数据 where there is no denominator.

use super::rules::{Direction, Indicator, Target, Unit};
use crate::coded::coded_enum;
use crate::enterprise::domain::RegionCode;
use chrono::{Datelike, NaiveDate};

coded_enum! {
    /// Where a figure stands against its target.
    pub enum IndicatorStatus in "指标状态" {
        OnTrack = "on_track" / "进度正常",
        AtRisk = "at_risk" / "有风险",
        OffTrack = "off_track" / "偏离目标",
        NoTarget = "no_target" / "未设目标",
        NoData = "no_data" / "暂无数据",
    }
}

/// The short name used in this module.
pub type Status = IndicatorStatus;

/// The value of a figure: a percentage with one decimal, a count, or a rate.
#[allow(clippy::cast_precision_loss)] // counts far below 2^52
pub fn value(unit: Unit, numerator: i64, denominator: Option<f64>) -> Option<f64> {
    match unit {
        Unit::Percent => denominator.filter(|d| *d > 0.0).map(|d| (numerator as f64 * 1000.0 / d).round() / 10.0),
        Unit::Persons | Unit::Count => Some(numerator as f64),
        Unit::Ratio => denominator.filter(|d| *d > 0.0).map(|d| (numerator as f64 / d * 10_000.0).round() / 10_000.0),
    }
}

/// The target that applies, and the region it was set for when that is an ancestor.
#[derive(Debug, Clone)]
pub struct Chosen<'a> {
    pub target: &'a Target,
    pub inherited_from: Option<String>,
}

fn inheritable(ind: &Indicator, t: &Target) -> bool {
    !(matches!(ind.unit, Unit::Persons | Unit::Count) && t.value.is_some_and(|v| v > 0.0))
}

/// The target for `region` and `year` from `targets` (bureaus' first, then shipped).
pub fn choose<'a>(targets: &'a [Target], ind: &Indicator, region: &RegionCode, year: i32) -> Option<Chosen<'a>> {
    let mut at = Some(region.clone());
    while let Some(r) = at {
        let own = r.as_str() == region.as_str();
        let mine = targets
            .iter()
            .filter(|t| t.indicator == ind.code && t.region == r.as_str() && (own || inheritable(ind, t)));
        let exact = mine.clone().find(|t| t.year == year);
        let carried = || mine.filter(|t| t.year < year && t.value.is_some()).max_by_key(|t| t.year);
        if let Some(target) = exact.or_else(carried) {
            return Some(Chosen { target, inherited_from: (!own).then(|| r.as_str().to_owned()) });
        }
        at = crate::bureau::regions::parent(&r);
    }
    None
}

/// The target's value: absolute, or the baseline changed by the percentage.
pub fn target_value(t: &Target, baseline: Option<f64>) -> Option<f64> {
    match (t.value, t.change_percent) {
        (Some(v), _) => Some(v),
        (None, Some(c)) => baseline.map(|b| (b * (1.0 + c / 100.0) * 100.0).round() / 100.0),
        (None, None) => None,
    }
}

/// The share of the year gone on `as_of` (1 for a year ended).
#[allow(clippy::cast_precision_loss)]
pub fn year_share(year: i32, as_of: NaiveDate) -> f64 {
    if as_of.year() > year {
        return 1.0;
    }
    let days = if NaiveDate::from_ymd_opt(year, 12, 31).is_some_and(|d| d.ordinal() == 366) { 366.0 } else { 365.0 };
    (f64::from(as_of.ordinal()) / days).min(1.0)
}

/// Where `value` stands against `target`, `share` of the year gone.
pub fn status(ind: &Indicator, value: Option<f64>, target: Option<f64>, share: f64, at_risk_points: f64) -> Status {
    let Some(v) = value else { return Status::NoData };
    let Some(t) = target else { return Status::NoTarget };
    let expected = if ind.paced { t * share } else { t };
    let (on_track, at_risk) = match ind.direction {
        Direction::Higher => (v >= expected - 1e-9, v >= expected - at_risk_points),
        Direction::Lower if t <= 0.0 => (v <= 0.0, false),
        Direction::Lower => (v <= expected + 1e-9, v <= t + 1e-9),
    };
    if on_track {
        Status::OnTrack
    } else if at_risk {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}

#[cfg(test)]
#[path = "assess_tests.rs"]
mod tests;
