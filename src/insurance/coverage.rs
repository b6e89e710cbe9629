//! 投保覆盖率: the mandatory enterprises of a bureau's scope, how many are covered
//! today and the rate, by sector and by region (county code), against the target
//! of every mandatory enterprise insured (100 %), as JSON and as a workbook.
//!
//! Set-based: one query per mandatory sector, grouped by county, run side by side
//! on the pool and summed by sector and by region, with the mandatory rule, the
//! floor and the cover as SQL ([`super::rules::Rules::mandatory_sql`],
//! [`super::uninsured::covered_sql`]), so the figures agree with the uninsured list
//! and the pure check. The pages and the API read [`figures_cached`]: the same
//! figures, reused while the register's and the policies' version (row counts and
//! latest `updated_at`, read by index) is unchanged — a province's figures cost
//! 0.2–0.4 s on SQLite, the check a few milliseconds (README, credit benchmark).
//!
//! Decisions:
//! - Closed enterprises do not count (they need not insure).
//! - `region` narrows the scope to a division (any level); it never widens it.
//! - The rate is `None` where nothing is mandatory (no rate, rather than 100 %).

use super::rules::rules;
use super::uninsured::covered_sql;
use crate::auth::CurrentUser;
use crate::enterprise::domain::{EnterpriseStatus, RegionCode, Sector};
use crate::entities::enterprise;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Select, Statement};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// The target share of mandatory enterprises insured, percent.
pub const TARGET_PERCENT: u32 = 100;

/// Filters of `GET /api/v1/insurance/coverage`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct InsuranceCoverageFilter {
    /// A region code (6 digits) within the caller's scope; the whole scope when absent.
    pub region: Option<String>,
}

/// One line of figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InsuranceCoverageRow {
    /// The sector code or the region code.
    pub code: String,
    /// The sector's or the region's name.
    pub name: String,
    pub mandatory: i64,
    pub covered: i64,
    /// `covered / mandatory`, percent, one decimal; `None` when nothing is mandatory.
    pub rate_percent: Option<f64>,
}

/// `GET /api/v1/insurance/coverage`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InsuranceCoverageResponse {
    pub on: NaiveDate,
    pub target_percent: u32,
    pub total: InsuranceCoverageRow,
    pub by_sector: Vec<InsuranceCoverageRow>,
    pub by_region: Vec<InsuranceCoverageRow>,
}

#[allow(clippy::cast_precision_loss)] // counts of enterprises are far below 2^52
fn rate(covered: i64, mandatory: i64) -> Option<f64> {
    (mandatory > 0).then(|| (covered as f64 * 1000.0 / mandatory as f64).round() / 10.0)
}

fn row(code: String, name: String, mandatory: i64, covered: i64) -> InsuranceCoverageRow {
    InsuranceCoverageRow { rate_percent: rate(covered, mandatory), code, name, mandatory, covered }
}

/// The mandatory, open enterprises in scope (and in `region`) of one sector, with
/// `covered` as 0/1 to sum.
fn base(
    user: &CurrentUser,
    region: Option<&str>,
    sector: Sector,
    today: NaiveDate,
) -> AppResult<(Select<enterprise::Entity>, String)> {
    let r = rules()?;
    let mut q = crate::scope::scoped(enterprise::Entity::find(), &user.scope)
        .filter(enterprise::Column::Sector.eq(sector))
        .filter(Expr::cust(r.mandatory_sql("enterprises")))
        .filter(enterprise::Column::Status.ne(EnterpriseStatus::Closed));
    if let Some(code) = region.map(str::trim).filter(|c| !c.is_empty()) {
        let code = RegionCode::parse(code).map_err(|e| AppError::validation("region", e.to_string()))?;
        let (low, high) = code.bounds();
        q = q.filter(enterprise::Column::RegionCode.between(low, high));
    }
    let covered = format!("SUM(CASE WHEN {} THEN 1 ELSE 0 END)", covered_sql(&r.floor_sql("enterprises"), today));
    Ok((q, covered))
}

/// The sectors some mandatory rule names, each once.
fn mandatory_sectors() -> AppResult<Vec<Sector>> {
    let mut out: Vec<Sector> = Vec::new();
    for m in &rules()?.mandatory {
        if !out.contains(&m.sector) {
            out.push(m.sector);
        }
    }
    Ok(out)
}

/// `(sector, region, mandatory, covered)` for every sector and county in scope:
/// one grouped query per sector, run side by side on the pool.
async fn groups<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    region: Option<&str>,
    today: NaiveDate,
) -> AppResult<Vec<(Sector, String, i64, i64)>> {
    let mut queries = Vec::new();
    for sector in mandatory_sectors()? {
        let (q, covered) = base(user, region, sector, today)?;
        let q = q
            .select_only()
            .column(enterprise::Column::RegionCode)
            .column_as(enterprise::Column::Id.count(), "n")
            .column_as(Expr::cust(covered), "c")
            .group_by(enterprise::Column::RegionCode)
            .into_tuple::<(String, i64, i64)>();
        queries.push(async move {
            let rows = q.all(db).await?;
            Ok::<_, AppError>(rows.into_iter().map(move |(code, n, c)| (sector, code, n, c)).collect::<Vec<_>>())
        });
    }
    Ok(futures::future::try_join_all(queries).await?.into_iter().flatten().collect())
}

