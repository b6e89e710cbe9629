//! The enterprises behind the register's figures: the same predicates as
//! [`super::register`], listed with whether each is counted — those still to do
//! (not inspected, not standardised, not insured) first.

use super::{Sql, Within, Year, within_sql};
use crate::error::AppResult;
use crate::indicator::counts::{Record, Records};
use sea_orm::ConnectionTrait;
use std::fmt::Write;

/// Which register figure.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Inspected,
    Standardised,
    Insured,
}

/// `SELECT <columns> FROM enterprises WHERE <the figure's denominator>`, with the
/// counted flag and a note as columns `c` and `note`.
fn query(kind: Kind, y: Year, within: &Within, sectors: Option<&[String]>, count_only: bool) -> AppResult<Sql> {
    let mut s = Sql::default();
    s.push(if count_only { "SELECT " } else { "SELECT * FROM (SELECT " });
    if count_only {
        s.push("COUNT(*) AS n");
    } else {
        s.push("enterprises.id, enterprises.name, enterprises.credit_code, enterprises.region_code, ");
        match kind {
            Kind::Inspected => {
                s.push("(SELECT CAST(MIN(i.completed_at) AS TEXT) FROM inspections i WHERE i.enterprise_id = enterprises.id \
                        AND i.status = 'completed' AND i.completed_at >= ");
                s.bind(crate::clock::china_day_start(y.start())).push(" AND i.completed_at < ");
                s.bind(crate::clock::china_day_start(y.end())).push(") AS note");
            }
            Kind::Standardised => {
                s.push(
                    "CASE WHEN enterprises.standardization_grade IN ('level1', 'level2', 'level3') THEN \
                        enterprises.standardization_grade END AS note",
                );
            }
            Kind::Insured => {
                let r = crate::insurance::rules::rules()?;
                let covered = crate::insurance::uninsured::covered_sql(
                    &r.floor_sql("enterprises"),
                    y.as_of(y.last_month().max(1)),
                );
                let _ = write!(s.text, "CASE WHEN {covered} THEN 'covered' END AS note");
            }
        }
    }
    s.push(" FROM enterprises WHERE enterprises.status <> 'closed'");
    match kind {
        Kind::Inspected => {
            let hr = super::register::high_risk_sql()?.replace("e.", "enterprises.");
            let _ = write!(s.text, " AND {hr} AND enterprises.above_designated_size = ");
            s.bind(true);
        }
        Kind::Standardised => {
            s.push(" AND enterprises.above_designated_size = ").bind(true);
        }
        Kind::Insured => {
            let _ = write!(s.text, " AND {}", crate::insurance::rules::rules()?.mandatory_sql("enterprises"));
        }
    }
    within_sql(&mut s, "enterprises.region_code", within);
    super::records::sectors_sql(&mut s, "enterprises.sector", sectors);
    if !count_only {
        s.push(") t ORDER BY (t.note IS NOT NULL), t.id LIMIT ").bind(i64::try_from(super::RECORDS_CAP).unwrap_or(500));
    }
    Ok(s)
}

pub async fn records<C: ConnectionTrait>(
    db: &C,
    kind: Kind,
    y: &Year,
    within: &Within,
    sectors: Option<&[String]>,
) -> AppResult<Records> {
    let backend = db.get_database_backend();
    let count = query(kind, *y, within, sectors, true)?;
    let total: i64 = match db.query_one_raw(crate::db::raw(backend, &count.text, count.values)).await? {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    let list = query(kind, *y, within, sectors, false)?;
    let rows = db.query_all_raw(crate::db::raw(backend, &list.text, list.values)).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("", "id")?;
        let note: Option<String> = r.try_get("", "note")?;
        let credit: String = r.try_get("", "credit_code")?;
        let (detail, href) = match kind {
            Kind::Inspected => (
                note.as_deref().map_or_else(
                    || "本年度尚未完成执法检查".to_owned(),
                    |d| format!("首次完成检查 {}", d.get(..10).unwrap_or(d)),
                ),
                format!("/enterprises/{id}/inspections"),
            ),
            Kind::Standardised => (
                note.as_deref()
                    .and_then(|g| g.parse::<crate::enterprise::domain::StandardizationGrade>().ok())
                    .map_or_else(|| "未达标（未定级）".to_owned(), |g| format!("安全生产标准化{}", g.zh())),
                format!("/enterprises/{id}"),
            ),
            Kind::Insured => (
                if note.is_some() {
                    "有有效足额保单".to_owned()
                } else {
                    "应投保而无有效足额保单".to_owned()
                },
                format!("/enterprises/{id}/insurance"),
            ),
        };
        items.push(Record {
            label: r.try_get("", "name")?,
            detail: format!("{credit} · {detail}"),
            region_code: r.try_get("", "region_code")?,
            counted: note.is_some(),
            href,
        });
    }
    Ok(Records { items, total: u64::try_from(total).unwrap_or(0) })
}
