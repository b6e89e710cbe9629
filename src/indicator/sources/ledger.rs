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

use super::Rec;
use super::{Sql, Within, Year, flows, within_sql};
use crate::clock::china_date;
use crate::error::AppResult;
use crate::indicator::flow::{Flow, NEVER};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

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

/// The year's majors (deadline in the year), within the region: entered the day
/// after the deadline or when rectified, done when rectified by the deadline.
pub async fn majors_on_time<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Rec>> {
    let mut s = Sql::default();
    s.push(
        "SELECT h.id, h.title, h.region_code, h.sector, h.deadline, CASE WHEN h.status IN ('pending_verification', 'closed') \
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
            let rectified = at.map(china_date);
            let deadline: NaiveDate = r.try_get("", "deadline")?;
            let due = deadline.succ_opt().unwrap_or(deadline);
            let id: i64 = r.try_get("", "id")?;
            Ok(Rec {
                id,
                region_code: r.try_get("", "region_code")?,
                sector: r.try_get("", "sector")?,
                entered: rectified.map_or(due, |d| Ord::min(d, due)),
                done: rectified.filter(|d| *d <= deadline),
                label: r.try_get("", "title")?,
                detail: format!(
                    "整改期限 {deadline}；{}",
                    rectified.map_or_else(|| "尚未完成整改".to_owned(), |d| format!("{d} 完成整改"))
                ),
                href: format!("/hazards/{id}"),
            })
        })
        .collect()
}
