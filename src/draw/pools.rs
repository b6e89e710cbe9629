//! The pools of a draw, read from the register as of the planned date: the
//! enterprises matching the filter (with the ineligible ones and why), the
//! certified, available inspectors, and the declared conflicts between them.
//!
//! Decisions where the issue is silent:
//! - "The bureau's enterprises" are those it supervises (`supervising_bureau_id`);
//!   with `include_subordinates` those of every bureau below it too. A regulator
//!   limited to some sectors draws only from those sectors.
//! - The region filter is a prefix: `420100` covers `4201xx`, `420000` covers `42xxxx`.
//! - `closed` enterprises are ineligible (`closed`); so are those whose counted
//!   inspections in the planned date's year have reached the cap of their class
//!   (`over_cap`), counted with one grouped query.
//! - Inspectors: users with the `inspector` role of the bureau (or below), not
//!   disabled, whose certificate is valid on the planned date and who are not
//!   absent that day. Experts are never in the pool. Two users with the same
//!   certificate number: the one with the lower id is kept (the number is the
//!   proof's key).
//! - Only the columns the pool needs are read (the sub-types and special topics only
//!   when the filter names some), and no query runs per row.

use crate::auth::{CurrentUser, Role, Scope};
use crate::draw::json::DrawFilter;
use crate::enterprise::domain::{EnterpriseStatus, Sector};
use crate::entities::user_role;
use crate::entities::{enterprise, inspection, inspector_absence as absence, inspector_conflict as conflict, user};
use crate::error::{AppError, AppResult};
use crate::inspection::governance::cap;
use chrono::NaiveDate;
use sea_orm::sea_query::{Condition, Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};

/// A matching enterprise as the pool reads it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub credit_code: String,
    pub sector: Sector,
    pub class: Option<String>,
    pub closed: bool,
    pub over_cap: bool,
}

/// A pool inspector.
#[derive(Debug, Clone)]
pub struct Person {
    pub user_id: i64,
    pub certificate_no: String,
    pub specialties: Vec<String>,
}

/// Where the pools come from: the drawing bureau (and below, when asked).
pub struct Reach<'a> {
    pub bureau_id: i64,
    pub path: &'a str,
    pub below: bool,
    pub sectors: Option<&'a [String]>,
}

impl<'a> Reach<'a> {
    pub fn of(user: &'a CurrentUser, below: bool) -> AppResult<Self> {
        let bureau_id = user.bureau.as_ref().ok_or(AppError::Forbidden)?.id;
        let Scope::Bureaus { path, sectors } = &user.scope else { return Err(AppError::Forbidden) };
        Ok(Self { bureau_id, path, below, sectors: sectors.as_deref() })
    }

    fn bureaus(&self, col: impl ColumnTrait) -> Condition {
        if self.below {
            Condition::all().add(col.in_subquery(crate::scope::subtree(self.path)))
        } else {
            Condition::all().add(col.eq(self.bureau_id))
        }
    }
}

/// The region code as a prefix: trailing pairs of zeros dropped.
pub fn region_prefix(region: &str) -> &str {
    let mut p = region;
    while p.len() > 2 && p.ends_with("00") {
        p = &p[..p.len() - 2];
    }
    p
}

fn enterprise_condition(reach: &Reach<'_>, f: &DrawFilter) -> Condition {
    let mut c = reach.bureaus(enterprise::Column::SupervisingBureauId);
    if let Some(s) = reach.sectors {
        c = c.add(enterprise::Column::Sector.is_in(s.iter().cloned()));
    }
    if let Some(r) = f.region.as_deref().filter(|r| !r.is_empty()) {
        c = c.add(crate::like::starts_with(enterprise::Column::RegionCode, region_prefix(r)));
    }
    if !f.sectors.is_empty() {
        c = c.add(enterprise::Column::Sector.is_in(f.sectors.iter().copied()));
    }
    c
}

fn has_any(csv: &str, wanted: &[&str]) -> bool {
    wanted.is_empty() || csv.split(',').any(|c| wanted.contains(&c.trim()))
}

/// One matching enterprise as the packed read gives it.
struct Row<'a> {
    id: i64,
    credit_code: &'a str,
    sector: &'a str,
    status: &'a str,
    class: &'a str,
    sub_types: &'a str,
    special_topics: &'a str,
}

