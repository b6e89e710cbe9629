//! The public site's 抽查事项清单 (`/public/spot-check-items`) and published results
//! (`/public/results`): no sign-in, no personal data. The results page reads only
//! publications (category, enterprise, bureau, dates), newest first, 20 a page,
//! filtered by bureau and year; on a phone each result is a card.
//!
//! Decisions: an unknown or empty filter value is ignored (the page never errs on
//! its query); shipped items not verified carry 未核实.

use super::page::{PageResult, render};
use crate::draw::public_results::{self, PER_PAGE, PublicFilter, PublicResult};
use crate::draw::spot_items::{self, SpotCheckItem};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "public_spot_check_items.html")]
struct ItemsPage {
    items: Vec<SpotCheckItem>,
}

async fn items(State(state): State<AppState>) -> PageResult {
    let items = spot_items::list(state.db.conn()).await?;
    render(&ItemsPage { items })
}

#[derive(Template)]
#[template(path = "public_results.html")]
struct ResultsPage {
    items: Vec<PublicResult>,
    total: u64,
    page: u64,
    pages: u64,
    bureaus: Vec<(i64, String)>,
    bureau: Option<i64>,
    year: String,
    /// The query without the page, for the pager's links.
    query: String,
}

/// The typed query (text, so a stray value never fails the page).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Typed {
    bureau: String,
    year: String,
    page: String,
}

async fn results(State(state): State<AppState>, Query(q): Query<Typed>) -> PageResult {
    let bureau = q.bureau.trim().parse::<i64>().ok();
    let year = q.year.trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
    let page = super::page::page_number(&q.page);
    let filter = PublicFilter { bureau_id: bureau, year, page: Some(page) };
    let (items, total) = public_results::page(state.db.conn(), &filter).await?;
    let bureaus = public_results::bureaus(state.db.conn()).await?;
    let year_text = year.map(|y| y.to_string()).unwrap_or_default();
    let bureau_text = bureau.map(|b| b.to_string()).unwrap_or_default();
    let query = super::page::query_string(&[("bureau", &bureau_text), ("year", &year_text)]);
    render(&ResultsPage {
        items,
        total,
        page,
        pages: total.div_ceil(PER_PAGE).max(1),
        bureaus,
        bureau,
        year: year_text,
        query,
    })
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/public/spot-check-items", get(items)).route("/public/results", get(results))
}
