//! 特种作业人员 pages: the enterprise's own list (`/enterprises/{id}/special-operations`,
//! with the links to list, edit and end) and the regulators' list of their
//! territory (`/special-operations`) with filters by enterprise, post and status
//! (有效 / 将到期 / 已过期 / 未持证 / 待复审). Read through the API's own list
//! (`special_operation::list`), so scope and status are the API's.
//!
//! Decisions:
//! - `/special-operations` is for bureau users; anyone else gets 404 (it is not in
//!   their menu). An enterprise's page is open to whoever's scope holds the
//!   enterprise (404 otherwise); only its 主要负责人 and 安全管理人员 see the forms.
//! - The identity number is shown masked only; the list shows running listings,
//!   ended ones on request (`ended=1`).

use super::layout::{Layout, Section};
use super::page::{Choice, PagePath, PageResult, PageUser, page_number, query_string, render};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::special_operation::domain::CertStatus;
use crate::special_operation::json::{SpecialOperationWorkerFilter, SpecialOperationWorkerResponse};
use crate::special_operation::{list, policy};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;

const PER_PAGE: u64 = 20;

/// A listed worker as shown.
pub struct WorkerRow {
    pub w: SpecialOperationWorkerResponse,
    pub status: &'static str,
    /// `tag-danger`, `tag-warn` or none (green).
    pub tag: &'static str,
    pub may_edit: bool,
}

impl WorkerRow {
    fn of(w: SpecialOperationWorkerResponse) -> Self {
        let tag = match w.status {
            CertStatus::Expired | CertStatus::Missing => "tag-danger",
            CertStatus::Expiring | CertStatus::ReviewDue => "tag-warn",
            CertStatus::Valid => "",
        };
        let status = if w.ended_on.is_some() { "已离岗" } else { w.status.zh() };
        Self { may_edit: w.allowed_actions.iter().any(|a| a == "edit"), status, tag, w }
    }

    pub fn cert(&self) -> String {
        self.w.certificate_no.clone().unwrap_or_default()
    }

    pub fn validity(&self) -> String {
        match (self.w.issued_on, self.w.expires_on) {
            (Some(i), Some(e)) => format!("{i} 至 {e}"),
            _ => String::new(),
        }
    }

    pub fn review(&self) -> String {
        self.w.review_due.map(|d| d.to_string()).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "special_operations.html")]
struct ListPage {
    layout: Layout,
    /// The enterprise's own page (`None`: the regulators' list).
    enterprise: Option<(i64, String)>,
    may_write: bool,
    saved: bool,
    rows: Vec<WorkerRow>,
    total: u64,
    page: u64,
    pages: u64,
    statuses: Vec<Choice>,
    categories: Vec<(String, String, bool)>,
    shown: Shown,
    /// The query string of the filters, to page with.
    filters: String,
    basis: String,
}

/// What the filter form sent, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Shown {
    pub page: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub category: String,
    pub status: String,
    pub ended: String,
    pub saved: String,
}

fn status_of(code: &str) -> Option<CertStatus> {
    CertStatus::ALL.iter().copied().find(|s| s.as_str() == code)
}

async fn show(state: &AppState, user: &CurrentUser, enterprise: Option<(i64, String)>, typed: Shown) -> PageResult {
    let db = state.db.conn();
    let today = crate::clock::china_date(state.clock.now());
    let page = page_number(&typed.page);
    let enterprise_id = enterprise.as_ref().map(|e| e.0).or_else(|| typed.enterprise_id.trim().parse().ok());
    let filter = SpecialOperationWorkerFilter {
        enterprise_id,
        enterprise_name: Some(typed.enterprise_name.clone()).filter(|n| !n.trim().is_empty()),
        category: Some(typed.category.clone()).filter(|c| !c.trim().is_empty()),
        status: status_of(&typed.status),
        include_ended: Some(!typed.ended.is_empty()),
        page: Some(page),
        per_page: Some(PER_PAGE),
    };
    let found = list::list(db, user, &filter, today).await?;
    let rules = crate::special_operation::rules::rules()?;
    let (title, section) = match &enterprise {
        Some((_, name)) if user.is_bureau_user() => (format!("{name} · 特种作业人员"), Section::SpecialOperations),
        Some((_, name)) => (format!("{name} · 特种作业人员"), Section::OwnSpecialOperations),
        None => ("特种作业人员持证情况".to_owned(), Section::SpecialOperations),
    };
    let filters = query_string(&[
        ("enterprise_id", if enterprise.is_some() { "" } else { typed.enterprise_id.trim() }),
        ("enterprise_name", if enterprise.is_some() { "" } else { typed.enterprise_name.trim() }),
        ("category", &typed.category),
        ("status", &typed.status),
        ("ended", &typed.ended),
    ]);
    let view = ListPage {
        layout: Layout::new(state, user, &title, section).await?,
        may_write: enterprise.as_ref().is_some_and(|e| policy::Actor::of(user).writes_of(e.0)),
        enterprise,
        saved: !typed.saved.is_empty(),
        rows: found.items.into_iter().map(WorkerRow::of).collect(),
        total: found.total,
        page,
        pages: found.total.div_ceil(PER_PAGE).max(1),
        statuses: super::page::choices(CertStatus::ALL, CertStatus::as_str, CertStatus::zh, &typed.status),
        categories: found.categories.into_iter().map(|c| (c.code.clone(), c.name, c.code == typed.category)).collect(),
        filters,
        basis: rules.periods.basis.clone(),
        shown: typed,
    };
    render(&view)
}

/// The regulators' list of their territory.
pub async fn list_page(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<Shown>) -> PageResult {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound.into());
    }
    show(&state, &user, None, q).await
}

/// One enterprise's list (its own users, and bureau users in scope).
pub async fn enterprise_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Shown>,
) -> PageResult {
    let e = crate::enterprise::service::get_scoped(state.db.conn(), &user.scope, id).await?;
    show(&state, &user, Some((e.id, e.name)), q).await
}

pub fn routes() -> axum::Router<AppState> {
    use super::special_operation_form as form;
    use axum::routing::get;
    axum::Router::new()
        .route("/special-operations", get(list_page))
        .route("/enterprises/{id}/special-operations", get(enterprise_page))
        .route("/enterprises/{id}/special-operations/new", get(form::new_form).post(form::create))
        .route("/special-operations/{id}/edit", get(form::edit_form).post(form::update))
        .route("/special-operations/{id}/end", axum::routing::post(form::end))
}
