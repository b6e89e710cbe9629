//! Who enters inputs ([`Enterer`]: a regulator, for its bureau's region and below)
//! and the checks of one entry, every problem at once in Chinese, shared by the
//! API, the pages and the imports (each row of a workbook is checked by the same
//! function, its problems placed under the column of the field).

use super::json::{BaselineInput, DenominatorInput, TargetInput};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::domain::RegionCode;
use crate::entities::bureau;
use crate::error::{AppResult, FieldErrors};
use crate::indicator::rules::{self, Unit};
use sea_orm::ConnectionTrait;

/// The years an entry may be for (as the shipped targets).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// The largest 地区生产总值 accepted, 亿元 (above China's whole GDP).
pub const MAX_GDP: f64 = 2_000_000.0;
/// The most 工矿商贸就业人员 accepted.
pub const MAX_WORKERS: i64 = 200_000_000;
/// The largest baseline or absolute target accepted (deaths, counts, rates).
pub const MAX_VALUE: f64 = 1_000_000_000.0;
/// Characters of a source note, a plan's name and a line.
pub const TEXT: usize = crate::limits::NAME;
/// The same words for a malformed region and one outside the bureau's territory.
pub const UNKNOWN_REGION: &str = "地区代码不存在或不在本局辖区内";

/// A regulator entering inputs for its bureau's region and the regions below.
#[derive(Debug, Clone)]
pub struct Enterer {
    pub user_id: i64,
    pub bureau: bureau::Model,
}

impl Enterer {
    /// The regulator `user` (403 for anyone else, before any body is read).
    pub async fn of<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<Self> {
        user.require_any(&[Role::Regulator])?;
        Ok(Self { user_id: user.id, bureau: crate::scope::own_bureau(db, user).await? })
    }

    /// Whether `code` is a region this bureau covers.
    pub fn covers(&self, code: &str) -> bool {
        covers(&self.bureau, code)
    }
}

/// Whether bureau `b` covers region `code` (its own region or one below).
pub fn covers(b: &bureau::Model, code: &str) -> bool {
    RegionCode::parse(code.trim()).is_ok_and(|r| crate::bureau::covers_region(b, &r))
}

fn push(f: &mut FieldErrors, field: &str, message: impl Into<String>) {
    f.entry(field.to_owned()).or_default().push(message.into());
}

fn common(f: &mut FieldErrors, who: &Enterer, region: &str, year: i32) {
    if !who.covers(region) {
        push(f, "region_code", UNKNOWN_REGION);
    }
    if !YEARS.contains(&year) {
        push(f, "year", format!("年份须在 {} 到 {} 之间", YEARS.start(), YEARS.end()));
    }
}

fn text(f: &mut FieldErrors, field: &str, label: &str, value: &str) {
    if value.trim().is_empty() {
        push(f, field, format!("请填写{label}"));
    }
    crate::limits::check(f, field, label, Some(value), TEXT);
}

/// The problems of a denominators entry.
pub fn denominator(who: &Enterer, d: &DenominatorInput) -> FieldErrors {
    let mut f = FieldErrors::new();
    common(&mut f, who, &d.region_code, d.year);
    if d.gdp_100m_yuan.is_none() && d.industrial_workers.is_none() {
        push(&mut f, "gdp_100m_yuan", "地区生产总值和工矿商贸就业人员至少填写一项");
    }
    if let Some(g) = d.gdp_100m_yuan
        && !(g.is_finite() && g > 0.0 && g <= MAX_GDP)
    {
        push(&mut f, "gdp_100m_yuan", format!("地区生产总值须大于 0 且不超过 {MAX_GDP} 亿元"));
    }
    if let Some(w) = d.industrial_workers
        && !(1..=MAX_WORKERS).contains(&w)
    {
        push(&mut f, "industrial_workers", format!("工矿商贸就业人员须在 1 到 {MAX_WORKERS} 人之间"));
    }
    text(&mut f, "source", "来源", &d.source);
    f
}

/// The indicator a code names, or its problem under `indicator`.
fn indicator<'a>(f: &mut FieldErrors, data: &'a rules::Indicators, code: &str) -> Option<&'a rules::Indicator> {
    let found = data.indicator(code.trim());
    if found.is_none() {
        push(f, "indicator", "没有这项指标");
    }
    found
}

/// The problems of a baseline entry.
pub fn baseline(who: &Enterer, data: &rules::Indicators, b: &BaselineInput) -> FieldErrors {
    let mut f = FieldErrors::new();
    common(&mut f, who, &b.region_code, b.year);
    indicator(&mut f, data, &b.indicator);
    if !(b.value.is_finite() && (0.0..=MAX_VALUE).contains(&b.value)) {
        push(&mut f, "value", format!("基数须在 0 到 {MAX_VALUE} 之间"));
    }
    text(&mut f, "source", "来源", &b.source);
    f
}

/// The problems of a target: the rule of the shipped targets (`rules::Indicators::check`):
/// either a value ≥ 0 (≤ 100 for a percentage), or a change of −100 % to 1000 % against
/// an earlier base year, never both.
pub fn target(who: &Enterer, data: &rules::Indicators, t: &TargetInput) -> FieldErrors {
    let mut f = FieldErrors::new();
    common(&mut f, who, &t.region_code, t.year);
    let unit = indicator(&mut f, data, &t.indicator).map(|i| i.unit);
    match (t.value, t.change_percent, t.base_year) {
        (Some(v), None, None) => {
            let max = if unit == Some(Unit::Percent) { 100.0 } else { MAX_VALUE };
            if !(v.is_finite() && (0.0..=max).contains(&v)) {
                push(&mut f, "value", format!("目标值须在 0 到 {max} 之间"));
            }
        }
        (None, Some(c), base) => {
            if !(c.is_finite() && (-100.0..=1000.0).contains(&c)) {
                push(&mut f, "change_percent", "变化幅度须在 −100% 到 1000% 之间");
            }
            match base {
                None => push(&mut f, "base_year", "按变化幅度设定目标时须填写基期年份"),
                Some(b) if b >= t.year || !YEARS.contains(&b) => {
                    push(&mut f, "base_year", "基期年份须早于目标年份且不早于 2000 年");
                }
                Some(_) => {}
            }
        }
        (None, None, _) => push(&mut f, "value", "请填写目标值，或填写变化幅度和基期年份"),
        (Some(_), Some(_), _) | (Some(_), None, Some(_)) => {
            push(&mut f, "value", "目标值与变化幅度只能填写一项");
        }
    }
    text(&mut f, "plan", "规划名称", &t.plan);
    text(&mut f, "line", "出处", &t.line);
    f
}
