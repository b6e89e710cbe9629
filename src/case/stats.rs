//! The bureau's penalty figures for a year, as bureaus report them ("63 起，566.52万元"):
//! cases filed, decisions (and 不予处罚), fines decided and collected, by sector and
//! by article; and the enterprises meeting art. 113 now. Scoped like the case list.
//!
//! Decisions: a case counts in the year of its 立案 (filed) or of its decision
//! (decided); fines decided are those of penalty decisions not revoked; collected is
//! what was paid on them, 加处罚款 included.

use super::domain::{CaseStatus, Decision};
use crate::auth::CurrentUser;
use crate::enterprise::domain::Sector;
use crate::entities::{case, case_violation, enterprise};
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct StatsQuery {
    /// The year (default: this year).
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CaseFigures {
    pub decisions: u64,
    pub fines_decided_yuan: i64,
    pub fines_collected_yuan: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseSectorFigures {
    pub sector: Option<Sector>,
    pub sector_label: String,
    #[serde(flatten)]
    pub figures: CaseFigures,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseArticleFigures {
    pub catalogue_code: String,
    pub citation: String,
    pub violations: u64,
    pub fines_yuan: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseStatistics {
    pub year: i32,
    pub cases_filed: u64,
    pub no_penalty_decisions: u64,
    #[serde(flatten)]
    pub totals: CaseFigures,
    pub by_sector: Vec<CaseSectorFigures>,
    pub by_article: Vec<CaseArticleFigures>,
}

type Row = (i64, Option<i64>, Option<NaiveDate>, Option<NaiveDate>, Option<Decision>, CaseStatus, i64, i64);

/// The figures of `year` in the user's scope.
pub async fn statistics<C: ConnectionTrait>(db: &C, user: &CurrentUser, year: i32) -> AppResult<CaseStatistics> {
    use case::Column as K;
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let (from, to) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
    let (Some(from), Some(to)) = (from, to) else { return Err(AppError::validation("year", "年份无效")) };
    let in_year = |col: K| sea_orm::Condition::all().add(col.gte(from)).add(col.lte(to));
    let rows: Vec<Row> = crate::scope::scoped(case::Entity::find(), &user.scope)
        .select_only()
        .columns([
            K::Id,
            K::EnterpriseId,
            K::FiledOn,
            K::DecidedOn,
            K::Decision,
            K::Status,
            K::FineTotalYuan,
            K::PaidYuan,
        ])
        .filter(sea_orm::Condition::any().add(in_year(K::FiledOn)).add(in_year(K::DecidedOn)))
        .into_tuple()
        .all(db)
        .await?;
    let within = |d: Option<NaiveDate>| d.is_some_and(|d| from <= d && d <= to);
    let cases_filed = rows.iter().filter(|r| within(r.2)).count();
    let no_penalty = rows.iter().filter(|r| within(r.3) && r.4 == Some(Decision::NoPenalty)).count();
    let decided: Vec<&Row> =
        rows.iter().filter(|r| within(r.3) && r.4 == Some(Decision::Penalty) && r.5 != CaseStatus::Revoked).collect();
    let sectors = sectors_of(db, decided.iter().filter_map(|r| r.1).collect()).await?;
    let mut totals = CaseFigures::default();
    let mut by: BTreeMap<Option<Sector>, CaseFigures> = BTreeMap::new();
    for r in &decided {
        for f in [&mut totals, by.entry(r.1.and_then(|e| sectors.get(&e).copied())).or_default()] {
            f.decisions += 1;
            f.fines_decided_yuan += r.6;
            f.fines_collected_yuan += r.7;
        }
    }
    let by_sector = by
        .into_iter()
        .map(|(sector, figures)| CaseSectorFigures {
            sector,
            sector_label: sector.map_or("未登记企业", Sector::zh).to_owned(),
            figures,
        })
        .collect();
    let by_article = articles(db, decided.iter().map(|r| r.0).collect()).await?;
    Ok(CaseStatistics {
        year,
        cases_filed: u64::try_from(cases_filed).unwrap_or_default(),
        no_penalty_decisions: u64::try_from(no_penalty).unwrap_or_default(),
        totals,
        by_sector,
        by_article,
    })
}

async fn sectors_of<C: ConnectionTrait>(db: &C, mut ids: Vec<i64>) -> AppResult<HashMap<i64, Sector>> {
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, Sector)> = enterprise::Entity::find()
            .select_only()
            .columns([enterprise::Column::Id, enterprise::Column::Sector])
            .filter(enterprise::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

async fn articles<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> AppResult<Vec<CaseArticleFigures>> {
    let data = super::catalogue::data()?;
    let mut by: BTreeMap<String, (u64, i64)> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, Option<i64>)> = case_violation::Entity::find()
            .select_only()
            .columns([case_violation::Column::CatalogueCode, case_violation::Column::FineYuan])
            .filter(case_violation::Column::CaseId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (code, fine) in rows {
            let e = by.entry(code).or_default();
            e.0 += 1;
            e.1 += fine.unwrap_or(0);
        }
    }
    let mut out: Vec<CaseArticleFigures> = by
        .into_iter()
        .map(|(code, (violations, fines_yuan))| CaseArticleFigures {
            citation: data.entry(&code).map_or_else(|| code.clone(), |e| data.citation(e)),
            catalogue_code: code,
            violations,
            fines_yuan,
        })
        .collect();
    out.sort_by(|a, b| b.violations.cmp(&a.violations).then(b.fines_yuan.cmp(&a.fines_yuan)));
    Ok(out)
}
