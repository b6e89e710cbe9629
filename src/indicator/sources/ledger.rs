//! Figures over the hidden-hazard ledger.
//!
//! - `hazard_rectification_rate`: hazards found in the year (not dismissed, not
//!   voided) entering the month they were found, done the month they were closed.
//! - `major_hazard_on_time_rate`: major hazards whose deadline falls in the year,
//!   entering when the deadline has passed or when they were rectified, whichever
//!   comes first, done when rectified on or before the deadline. "Rectified" is the
//!   enterprise handing in completion (待验收) — the ledger's overdue rule: the wait
//!   for verification is not the enterprise's — or a closure without that step; a
//!   hazard sent back after a failed verification counts from its last hand-in, and
//!   one sent back and not handed in again is not rectified.

use super::{Sql, Within, Year, flows, within_sql};
use crate::clock::china_date;
use crate::error::AppResult;
use crate::indicator::flow::{Flow, NEVER, month_of};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use std::collections::BTreeMap;

const NOT_COUNTED: &str = "('dismissed', 'voided')";

pub async fn rectified<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Flow>> {
    let mut s = Sql::default();
    s.push("SELECT h.region_code AS r, h.sector AS s, ");
    s.timestamp_month("h.found_at", y, NEVER);
    s.push(" AS a, CASE WHEN h.status = 'closed' THEN ");
    s.timestamp_month("h.closed_at", y, NEVER);
    s.push(&format!(" ELSE {NEVER} END AS b, COUNT(*) AS n FROM hazards h WHERE h.found_at >= "));
    s.bind(crate::clock::china_day_start(y.start())).push(" AND h.found_at < ");
    s.bind(crate::clock::china_day_start(y.end()));
    s.push(&format!(" AND h.status NOT IN {NOT_COUNTED}"));
    within_sql(&mut s, "h.region_code", within);
    s.push(" GROUP BY 1, 2, 3, 4");
    flows(db, s).await
}

/// One major hazard: where, its deadline and when it was rectified.
#[derive(Debug)]
pub struct Major {
    pub id: i64,
    pub region_code: String,
    pub sector: Option<String>,
    pub deadline: NaiveDate,
    pub rectified_on: Option<NaiveDate>,
}

impl Major {
    /// `(entered, done)` days: entered the day after the deadline or when rectified.
    pub fn days(&self) -> (NaiveDate, Option<NaiveDate>) {
        let due = self.deadline.succ_opt().unwrap_or(self.deadline);
        let entered = self.rectified_on.map_or(due, |r| r.min(due));
        (entered, self.rectified_on.filter(|r| *r <= self.deadline))
    }
}

/// The year's majors (deadline in the year), within the region.
pub async fn majors<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Major>> {
    let mut s = Sql::default();
    s.push(
        "SELECT h.id, h.region_code, h.sector, h.deadline, CASE WHEN h.status IN ('pending_verification', 'closed') \
         THEN COALESCE((SELECT MAX(ev.at) FROM hazard_events ev WHERE ev.hazard_id = h.id \
         AND ev.to_status = 'pending_verification'), h.closed_at) END AS rectified_at \
         FROM hazards h WHERE h.level = 'major' AND h.deadline >= ",
    );
    s.bind(y.start()).push(" AND h.deadline < ").bind(y.end());
    s.push(&format!(" AND h.status NOT IN {NOT_COUNTED}"));
    within_sql(&mut s, "h.region_code", within);
    let rows = db.query_all_raw(crate::db::raw(db.get_database_backend(), &s.text, s.values)).await?;
    rows.iter()
        .map(|r| {
            let at: Option<DateTime<Utc>> = r.try_get("", "rectified_at")?;
            Ok(Major {
                id: r.try_get("", "id")?,
                region_code: r.try_get("", "region_code")?,
                sector: r.try_get("", "sector")?,
                deadline: r.try_get("", "deadline")?,
                rectified_on: at.map(china_date),
            })
        })
        .collect()
}

pub async fn majors_on_time<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Flow>> {
    let rows = majors(db, within, y).await?;
    Ok(group(
        y,
        rows.iter().map(|m| {
            let (entered, done) = m.days();
            (m.region_code.as_str(), m.sector.as_deref(), entered, done)
        }),
    ))
}

/// Flows from records' entering and done days: a day after `y.today` has not
/// happened yet (never, as of the computation).
pub fn group<'a>(
    y: &Year,
    records: impl Iterator<Item = (&'a str, Option<&'a str>, NaiveDate, Option<NaiveDate>)>,
) -> Vec<Flow> {
    let month = |d: NaiveDate| if d > y.today { NEVER } else { month_of(d, y) };
    let mut groups: BTreeMap<(&str, Option<&str>, i32, i32), i64> = BTreeMap::new();
    for (region, sector, entered, done) in records {
        let key = (region, sector, month(entered), done.map_or(NEVER, month));
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
