//! The inspections' pages (zh-CN): the list with its tabs (我的检查任务, 待审批, 全部),
//! an inspection's detail (status, team, the enterprise's count against its yearly
//! cap, the approval forms, the documents with print links, the link to the on-site
//! record, and 立案处罚 for an inspector once the inspection has findings), and the
//! bureau's 救济告知 setting. They call the same use cases and policy as the API.
//!
//! Decision: 立案处罚 shows to whoever may open a case (`case::policy::may_open`, the
//! new-case form's own check) as soon as a finding is recorded — also while the record
//! is still in progress — and opens `/cases/new?inspection_id=`, which fills in the
//! enterprise; a single finding's hazard page offers the same with its facts.

use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, render, see_other};
use crate::inspection::domain::Status;
use crate::inspection::governance::json::{InspectionResponse, InspectionSummary};
use crate::inspection::governance::list::{self, InspectionFilter};
use crate::inspection::governance::policy::Action;
use crate::inspection::governance::{relief, service, view};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "inspections.html")]
struct ListPage {
    layout: Layout,
    tab: String,
    items: Vec<InspectionSummary>,
    total: u64,
    may_approve: bool,
    may_create: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Tab {
    tab: String,
}

pub async fn list_page(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<Tab>) -> PageResult {
    let may_approve = user.has(crate::auth::Role::Approver);
    let tab = match q.tab.as_str() {
        "queue" | "all" => q.tab.clone(),
        _ if may_approve && !user.has(crate::auth::Role::Inspector) => "queue".to_owned(),
        _ => "mine".to_owned(),
    };
    let f = match tab.as_str() {
        "mine" => InspectionFilter { mine: Some(true), status: Some(Status::Approved), ..Default::default() },
        "queue" => InspectionFilter { status: Some(Status::PendingApproval), ..Default::default() },
        _ => InspectionFilter::default(),
    };
    let (items, total) = list::list(state.db.conn(), &user, &f).await?;
    let layout = Layout::new(&state, &user, "执法检查", Section::Inspections).await?;
    let may_create = crate::inspection::governance::policy::may_create(&user);
    render(&ListPage { layout, tab, items, total, may_approve, may_create })
}

#[derive(Template)]
#[template(path = "inspection.html")]
struct DetailPage {
    layout: Layout,
    i: InspectionResponse,
    actions: Vec<(&'static str, &'static str, bool)>,
    record_link: bool,
    /// `/cases/new?inspection_id=…` when the reader may open a case and there are findings.
    case_link: Option<String>,
    flash: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    created: String,
}

pub async fn detail_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(done): Query<Done>,
) -> PageResult {
    let db = state.db.conn();
    let row = service::get_visible(db, &user, id).await?;
    let i = view::detail(db, &user, row).await?;
    let actions = i
        .allowed_actions
        .iter()
        .filter(|a| !matches!(a, Action::ServeDocument | Action::VoidDocument))
        .map(|a| (a.as_str(), a.zh(), !matches!(a, Action::Approve)))
        .collect();
    let record_link = matches!(i.summary.status, Status::Approved | Status::InProgress | Status::Completed);
    let title = format!("执法检查 · {}", i.summary.enterprise_name);
    let layout = Layout::new(&state, &user, &title, Section::Inspections).await?;
    let flash = (!done.created.is_empty()).then_some("检查已发起，等待审批。");
    let case_link = if crate::case::policy::may_open(&user)
        && crate::inspection::record::findings::count(db, i.summary.id).await? > 0
    {
        Some(format!("/cases/new?inspection_id={}", i.summary.id))
    } else {
        None
    };
    render(&DetailPage { layout, i, actions, record_link, case_link, flash })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActForm {
    csrf_token: String,
    reason: String,
}

pub async fn act(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, action)): PagePath<(i64, String)>,
    Form(form): Form<ActForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    let action: Action = action.parse().map_err(|_| crate::error::AppError::NotFound)?;
    let r = form.reason.as_str();
    state
        .write(user.actor(), async |tx| match action {
            Action::Approve => service::approve(tx, &user, id).await,
            Action::ApproveOverCap => service::approve_over_cap(tx, &user, id, r).await,
            Action::Reject => service::reject(tx, &user, id, r).await,
            Action::Cancel => service::cancel(tx, &user, id, r).await,
            Action::ServeDocument | Action::VoidDocument => Err(crate::error::AppError::NotFound),
        })
        .await?;
    Ok(see_other(&format!("/inspections/{id}")))
}

#[derive(Template)]
#[template(path = "relief_notice.html")]
struct ReliefPage {
    layout: Layout,
    text: String,
    default_text: String,
    own: bool,
    may_edit: bool,
}

pub async fn relief_page(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let db = state.db.conn();
    let b = crate::scope::own_bureau(db, &user).await?;
    let own = relief::own(db, b.id).await?;
    let default_text = relief::default_for(db, &b).await?;
    let layout = Layout::new(&state, &user, "执法文书救济告知", Section::Inspections).await?;
    let may_edit = user.has(crate::auth::Role::Regulator);
    render(&ReliefPage {
        layout,
        own: own.is_some(),
        text: own.unwrap_or_else(|| default_text.clone()),
        default_text,
        may_edit,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReliefForm {
    csrf_token: String,
    relief_notice: String,
}

pub async fn relief_save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(form): Form<ReliefForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    state.write(user.actor(), async |tx| relief::set(tx, &user, &form.relief_notice).await).await?;
    Ok(see_other("/settings/relief-notice"))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections", get(list_page))
        .route("/inspections/{id}", get(detail_page))
        .route("/inspections/{id}/act/{action}", axum::routing::post(act))
        .route("/inspections/{id}/documents/{kind}", get(super::inspection_print::show))
        .route("/settings/relief-notice", get(relief_page).post(relief_save))
        .merge(super::inspection_new::routes())
}
