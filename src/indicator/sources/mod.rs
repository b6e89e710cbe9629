//! The indicators' sources: one grouped query per indicator over the records of the
//! module that keeps them (the register, the ledger, accidents, draws, cases, and the
//! filing and certificate modules), answering [`Flow`]s or, for figures that are a
//! state on a day (insurance cover, plans filed, certificates held), one snapshot per
//! month. [`all`] runs them for a year, everywhere or within one region.

mod accidents;
mod ledger;
mod procedure;
mod records;
mod register;
mod register_records;

pub use records::{RECORDS_CAP, records};

use super::counts::Within;
use super::flow::{Figure, Flow, figures, snapshot};
use super::flow::{NEVER, month_of};
use super::period::{Sql, Year};
use super::rules::IndicatorCode;
use crate::error::AppResult;
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use std::collections::BTreeMap;

/// One record of a source computed record by record (a deadline to meet): where it
/// is, the day it entered the denominator and the day it was done, and what the
/// drill-down shows of it.
#[derive(Debug, Clone)]
pub struct Rec {
    pub id: i64,
    pub region_code: String,
    pub sector: Option<String>,
    pub entered: NaiveDate,
    pub done: Option<NaiveDate>,
    pub label: String,
    pub detail: String,
    pub href: String,
}

impl Rec {
    /// Entered within the year and placed within the region.
    fn within(&self, y: Year, within: &Within) -> bool {
        self.entered >= y.start()
            && self.entered < y.end()
            && within.bounds().is_none_or(|(low, high)| self.region_code >= low && self.region_code <= high)
    }

    /// Counted as of the computation (entered and done by `y.today`).
    pub fn counted(&self, y: &Year) -> Option<bool> {
        (self.entered <= y.today).then(|| self.done.is_some_and(|d| d <= y.today))
    }
}

/// Flows from records: a day after `y.today` has not happened yet (never, as of the computation).
pub fn group(y: &Year, recs: &[Rec]) -> Vec<Flow> {
    let month = |d: NaiveDate| if d > y.today { NEVER } else { month_of(d, y) };
    let mut groups: BTreeMap<(&str, Option<&str>, i32, i32), i64> = BTreeMap::new();
    for r in recs {
        let key = (r.region_code.as_str(), r.sector.as_deref(), month(r.entered), r.done.map_or(NEVER, month));
        *groups.entry(key).or_default() += 1;
    }
    groups
        .into_iter()
        .map(|((r, s, a, b), n)| Flow {
            region_code: r.to_owned(),
            sector: s.and_then(|s| s.parse().ok()),
            entered: a,
            done: b,
            n,
        })
        .collect()
}

/// Every stored indicator's figures for the year.
pub async fn all<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<(IndicatorCode, Figure)>> {
    use IndicatorCode as I;
    let mut out = Vec::new();
    let mut add = |code: IndicatorCode, figs: Vec<Figure>| out.extend(figs.into_iter().map(|f| (code, f)));
    add(I::InspectionCoverageHighRisk, figures(&register::inspected(db, within, y).await?, y));
    add(I::StandardizationRate, figures(&register::standardised(db, within, y).await?, y));
    add(I::InsuranceCoverage, register::insured(db, within, y).await?);
    add(I::HazardRectificationRate, figures(&ledger::rectified(db, within, y).await?, y));
    add(I::MajorHazardOnTimeRate, figures(&group(y, &ledger::majors_on_time(db, within, y).await?), y));
    let acc = accidents::flows(db, within, y).await?;
    add(I::AccidentDeaths, figures(&acc.deaths, y));
    add(I::RelativelySeriousAccidents, figures(&acc.relatively_serious, y));
    add(I::SeriousAccidents, figures(&acc.serious, y));
    add(I::DoubleRandomPublishedOnTime, figures(&group(y, &procedure::draws_published(db, within, y).await?), y));
    add(I::PenaltyPublishedOnTime, figures(&group(y, &procedure::penalties_published(db, within, y).await?), y));
    add(I::CasesWithin90Days, figures(&group(y, &procedure::cases_in_time(db, within, y).await?), y));
    for m in y.months() {
        let day = y.as_of(m);
        let certified = crate::special_operation::indicator::counts(db, within, day).await?;
        add(I::SpecialOperationCertifiedRate, snapshot(m, certified).collect());
        let filed = crate::emergency_plan::indicator::counts(db, within, day).await?;
        add(I::EmergencyPlanFilingRate, snapshot(m, filed).collect());
    }
    Ok(out)
}

/// `AND <col> BETWEEN low AND high` when counting within a region.
fn within_sql(sql: &mut Sql, col: &str, within: &Within) {
    if let Some((low, high)) = within.bounds() {
        sql.push(&format!(" AND {col} BETWEEN ")).bind(low).push(" AND ").bind(high);
    }
}

/// Runs a statement answering `r` (region), `s` (sector code or NULL), `a` (month
/// entered), `b` (month done) and `n`.
async fn flows<C: ConnectionTrait>(db: &C, sql: Sql) -> AppResult<Vec<Flow>> {
    let rows = db.query_all_raw(crate::db::raw(db.get_database_backend(), &sql.text, sql.values)).await?;
    rows.iter()
        .map(|r| {
            let sector: Option<String> = r.try_get("", "s")?;
            Ok(Flow {
                region_code: r.try_get("", "r")?,
                sector: sector.and_then(|s| s.parse().ok()),
                entered: r.try_get("", "a")?,
                done: r.try_get("", "b")?,
                n: r.try_get("", "n")?,
            })
        })
        .collect()
}
