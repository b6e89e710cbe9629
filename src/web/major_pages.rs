//! The major-hazard list (一单) as a page: confirmed major hazards a page at a
//! time (待认定 ones only when asked, `?include_reported=true`), with 交办,
//! 双报告 (filed, date to the workers' congress), 台账, 销号 and 通报.

use super::hazard_pages::days_text;
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, page_number, render};
use crate::hazard::major::{MajorFilter, MajorHazardRow, major_rows};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;

const PER_PAGE: u64 = 50;

#[derive(Template)]
#[template(path = "major_hazards.html")]
struct MajorPage {
    layout: Layout,
    rows: Vec<MajorHazardRow>,
    total: u64,
    page: u64,
    pages: u64,
    include_reported: bool,
    bureau_user: bool,
}

// Askama passes template values to these helpers by reference.
#[allow(clippy::ref_option)]
impl MajorPage {
    fn days(d: &Option<i64>) -> String {
        Some(days_text(*d)).filter(|t| !t.is_empty()).unwrap_or_else(|| super::labels::EMPTY.to_owned())
    }

    /// 「（县级挂牌）」, 「（不挂牌）」, or nothing when no level was recorded.
    fn listing(code: &Option<String>) -> String {
        use crate::hazard::domain::SupervisionLevel;
        match code.as_deref().and_then(|c| c.parse::<SupervisionLevel>().ok()) {
            Some(SupervisionLevel::Unlisted) => "（不挂牌）".to_owned(),
            Some(l) => format!("（{}挂牌）", l.zh()),
            None => String::new(),
        }
    }

    /// The query string of the page with `include_reported` as now.
    fn query(&self) -> &'static str {
        if self.include_reported { "include_reported=true&" } else { "" }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MajorQuery {
    page: String,
    include_reported: String,
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<MajorQuery>) -> PageResult {
    let include_reported = q.include_reported == "true";
    let page = page_number(&q.page);
    let f = MajorFilter {
        include_reported: Some(include_reported),
        page: Some(page),
        per_page: Some(PER_PAGE),
        ..MajorFilter::default()
    };
    let (rows, total) = major_rows(&state, &user, &f).await?;
    let layout = Layout::new(&state, &user, "重大事故隐患清单（一单四制）", Section::Majors).await?;
    render(&MajorPage {
        layout,
        rows,
        total,
        page,
        pages: total.div_ceil(PER_PAGE).max(1),
        include_reported,
        bureau_user: user.is_bureau_user(),
    })
}