/// Ids per packed chunk: about a megabyte of text each.
const PACK: i64 = 16_384;

/// The matching enterprises' pool fields as packed text: one aggregate row per
/// [`PACK`] ids, records separated by U+001E and fields by U+001F. The database
/// concatenates, so a million enterprises cross the driver as about sixty strings
/// instead of a million rows (decoding a row through the driver costs more than a
/// microsecond, which alone would spend half of a million-enterprise commit's 3 s).
/// The fields are codes, digits and credit codes, which never hold the separators.
async fn packed<C: ConnectionTrait>(db: &C, cond: Condition, fields: &[&str]) -> AppResult<Vec<String>> {
    let backend = db.get_database_backend();
    let (agg, chr) = match backend {
        DbBackend::Postgres => ("string_agg", "chr"),
        _ => ("group_concat", "char"),
    };
    let joined = fields.join(&format!(" || {chr}(31) || "));
    let stmt = Query::select()
        .expr_as(Expr::cust(format!("{agg}({joined}, {chr}(30))")), "p")
        .from(enterprise::Entity)
        .cond_where(cond)
        .add_group_by([Expr::cust(format!("id / {PACK}"))])
        .to_owned();
    let rows = db.query_all_raw(backend.build(&stmt)).await?;
    Ok(rows.iter().map(|r| r.try_get::<String>("", "p")).collect::<Result<_, _>>()?)
}

/// The records of the packed chunks, by id.
fn unpack(chunks: &[String]) -> AppResult<Vec<Row<'_>>> {
    let mut rows = Vec::new();
    for record in chunks.iter().flat_map(|c| c.split('\u{1e}')) {
        let f: Vec<&str> = record.split('\u{1f}').collect();
        let [id, credit_code, sector, status, class, sub_types, special_topics] = f[..] else {
            return Err(AppError::Internal(anyhow::anyhow!("malformed packed enterprise record")));
        };
        let id = id.parse().map_err(|_| AppError::Internal(anyhow::anyhow!("malformed packed enterprise id")))?;
        rows.push(Row { id, credit_code, sector, status, class, sub_types, special_topics });
    }
    rows.sort_unstable_by_key(|r| r.id);
    Ok(rows)
}

/// The enterprises matching the filter, by id, flagged closed or over their cap in `year`.
pub async fn enterprises<C: ConnectionTrait>(
    db: &C,
    reach: &Reach<'_>,
    f: &DrawFilter,
    year: i32,
) -> AppResult<Vec<Candidate>> {
    let cond = enterprise_condition(reach, f);
    let subs: Vec<&str> = f.sub_types.iter().map(|s| s.as_str()).collect();
    let topics: Vec<&str> = f.special_topics.iter().map(|s| s.as_str()).collect();
    // The sub-types and topics are read only when the filter names some.
    let read = |wanted: bool, col: &'static str| if wanted { col } else { "''" };
    let fields = [
        "CAST(id AS TEXT)",
        "credit_code",
        "sector",
        "status",
        "COALESCE(supervision_class, '')",
        read(!subs.is_empty(), "sub_types"),
        read(!topics.is_empty(), "special_topics"),
    ];
    let chunks = packed(db, cond.clone(), &fields).await?;
    let rows = unpack(&chunks)?;
    let counted = counted_in_year(db, cond, year).await?;
    let caps = cap::caps();
    let closed = EnterpriseStatus::Closed.as_str();
    rows.into_iter()
        .filter(|r| has_any(r.sub_types, &subs) && has_any(r.special_topics, &topics))
        .map(|r| {
            let class = caps.class_by_code(Some(r.class).filter(|c| !c.is_empty()));
            let used = counted.get(&r.id).copied().unwrap_or(0);
            Ok(Candidate {
                over_cap: class.is_some_and(|k| used >= i64::from(k.yearly_cap)),
                class: class.map(|k| k.code.clone()),
                closed: r.status == closed,
                id: r.id,
                credit_code: r.credit_code.to_owned(),
                sector: r.sector.parse().map_err(|_| AppError::Internal(anyhow::anyhow!("unknown sector code")))?,
            })
        })
        .collect()
}

