//! The records behind a figure, for the drill-down: the same predicates as the
//! figure's source, as of the computation's day, capped at [`RECORDS_CAP`] with
//! those still to do first. A record-by-record source lists exactly its [`Rec`]s.

use super::register_records::{self, Kind};
use super::{Rec, Sql, Within, Year, within_sql};
use crate::accident::domain::AccidentGrade;
use crate::error::AppResult;
use crate::indicator::counts::{Record, Records};
use crate::indicator::rules::IndicatorCode;
use sea_orm::ConnectionTrait;

/// Most records listed behind a figure.
pub const RECORDS_CAP: u64 = 500;

/// Records of a record-by-record source that count as of `y.today`, in the sectors.
fn from_recs(recs: Vec<Rec>, y: Year, sectors: Option<&[String]>) -> Records {
    let mut listed: Vec<(bool, Rec)> = recs
        .into_iter()
        .filter(|r| sectors.is_none_or(|s| r.sector.as_ref().is_some_and(|c| s.contains(c))))
        .filter_map(|r| r.counted(&y).map(|c| (c, r)))
        .collect();
    listed.sort_by_key(|(c, r)| (*c, r.entered, r.id));
    let total = listed.len() as u64;
    let items = listed
        .into_iter()
        .take(usize::try_from(RECORDS_CAP).unwrap_or(500))
        .map(|(counted, r)| Record {
            label: r.label,
            detail: r.detail,
            region_code: r.region_code,
            counted,
            href: r.href,
        })
        .collect();
    Records { items, total }
}

/// `AND <col> IN (the user's sectors)` when the user is limited to some.
pub(super) fn sectors_sql(s: &mut Sql, col: &str, sectors: Option<&[String]>) {
    if let Some(list) = sectors {
        s.push(&format!(" AND {col} IN ("));
        if list.is_empty() {
            s.push("NULL");
        }
        for (i, code) in list.iter().enumerate() {
            s.push(if i > 0 { ", " } else { "" }).bind(code.clone());
        }
        s.push(")");
    }
}

/// Runs `select` once for the total and once for the capped list.
async fn listed<C: ConnectionTrait>(
    db: &C,
    build: impl Fn(bool) -> Sql,
) -> AppResult<(u64, Vec<sea_orm::QueryResult>)> {
    let backend = db.get_database_backend();
    let count = build(true);
    let total: i64 = match db.query_one_raw(crate::db::raw(backend, &count.text, count.values)).await? {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    let list = build(false);
    Ok((u64::try_from(total).unwrap_or(0), db.query_all_raw(crate::db::raw(backend, &list.text, list.values)).await?))
}

async fn hazards<C: ConnectionTrait>(
    db: &C,
    y: &Year,
    within: &Within,
    sectors: Option<&[String]>,
) -> AppResult<Records> {
    let (total, rows) = listed(db, |count| {
        let mut s = Sql::default();
        s.push(if count {
            "SELECT COUNT(*) AS n"
        } else {
            "SELECT h.id, h.title, h.status, h.region_code, h.found_at"
        });
        s.push(" FROM hazards h WHERE h.found_at >= ").bind(crate::clock::china_day_start(y.start()));
        s.push(" AND h.found_at < ").bind(crate::clock::china_day_start(y.end()));
        s.push(" AND h.status NOT IN ('dismissed', 'voided')");
        within_sql(&mut s, "h.region_code", within);
        sectors_sql(&mut s, "h.sector", sectors);
        if !count {
            s.push(" ORDER BY (h.status = 'closed'), h.found_at, h.id LIMIT ")
                .bind(i64::try_from(RECORDS_CAP).unwrap_or(500));
        }
        s
    })
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("", "id")?;
        let status: crate::hazard::domain::Status = r
            .try_get::<String>("", "status")?
            .parse()
            .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("{e}")))?;
        let found = crate::clock::china_date(r.try_get("", "found_at")?);
        items.push(Record {
            label: r.try_get("", "title")?,
            detail: format!("{found} 发现 · {}", status.zh()),
            region_code: r.try_get("", "region_code")?,
            counted: status == crate::hazard::domain::Status::Closed,
            href: format!("/hazards/{id}"),
        });
    }
    Ok(Records { items, total })
}