/// The figures for a bureau user (403 for anyone else), computed now.
pub async fn figures<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    region: Option<&str>,
    today: NaiveDate,
) -> AppResult<InsuranceCoverageResponse> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let mut sectors: BTreeMap<Sector, (i64, i64)> = BTreeMap::new();
    let mut regions: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let (mut m, mut c) = (0, 0);
    for (sector, code, n, k) in groups(db, user, region, today).await? {
        let s = sectors.entry(sector).or_default();
        *s = (s.0 + n, s.1 + k);
        let r = regions.entry(code).or_default();
        *r = (r.0 + n, r.1 + k);
        (m, c) = (m + n, c + k);
    }
    let mut by_sector: Vec<_> =
        sectors.into_iter().map(|(s, (n, k))| row(s.as_str().to_owned(), s.zh().to_owned(), n, k)).collect();
    by_sector.sort_by(|a, b| a.code.cmp(&b.code));
    let by_region = regions
        .into_iter()
        .map(|(code, (n, k))| {
            let name = crate::bureau::regions::name(&code).map_or_else(|| code.clone(), ToOwned::to_owned);
            row(code, name, n, k)
        })
        .collect();
    Ok(InsuranceCoverageResponse {
        on: today,
        target_percent: TARGET_PERCENT,
        total: row(String::new(), "合计".to_owned(), m, c),
        by_sector,
        by_region,
    })
}

/// What the figures read, as the database says now: the register's and the
/// policies' row counts and latest changes (by index; every write sets `updated_at`).
async fn version<C: ConnectionTrait>(db: &C) -> AppResult<String> {
    let sql = "SELECT (SELECT COUNT(*) FROM enterprises), CAST((SELECT MAX(updated_at) FROM enterprises) AS TEXT), \
               (SELECT COUNT(*) FROM insurance_policies), CAST((SELECT MAX(updated_at) FROM insurance_policies) AS TEXT)";
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    let Some(row) = row else { return Ok(String::new()) };
    let (e, e_at, p, p_at): (i64, Option<String>, i64, Option<String>) =
        (row.try_get_by_index(0)?, row.try_get_by_index(1)?, row.try_get_by_index(2)?, row.try_get_by_index(3)?);
    Ok(format!("{e}|{}|{p}|{}", e_at.unwrap_or_default(), p_at.unwrap_or_default()))
}

/// The figures as [`figures`] computes them, reused for the same scope, region and
/// day while the register and the policies are unchanged: no write of this process
/// touched them (`Touched::Register`, `Touched::Insurance`) and the database's
/// version — which also sees other processes' writes, the CLI's imports — is the
/// same. A province's figures read every mandatory enterprise; the check reads two
/// indexes.
pub async fn figures_cached(
    state: &crate::state::AppState,
    user: &CurrentUser,
    region: Option<&str>,
    today: NaiveDate,
) -> AppResult<Arc<InsuranceCoverageResponse>> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let db = state.db.conn();
    let key = format!("{:?}|{}|{today}", user.scope, region.map(str::trim).unwrap_or_default());
    let generation = state.coverage.generation();
    let version = version(db).await?;
    if let Some(hit) = state.coverage.get(&key, &version) {
        return Ok(hit);
    }
    let fresh = Arc::new(figures(db, user, region, today).await?);
    state.coverage.put(key, version, generation, Arc::clone(&fresh));
    Ok(fresh)
}

/// The figures as a workbook: one sheet by sector, one by region.
pub fn workbook(f: &InsuranceCoverageResponse) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (title, first, rows) in [("按行业领域", "行业领域", &f.by_sector), ("按行政区划", "行政区划", &f.by_region)]
    {
        let sheet = book.add_worksheet();
        sheet.set_name(title)?;
        for (c, h) in (0_u16..).zip(["代码", first, "应投保企业数", "已足额投保数", "覆盖率（%）", "目标（%）"])
        {
            sheet.write_string(0, c, h)?;
        }
        for (r, x) in (1_u32..).zip(rows.iter().chain(std::iter::once(&f.total))) {
            sheet.write_string(r, 0, &x.code)?;
            sheet.write_string(r, 1, &x.name)?;
            #[allow(clippy::cast_precision_loss)] // counts of enterprises
            {
                sheet.write_number(r, 2, x.mandatory as f64)?;
                sheet.write_number(r, 3, x.covered as f64)?;
            }
            if let Some(p) = x.rate_percent {
                sheet.write_number(r, 4, p)?;
            }
            sheet.write_number(r, 5, f64::from(f.target_percent))?;
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    #[test]
    fn rates_round_to_one_decimal_and_need_something_mandatory() {
        assert_eq!(super::rate(2, 3), Some(66.7));
        assert_eq!(super::rate(0, 0), None);
        assert_eq!(super::rate(5, 5), Some(100.0));
    }
}
