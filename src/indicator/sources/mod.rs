//! The indicators' sources: one grouped query per indicator over the records of the
//! module that keeps them (the register, the ledger, accidents, draws, cases, and the
//! filing and certificate modules), answering [`Flow`]s or, for figures that are a
//! state on a day (insurance cover, plans filed, certificates held), one snapshot per
//! month. [`all`] runs them for a year, everywhere or within one region.

mod accidents;
mod ledger;
mod procedure;
mod register;

use super::counts::Within;
use super::flow::{Figure, Flow, figures};
use super::period::{Sql, Year};
use super::rules::IndicatorCode;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

/// Every stored indicator's figures for the year.
pub async fn all<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<(IndicatorCode, Figure)>> {
    use IndicatorCode as I;
    let mut out = Vec::new();
    let mut add = |code: IndicatorCode, figs: Vec<Figure>| out.extend(figs.into_iter().map(|f| (code, f)));
    add(I::InspectionCoverageHighRisk, figures(&register::inspected(db, within, y).await?, y));
    add(I::StandardizationRate, figures(&register::standardised(db, within, y).await?, y));
    add(I::InsuranceCoverage, register::insured(db, within, y).await?);
    add(I::HazardRectificationRate, figures(&ledger::rectified(db, within, y).await?, y));
    add(I::MajorHazardOnTimeRate, figures(&ledger::majors_on_time(db, within, y).await?, y));
    let acc = accidents::flows(db, within, y).await?;
    add(I::AccidentDeaths, figures(&acc.deaths, y));
    add(I::RelativelySeriousAccidents, figures(&acc.relatively_serious, y));
    add(I::SeriousAccidents, figures(&acc.serious, y));
    add(I::DoubleRandomPublishedOnTime, figures(&procedure::draws_published(db, within, y).await?, y));
    add(I::PenaltyPublishedOnTime, figures(&procedure::penalties_published(db, within, y).await?, y));
    add(I::CasesWithin90Days, figures(&procedure::cases_in_time(db, within, y).await?, y));
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
