//! 行政处罚案件 (`/cases`): the bureau's cases in tabs — the handler's own
//! (`queue=mine`), those awaiting 法制审核 or 审批, those open, all — read through
//! `case::list::list` (scope and queues are the API's), a page at a time, with the
//! 90-day clock of each case as days used and left, warned at 60 and 80 days.
//!
//! Decisions:
//! - The first tab shown is the one the user works in: the approver's queue, the
//!   reviewer's, the handler's own cases; anyone else sees the open cases.
//! - The clock's warning classes come from the clock itself (`domain::clock`); the
//!   page only picks the colour: none below 60 days, yellow (`tag-warn`) from 60,
//!   red (`tag-danger`) from 80, solid red (`tag-overdue`) once past the limit, so
//!   an overdue case stands out from one that is merely close.

use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, page_number, render};
use crate::auth::{CurrentUser, Role};
use crate::case::domain::Clock;
use crate::case::json::CaseSummary;
use crate::case::list::{self, CaseFilter};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;

const PER_PAGE: u64 = 20;

/// One tab of the list.
pub struct Tab {
    pub code: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// The clock as shown: the text and its colour class (empty, `tag-warn`, `tag-danger`, `tag-overdue`).
pub struct ClockText {
    pub text: String,
    pub class: &'static str,
}

/// The 90-day clock in words.
pub fn clock_text(clock: Option<&Clock>) -> ClockText {
    let Some(c) = clock else { return ClockText { text: "—".to_owned(), class: "tag-muted" } };
    match c.warning {
        "over" => ClockText {
            text: format!("已超期 {} 天（期限 {}）", -c.days_left, c.deadline),
            class: "tag-overdue",
        },
        w => ClockText {
            text: format!("已用 {} 天，剩余 {} 天", c.days_used, c.days_left),
            class: match w {
                "80" => "tag-danger",
                "60" => "tag-warn",
                _ => "",
            },
        },
    }
}

/// `30000` → `30,000 元`; 0 → —.
pub fn money(yuan: i64) -> String {
    if yuan == 0 {
        return "—".to_owned();
    }
    let digits = yuan.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{}{out} 元", if yuan < 0 { "-" } else { "" })
}

pub struct Row {
    pub c: CaseSummary,
    pub clock: ClockText,
    pub fine: String,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    layout: Layout,
    tabs: Vec<Tab>,
    tab: &'static str,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    may_open: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    tab: String,
    page: String,
}

const TABS: [(&str, &str); 5] =
    [("mine", "我承办的"), ("review", "待法制审核"), ("approve", "待审批"), ("open", "在办"), ("all", "全部")];

fn default_tab(user: &CurrentUser) -> &'static str {
    if user.has(Role::Approver) {
        "approve"
    } else if user.has(Role::LegalReviewer) {
        "review"
    } else if user.has(Role::Inspector) {
        "mine"
    } else {
        "open"
    }
}

pub async fn list_page(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<Shown>) -> PageResult {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound.into());
    }
    let tab = TABS.iter().map(|t| t.0).find(|t| *t == q.tab).unwrap_or_else(|| default_tab(&user));
    let page = page_number(&q.page);
    let f = CaseFilter {
        queue: (tab != "all").then(|| tab.to_owned()),
        status: None,
        page: Some(page),
        per_page: Some(PER_PAGE),
    };
    let today = crate::clock::china_date(state.clock.now());
    let (items, total) = list::list(&state, &user, &f, today).await?;
    let rows = items
        .into_iter()
        .map(|c| Row { clock: clock_text(c.clock.as_ref()), fine: money(c.fine_total_yuan), c })
        .collect();
    render(&CasesPage {
        layout: Layout::new(&state, &user, "行政处罚案件", Section::Cases).await?,
        tabs: TABS.iter().map(|(code, label)| Tab { code, label, active: *code == tab }).collect(),
        tab,
        rows,
        total,
        page,
        pages: total.div_ceil(PER_PAGE).max(1),
        may_open: crate::case::policy::may_open(&user),
    })
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/cases", get(list_page))
        .route("/cases/new", get(super::case_new::new_form).post(super::case_new::create))
        .route("/cases/{id}", get(super::case_detail::show))
        .route("/cases/{id}/act/{step}", post(super::case_forms::act))
        .route("/cases/{id}/documents/{doc_id}", get(super::case_print::show))
        .route("/cases/statistics", get(super::case_statistics::show))
        .route("/penalty-catalogue", get(super::catalogue_pages::show))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(money(0), "—");
        assert_eq!(money(200), "200 元");
        assert_eq!(money(30_000), "30,000 元");
        assert_eq!(money(1_234_567), "1,234,567 元");
    }
}