/// Counted inspections in `year` per enterprise matching `cond`: one grouped query,
/// driven by the year's inspections and joined to their enterprises (an `IN` over a
/// million-enterprise subquery would cost more than the whole count).
pub async fn counted_in_year<C: ConnectionTrait>(db: &C, cond: Condition, year: i32) -> AppResult<HashMap<i64, i64>> {
    use inspection::Column as I;
    let (from, to) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
    let rows: Vec<(i64, i64)> = inspection::Entity::find()
        .select_only()
        .column(I::EnterpriseId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .join(
            JoinType::InnerJoin,
            inspection::Entity::belongs_to(enterprise::Entity).from(I::EnterpriseId).to(enterprise::Column::Id).into(),
        )
        .filter(I::CountsAgainstCap.eq(true))
        .filter(I::Status.is_in(cap::COUNTED))
        .filter(I::PlannedDate.between(from, to))
        .filter(cond)
        .group_by(I::EnterpriseId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The certified inspectors available on `day`, by certificate number.
pub async fn inspectors<C: ConnectionTrait>(db: &C, reach: &Reach<'_>, day: NaiveDate) -> AppResult<Vec<Person>> {
    use user::Column as U;
    let holders = Query::select()
        .column(user_role::Column::UserId)
        .from(user_role::Entity)
        .and_where(user_role::Column::Role.eq(Role::Inspector.as_str()))
        .to_owned();
    let away = Query::select()
        .column(absence::Column::UserId)
        .from(absence::Entity)
        .and_where(absence::Column::FromDate.lte(day))
        .and_where(absence::Column::ToDate.gte(day))
        .to_owned();
    let rows: Vec<(i64, Option<String>, Option<String>)> = user::Entity::find()
        .select_only()
        .columns([U::Id, U::CertificateNo, U::Specialties])
        .filter(reach.bureaus(U::BureauId))
        .filter(U::Disabled.eq(false))
        .filter(U::Id.in_subquery(holders))
        .filter(U::Id.not_in_subquery(away))
        .filter(U::CertificateNo.is_not_null())
        .filter(U::CertificateValidUntil.gte(day))
        .order_by_asc(U::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut seen = HashSet::new();
    let mut out: Vec<Person> = rows
        .into_iter()
        .filter_map(|(user_id, no, specialties)| {
            let no = no.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty())?;
            if !seen.insert(no.clone()) {
                return None;
            }
            let mut s: Vec<String> = specialties
                .unwrap_or_default()
                .split(',')
                .filter_map(|c| c.trim().parse::<Sector>().ok())
                .map(|s| s.as_str().to_owned())
                .collect();
            s.sort_unstable();
            s.dedup();
            Some(Person { user_id, certificate_no: no, specialties: s })
        })
        .collect();
    out.sort_unstable_by(|a, b| a.certificate_no.as_bytes().cmp(b.certificate_no.as_bytes()));
    Ok(out)
}

/// The live declared conflicts between pool inspectors and pool enterprises, as
/// (enterprise id, certificate number), sorted, no pair twice.
pub async fn exclusions<C: ConnectionTrait, S: std::hash::BuildHasher>(
    db: &C,
    people: &[Person],
    enterprises: &HashSet<i64, S>,
) -> AppResult<Vec<(i64, String)>> {
    let cert: HashMap<i64, &str> = people.iter().map(|p| (p.user_id, p.certificate_no.as_str())).collect();
    let mut out = Vec::new();
    for chunk in people.chunks(5_000) {
        let rows: Vec<(i64, i64)> = conflict::Entity::find()
            .select_only()
            .columns([conflict::Column::UserId, conflict::Column::EnterpriseId])
            .filter(conflict::Column::WithdrawnAt.is_null())
            .filter(conflict::Column::UserId.is_in(chunk.iter().map(|p| p.user_id)))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(
            rows.into_iter()
                .filter(|(_, e)| enterprises.contains(e))
                .filter_map(|(u, e)| cert.get(&u).map(|c| (e, (*c).to_owned()))),
        );
    }
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.as_bytes().cmp(b.1.as_bytes())));
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::region_prefix;

    #[test]
    fn a_region_with_trailing_zeros_covers_its_subdivisions() {
        assert_eq!(region_prefix("420103"), "420103");
        assert_eq!(region_prefix("420100"), "4201");
        assert_eq!(region_prefix("420000"), "42");
        assert_eq!(region_prefix("000000"), "00");
    }
}
