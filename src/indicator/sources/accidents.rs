//! Figures over the accidents: deaths (the missing included, as the statistics count
//! them), 较大 accidents, and 重大 plus 特别重大 accidents, each the month it happened.
//! An accident is placed in its enterprise's region, or its bureau's when the operator
//! is not in the register (whose sector is then none).

use super::{Sql, Within, Year};
use crate::error::AppResult;
use crate::indicator::flow::{Flow, NEVER};
use sea_orm::ConnectionTrait;

#[derive(Debug, Default)]
pub struct Accidents {
    pub deaths: Vec<Flow>,
    pub relatively_serious: Vec<Flow>,
    pub serious: Vec<Flow>,
}

const PLACE: &str = "COALESCE(e.region_code, b.region_code)";

pub async fn flows<C: ConnectionTrait>(db: &C, within: &Within, y: &Year) -> AppResult<Accidents> {
    let mut s = Sql::default();
    s.push(&format!("SELECT {PLACE} AS r, e.sector AS s, "));
    s.timestamp_month("a.occurred_at", y, NEVER);
    s.push(
        " AS m, CAST(SUM(a.deaths + a.missing) AS BIGINT) AS d, \
         CAST(SUM(CASE WHEN a.grade = 'relatively_serious' THEN 1 ELSE 0 END) AS BIGINT) AS rs, \
         CAST(SUM(CASE WHEN a.grade IN ('serious', 'especially_serious') THEN 1 ELSE 0 END) AS BIGINT) AS se \
         FROM accidents a JOIN bureaus b ON b.id = a.bureau_id LEFT JOIN enterprises e ON e.id = a.enterprise_id \
         WHERE a.occurred_at >= ",
    );
    s.bind(crate::clock::china_day_start(y.start())).push(" AND a.occurred_at < ");
    s.bind(crate::clock::china_day_start(y.end()));
    super::within_sql(&mut s, PLACE, within);
    s.push(" GROUP BY 1, 2, 3");
    let rows = db.query_all_raw(crate::db::raw(db.get_database_backend(), &s.text, s.values)).await?;
    let mut out = Accidents::default();
    for r in &rows {
        let sector: Option<String> = r.try_get("", "s")?;
        let flow = |n: i64| -> AppResult<Flow> {
            let m: i32 = r.try_get("", "m")?;
            Ok(Flow {
                region_code: r.try_get("", "r")?,
                sector: sector.as_deref().and_then(|s| s.parse().ok()),
                entered: m,
                done: m,
                n,
            })
        };
        for (list, col) in [(&mut out.deaths, "d"), (&mut out.relatively_serious, "rs"), (&mut out.serious, "se")] {
            let n: i64 = r.try_get("", col)?;
            if n > 0 {
                list.push(flow(n)?);
            }
        }
    }
    Ok(out)
}