async fn accidents<C: ConnectionTrait>(
    db: &C,
    code: IndicatorCode,
    y: &Year,
    within: &Within,
    sectors: Option<&[String]>,
) -> AppResult<Records> {
    const PLACE: &str = "COALESCE(e.region_code, b.region_code)";
    let (total, rows) = listed(db, |count| {
        let mut s = Sql::default();
        s.push(if count {
            "SELECT COUNT(*) AS n"
        } else {
            "SELECT a.id, COALESCE(e.name, a.operator_name, a.place) AS who, a.grade, a.deaths, a.missing, \
             a.occurred_at, COALESCE(e.region_code, b.region_code) AS region"
        });
        s.push(" FROM accidents a JOIN bureaus b ON b.id = a.bureau_id LEFT JOIN enterprises e ON e.id = a.enterprise_id WHERE a.occurred_at >= ");
        s.bind(crate::clock::china_day_start(y.start())).push(" AND a.occurred_at < ").bind(crate::clock::china_day_start(y.end()));
        within_sql(&mut s, PLACE, within);
        sectors_sql(&mut s, "e.sector", sectors);
        if !count {
            s.push(" ORDER BY a.occurred_at DESC, a.id LIMIT ").bind(i64::try_from(RECORDS_CAP).unwrap_or(500));
        }
        s
    })
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("", "id")?;
        let grade: AccidentGrade = r
            .try_get::<String>("", "grade")?
            .parse()
            .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("{e}")))?;
        let (deaths, missing): (i32, i32) = (r.try_get("", "deaths")?, r.try_get("", "missing")?);
        let occurred = crate::clock::china_date(r.try_get("", "occurred_at")?);
        let counted = match code {
            IndicatorCode::RelativelySeriousAccidents => grade == AccidentGrade::RelativelySerious,
            IndicatorCode::SeriousAccidents => {
                matches!(grade, AccidentGrade::Serious | AccidentGrade::EspeciallySerious)
            }
            _ => deaths + missing > 0,
        };
        items.push(Record {
            label: r.try_get("", "who")?,
            detail: format!("{occurred} · {} · 死亡 {deaths} 人、失踪 {missing} 人", grade.zh()),
            region_code: r.try_get("", "region")?,
            counted,
            href: format!("/accidents/{id}"),
        });
    }
    Ok(Records { items, total })
}

/// The records behind `code`'s figure for the year, within the region and sectors.
pub async fn records<C: ConnectionTrait>(
    db: &C,
    code: IndicatorCode,
    y: &Year,
    within: &Within,
    sectors: Option<&[String]>,
    user: &crate::auth::CurrentUser,
) -> AppResult<Records> {
    use IndicatorCode as I;
    match code {
        I::InspectionCoverageHighRisk => register_records::records(db, Kind::Inspected, y, within, sectors).await,
        I::StandardizationRate => register_records::records(db, Kind::Standardised, y, within, sectors).await,
        I::InsuranceCoverage => register_records::records(db, Kind::Insured, y, within, sectors).await,
        I::HazardRectificationRate => hazards(db, y, within, sectors).await,
        I::MajorHazardOnTimeRate => Ok(from_recs(super::ledger::majors_on_time(db, within, y).await?, *y, sectors)),
        I::AccidentDeaths
        | I::RelativelySeriousAccidents
        | I::SeriousAccidents
        | I::DeathsPer100mGdp
        | I::DeathsPer100kWorkers => accidents(db, code, y, within, sectors).await,
        I::DoubleRandomPublishedOnTime => {
            Ok(from_recs(super::procedure::draws_published(db, within, y).await?, *y, sectors))
        }
        I::PenaltyPublishedOnTime => {
            Ok(from_recs(super::procedure::penalties_published(db, within, y).await?, *y, sectors))
        }
        I::CasesWithin90Days => Ok(from_recs(super::procedure::cases_in_time(db, within, y).await?, *y, sectors)),
        I::SpecialOperationCertifiedRate => {
            let day = y.as_of(y.last_month().max(1));
            crate::special_operation::indicator::records(db, user, within, day, RECORDS_CAP).await
        }
        I::EmergencyPlanFilingRate => {
            let day = y.as_of(y.last_month().max(1));
            crate::emergency_plan::indicator::records(db, user, within, day, RECORDS_CAP).await
        }
    }
}
