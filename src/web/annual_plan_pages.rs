//! The annual plans' pages (zh-CN): the list by year, a plan's detail (capacity,
//! key enterprises, random targets, months, the approve / return / submit buttons
//! the policy allows, the 政府批准 and 备案 entries, the revision history, the
//! coverage with bars and the xlsx link). The form is `annual_plan_form`.

use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, render, see_other};
use crate::annual_plan::coverage::{self, CoverageResponse};
use crate::annual_plan::json::{PlanResponse, PlanSummary, RecordBody, RevisionEntry};
use crate::annual_plan::list::{self, PlanFilter};
use crate::annual_plan::policy::Action;
use crate::annual_plan::{service, view};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "annual_plans.html")]
struct ListPage {
    layout: Layout,
    items: Vec<PlanSummary>,
    year: String,
    may_create: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

pub async fn list_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let year = q.year.trim().parse::<i32>().ok();
    let items = list::list(state.db.conn(), &user, &PlanFilter { year }).await?;
    let layout = Layout::new(&state, &user, "年度检查计划", Section::AnnualPlans).await?;
    let may_create = crate::annual_plan::policy::may_create(&user);
    render(&ListPage { layout, items, year: year.map(|y| y.to_string()).unwrap_or_default(), may_create })
}

/// A percentage for a bar (0–100).
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub fn percent(done: u64, planned: u64) -> u32 {
    if planned == 0 { 0 } else { ((done as f64 / planned as f64) * 100.0).round().min(100.0) as u32 }
}

#[derive(Template)]
#[template(path = "annual_plan.html")]
struct DetailPage {
    layout: Layout,
    p: PlanResponse,
    c: CoverageResponse,
    history: Vec<RevisionEntry>,
    actions: Vec<Action>,
    may_edit: bool,
    may_revise: bool,
    may_record: bool,
    flash: Option<&'static str>,
}

/// Askama hands the template's values over by reference.
#[allow(clippy::unused_self, clippy::trivially_copy_pass_by_ref)]
impl DetailPage {
    fn bar(&self, done: &u64, planned: &u64) -> u32 {
        percent(*done, *planned)
    }

    fn month_bar(&self, done: &u64, planned: &u32) -> u32 {
        percent(*done, u64::from(*planned))
    }

    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    fn used_bar(&self) -> u32 {
        if self.c.capacity_days <= 0.0 {
            0
        } else {
            (self.c.used_days / self.c.capacity_days * 100.0).round().min(100.0) as u32
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    saved: String,
}

pub async fn detail_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(done): Query<Done>,
) -> PageResult {
    let db = state.db.conn();
    let row = service::get_visible(db, &user, id).await?;
    let c = coverage::coverage(db, &row).await?;
    let history = view::revisions(db, &row).await?;
    let p = view::detail(db, &user, row).await?;
    let has = |a: Action| p.allowed_actions.contains(&a);
    let (may_edit, may_revise, may_record) = (has(Action::Edit), has(Action::Revise), has(Action::Record));
    let actions = p
        .allowed_actions
        .iter()
        .copied()
        .filter(|a| matches!(a, Action::Submit | Action::Approve | Action::Return))
        .collect();
    let title = format!("{}{}年度监督检查计划", p.bureau_name, p.year);
    let layout = Layout::new(&state, &user, &title, Section::AnnualPlans).await?;
    let flash = (!done.saved.is_empty()).then_some("已保存。");
    render(&DetailPage { layout, p, c, history, actions, may_edit, may_revise, may_record, flash })
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
    let action: Action = action.parse().map_err(|_| AppError::NotFound)?;
    state
        .write(user.actor(), async |tx| match action {
            Action::Submit => service::submit(tx, &user, id).await,
            Action::Approve => service::approve(tx, &user, id).await,
            Action::Return => service::send_back(tx, &user, id, &form.reason).await,
            Action::Edit | Action::Revise | Action::Record => Err(AppError::NotFound),
        })
        .await?;
    Ok(see_other(&format!("/annual-plans/{id}")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RecordForm {
    csrf_token: String,
    government_approved_on: String,
    government_document: String,
    filed_on: String,
}

pub async fn record(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<RecordForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let body = RecordBody {
        government_approved_on: day(&form.government_approved_on),
        government_document: Some(form.government_document.trim().to_owned()).filter(|d| !d.is_empty()),
        filed_on: day(&form.filed_on),
    };
    state.write(user.actor(), async |tx| service::record(tx, &user, id, &body).await).await?;
    Ok(see_other(&format!("/annual-plans/{id}?saved=1")))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/annual-plans", get(list_page))
        .route("/annual-plans/{id}", get(detail_page))
        .route("/annual-plans/{id}/act/{action}", post(act))
        .route("/annual-plans/{id}/record", post(record))
        .merge(super::annual_plan_form::routes())
}
