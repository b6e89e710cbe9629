//! Figures over the register: the high-risk enterprises inspected, the
//! above-size enterprises standardised, the mandatory enterprises insured.
//!
//! Decisions:
//! - The denominators are today's register (open enterprises, the flags as they are
//!   now) for every month: the register keeps no history of 规模以上 or of sectors.
//! - Standardisation counts 一级/二级/三级 (达标) from its date; a grade with no date
//!   counts from before the year.
//! - Insurance cover is the coverage page's own rule (mandatory, open, an active
//!   policy at the floor for every employee) taken on each month's as-of day.

use super::{Sql, Within, Year, flows, within_sql};
use crate::enterprise::domain::StandardizationGrade;
use crate::error::AppResult;
use crate::indicator::counts::RegionCount;
use crate::indicator::flow::{Figure, Flow, NEVER};
use crate::indicator::rules;
use crate::insurance::rules::any_listed_sql;
use crate::insurance::uninsured::covered_sql;
use sea_orm::ConnectionTrait;
use std::fmt::Write;

/// The 高危行业 as SQL over `e` (codes from the data file, safe to inline).
pub(super) fn high_risk_sql() -> AppResult<String> {
    let h = &rules::data()?.high_risk;
    let sectors: Vec<String> = h.sectors.iter().map(|s| format!("'{}'", s.as_str())).collect();
    let mut parts = Vec::new();
    if !sectors.is_empty() {
        parts.push(format!("e.sector IN ({})", sectors.join(", ")));
    }
    if !h.sub_types.is_empty() {
        let codes: Vec<&str> = h.sub_types.iter().map(|s| s.as_str()).collect();
        parts.push(any_listed_sql("e.sub_types", &codes));
    }
    Ok(if parts.is_empty() { "1 = 0".to_owned() } else { format!("({})", parts.join(" OR ")) })
}

/// High-risk, above-size, open enterprises: entered before the year, done the month
/// of their first completed inspection in it.
pub async fn inspected<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Flow>> {
    let mut s = Sql::default();
    s.push("SELECT t.region_code AS r, t.sector AS s, 0 AS a, ");
    s.timestamp_month("t.first_done", y, NEVER);
    s.push(
        " AS b, COUNT(*) AS n FROM (SELECT e.region_code, e.sector, \
         (SELECT MIN(i.completed_at) FROM inspections i WHERE i.enterprise_id = e.id AND i.status = 'completed' \
         AND i.completed_at >= ",
    );
    s.bind(crate::clock::china_day_start(y.start())).push(" AND i.completed_at < ");
    s.bind(crate::clock::china_day_start(y.end()));
    let _ =
        write!(s.text, ") AS first_done FROM enterprises e WHERE {} AND e.above_designated_size = ", high_risk_sql()?);
    s.bind(true).push(" AND e.status <> 'closed'");
    within_sql(&mut s, "e.region_code", within);
    s.push(") t GROUP BY 1, 2, 4");
    flows(db, s).await
}

/// Above-size, open enterprises: done from the date of a passing grade.
pub async fn standardised<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Flow>> {
    let passing: Vec<String> =
        [StandardizationGrade::Level1, StandardizationGrade::Level2, StandardizationGrade::Level3]
            .iter()
            .map(|g| format!("'{}'", g.as_str()))
            .collect();
    let mut s = Sql::default();
    let _ = write!(
        s.text,
        "SELECT e.region_code AS r, e.sector AS s, 0 AS a, CASE WHEN e.standardization_grade IN ({}) THEN ",
        passing.join(", ")
    );
    s.date_month("e.standardization_date", y, 0);
    let _ = write!(s.text, " ELSE {NEVER} END AS b, COUNT(*) AS n FROM enterprises e WHERE e.above_designated_size = ");
    s.bind(true).push(" AND e.status <> 'closed'");
    within_sql(&mut s, "e.region_code", within);
    s.push(" GROUP BY 1, 2, 4");
    flows(db, s).await
}

/// Mandatory, open enterprises and, per computed month, those covered on its
/// as-of day: one query, a column per month.
pub async fn insured<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Vec<Figure>> {
    let months: Vec<u32> = y.months().collect();
    if months.is_empty() {
        return Ok(Vec::new());
    }
    let rules = crate::insurance::rules::rules()?;
    let floor = rules.floor_sql("enterprises");
    let mut s = Sql::default();
    s.push("SELECT enterprises.region_code AS r, enterprises.sector AS s, COUNT(*) AS n");
    for m in &months {
        let _ = write!(s.text, ", SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS c{m}", covered_sql(&floor, y.as_of(*m)));
    }
    let _ = write!(
        s.text,
        " FROM enterprises WHERE {} AND enterprises.status <> 'closed'",
        rules.mandatory_sql("enterprises")
    );
    within_sql(&mut s, "enterprises.region_code", within);
    s.push(" GROUP BY 1, 2");
    let rows = db.query_all_raw(crate::db::raw(db.get_database_backend(), &s.text, s.values)).await?;
    let mut out = Vec::new();
    for row in &rows {
        let region_code: String = row.try_get("", "r")?;
        let sector: Option<String> = row.try_get("", "s")?;
        let n: i64 = row.try_get("", "n")?;
        for m in &months {
            let c: i64 = row.try_get("", &format!("c{m}"))?;
            out.push(Figure {
                month: *m,
                count: RegionCount {
                    region_code: region_code.clone(),
                    sector: sector.as_deref().and_then(|s| s.parse().ok()),
                    numerator: c,
                    denominator: n,
                },
            });
        }
    }
    Ok(out)
}
