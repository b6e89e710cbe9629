//! The published results as the public site shows them: the latest publication of
//! each task (a correction marked 更正), newest first, paged, filtered by bureau and
//! year. Only what a publication froze is read — category, enterprise, bureau,
//! dates — so nothing personal can reach the public site from here.

use super::domain::TaskResult;
use crate::entities::draw_publication as publication;
use crate::error::AppResult;
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Results per public page.
pub const PER_PAGE: u64 = 20;

/// Filters of the public results.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicFilter {
    pub bureau_id: Option<i64>,
    /// Published in this calendar year.
    pub year: Option<i32>,
    /// 1-based page (default 1, at most 10,000).
    pub page: Option<u64>,
}

/// One published result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicResult {
    pub id: i64,
    pub draw_id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub enterprise_name: String,
    pub credit_code: String,
    pub result: TaskResult,
    pub result_label: String,
    pub result_on: NaiveDate,
    pub published_on: NaiveDate,
    /// A correction of an earlier publication.
    pub corrected: bool,
}

/// The public view of publications.
pub async fn views<C: ConnectionTrait>(db: &C, rows: Vec<publication::Model>) -> AppResult<Vec<PublicResult>> {
    let names = super::spot_items::bureau_names(db, rows.iter().map(|r| r.bureau_id)).await?;
    Ok(rows
        .into_iter()
        .map(|p| PublicResult {
            id: p.id,
            draw_id: p.draw_id,
            bureau_id: p.bureau_id,
            bureau_name: names.get(&p.bureau_id).cloned().unwrap_or_default(),
            enterprise_name: p.enterprise_name,
            credit_code: p.credit_code,
            result: p.result,
            result_label: p.result.zh().to_owned(),
            result_on: p.result_on,
            published_on: p.published_on,
            corrected: p.supersedes_id.is_some(),
        })
        .collect())
}

/// One page of the current publications, newest first, and the total.
pub async fn page<C: ConnectionTrait>(db: &C, f: &PublicFilter) -> AppResult<(Vec<PublicResult>, u64)> {
    let mut q = publication::Entity::find().filter(publication::Column::SupersededById.is_null());
    if let Some(b) = f.bureau_id {
        q = q.filter(publication::Column::BureauId.eq(b));
    }
    if let Some(y) = f.year.and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)) {
        let end = NaiveDate::from_ymd_opt(y.year() + 1, 1, 1).unwrap_or(NaiveDate::MAX);
        q = q.filter(publication::Column::PublishedOn.gte(y)).filter(publication::Column::PublishedOn.lt(end));
    }
    let total = q.clone().count(db).await?;
    let page = f.page.unwrap_or(1).clamp(1, 10_000);
    let rows = q
        .order_by_desc(publication::Column::PublishedOn)
        .order_by_desc(publication::Column::Id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(db)
        .await?;
    Ok((views(db, rows).await?, total))
}

/// The bureaus that have published, for the filter (id, name), capped.
pub async fn bureaus<C: ConnectionTrait>(db: &C) -> AppResult<Vec<(i64, String)>> {
    let ids: Vec<i64> = publication::Entity::find()
        .select_only()
        .column(publication::Column::BureauId)
        .distinct()
        .limit(500)
        .into_tuple()
        .all(db)
        .await?;
    let names = super::spot_items::bureau_names(db, ids).await?;
    let mut out: Vec<(i64, String)> = names.into_iter().collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}
