//! 严重失信主体名单 (`/dishonesty-list`): a bureau's proposals and listings in tabs —
//! awaiting the notice, awaiting the decision (with the statement period's end),
//! listed (with the end of the period), early-removal applications waiting, removed
//! or expired, refused, all — read through `dishonesty::view::list` (scope and the
//! enterprise's view are the API's); the regulators' button to scan the records now
//! and their own proposal form (`dishonesty_forms`). An enterprise user sees only its
//! own listings after the notice, in one table.
//!
//! Decisions:
//! - The first tab is the one the user works in: an approver's "待决定", a
//!   regulator's "待告知"; anyone else sees what is listed.
//! - "已移出" joins the two end states (提前移出 and 期满移出) the API filters one at a
//!   time; each list answers at most `view::MAX_LISTED` rows (no pager: a bureau's
//!   list is short, and the count says when more exist).
//! - Persons are shown as the API shows them to the user: the name, the identity
//!   number masked.

use super::case_new_form::Typed;
use super::case_pages::Tab;
use super::layout::{Layout, Section};
use super::page::{FormErrors, PageResult, PageUser, render_with};
use crate::auth::{CurrentUser, Role};
use crate::dishonesty::domain::{ListingStatus, RemovalStatus, SubjectKind};
use crate::dishonesty::json::{DishonestyFilter, DishonestyListingResponse};
use crate::dishonesty::rules;
use crate::dishonesty::view;
use crate::error::AppResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

/// A choice of a select (value, label).
pub struct Opt {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "dishonesty_list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub bureau: bool,
    pub tabs: Vec<Tab>,
    pub rows: Vec<DishonestyListingResponse>,
    pub total: u64,
    pub may_scan: bool,
    pub flash: Option<String>,
    pub situations: Vec<Opt>,
    pub kinds: Vec<Opt>,
    /// The bureau's penalty decisions and accidents a proposal may rest on.
    pub cases: Vec<Opt>,
    pub accidents: Vec<Opt>,
    pub typed: Typed,
    pub errors: FormErrors,
}

impl ListPage {
    /// What was typed into the proposal form.
    pub fn val(&self, field: &str) -> &str {
        self.typed.get(field)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    tab: String,
    scanned: String,
}

const TABS: [(&str, &str); 7] = [
    ("proposed", "待告知"),
    ("notified", "待决定"),
    ("listed", "已列入"),
    ("removal", "移出申请"),
    ("ended", "已移出"),
    ("refused", "不予列入"),
    ("all", "全部"),
];

fn default_tab(user: &CurrentUser) -> &'static str {
    if user.has(Role::Approver) {
        "notified"
    } else if user.has(Role::Regulator) {
        "proposed"
    } else {
        "listed"
    }
}

/// Whether the user may run the scan and propose (the API's check).
pub fn may_scan(user: &CurrentUser) -> bool {
    user.is_bureau_user() && user.has(Role::Regulator)
}

/// The rows of a tab (the API's filters).
async fn rows(state: &AppState, user: &CurrentUser, tab: &str) -> AppResult<(Vec<DishonestyListingResponse>, u64)> {
    let db = state.db.conn();
    let status = |s| DishonestyFilter { status: Some(s), ..Default::default() };
    let f = match tab {
        "proposed" => status(ListingStatus::Proposed),
        "notified" => status(ListingStatus::Notified),
        "listed" => status(ListingStatus::Listed),
        "refused" => status(ListingStatus::Refused),
        "removal" => DishonestyFilter { removal_pending: Some(true), ..Default::default() },
        "ended" => {
            let (mut removed, a) = view::list(db, user, &status(ListingStatus::Removed)).await?;
            let (expired, b) = view::list(db, user, &status(ListingStatus::Expired)).await?;
            removed.extend(expired);
            return Ok((removed, a + b));
        }
        _ => DishonestyFilter::default(),
    };
    view::list(db, user, &f).await
}

/// The situations and subject kinds of the proposal form.
fn choices() -> AppResult<(Vec<Opt>, Vec<Opt>)> {
    let situations = rules::rules()?
        .situations
        .iter()
        .map(|s| Opt {
            value: s.code.clone(),
            label: format!("{}{}：{}", s.article, if s.verified { "" } else { "（未核实）" }, s.text),
        })
        .collect();
    let kinds =
        SubjectKind::ALL.iter().map(|k| Opt { value: k.as_str().to_owned(), label: k.zh().to_owned() }).collect();
    Ok((situations, kinds))
}

/// Builds the list page on `tab` (with what was typed into the proposal form and its problems).
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    tab: &str,
    typed: Typed,
    errors: FormErrors,
) -> AppResult<ListPage> {
    let bureau = user.is_bureau_user();
    let tab =
        if bureau { TABS.iter().map(|t| t.0).find(|t| *t == tab).unwrap_or_else(|| default_tab(user)) } else { "all" };
    let (rows, total) = rows(state, user, tab).await?;
    let (situations, kinds) = choices()?;
    let (cases, accidents) =
        if may_scan(user) { super::dishonesty_choices::basis(state.db.conn(), user).await? } else { (vec![], vec![]) };
    let title = if bureau { "严重失信主体名单" } else { "本企业失信名单信息" };
    Ok(ListPage {
        layout: Layout::new(state, user, title, Section::Dishonesty).await?,
        bureau,
        tabs: if bureau {
            TABS.iter().map(|(code, label)| Tab { code, label, active: *code == tab }).collect()
        } else {
            vec![]
        },
        rows,
        total,
        may_scan: may_scan(user),
        flash: None,
        situations,
        kinds,
        cases,
        accidents,
        typed,
        errors,
    })
}

pub async fn list_page(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<Shown>) -> PageResult {
    let mut p = page(&state, &user, &q.tab, Typed::default(), FormErrors::default()).await?;
    p.flash = (!q.scanned.is_empty()).then(|| match q.scanned.as_str() {
        "0" => "已检索业务数据，没有新的列入建议。".to_owned(),
        n => format!("已检索业务数据，新提出 {n} 条列入建议，见“待告知”。"),
    });
    let status = if p.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with(status, &p)
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/dishonesty-list", get(list_page))
        .route("/dishonesty-list/scan", post(super::dishonesty_forms::scan))
        .route("/dishonesty-list/propose", post(super::dishonesty_forms::propose))
        .route("/dishonesty-list/{id}", get(super::dishonesty_detail::show))
        .route("/dishonesty-list/{id}/act/{step}", post(super::dishonesty_forms::act))
        .route("/dishonesty-list/{id}/documents/{kind}", get(super::dishonesty_print::show))
}
