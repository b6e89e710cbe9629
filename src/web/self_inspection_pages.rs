//! The self-inspection pages (隐患排查): the enterprise's `/self-inspection`
//! (plans, tasks due, overdue and done, the plan form and the ad hoc task form)
//! and the regulators' `/self-inspection/overview`. The task's checklist form is
//! in [`super::self_inspection_task_page`]. Everything goes through the same use
//! cases and policy as the API.

use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, render, see_other};
use super::self_inspection_task_page as task_page;
use crate::auth::CurrentUser;
use crate::entities::{user, user_enterprise};
use crate::self_inspection::domain::{Frequency, Kind, Level};
use crate::self_inspection::json::{
    CreatePlanRequest, CreateTaskRequest, OverviewQuery, OverviewResponse, PlanResponse, TaskFilter, TaskSummary,
    UpdatePlanRequest,
};
use crate::self_inspection::{config, generate, list, overview, plans, policy};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/self-inspection", get(home))
        .route("/self-inspection/plans", post(create_plan))
        .route("/self-inspection/plans/{id}/active", post(toggle_plan))
        .route("/self-inspection/tasks", post(create_task))
        .route("/self-inspection/overview", get(overview_page))
        .merge(task_page::routes())
}

/// (value, label) options.
pub type Options = Vec<(&'static str, &'static str)>;

fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, zh: fn(T) -> &'static str) -> Options {
    all.iter().map(|&v| (code(v), zh(v))).collect()
}

#[derive(Template)]
#[template(path = "self_inspection.html")]
struct HomePage {
    layout: Layout,
    manages: bool,
    plans: Vec<PlanResponse>,
    open: Vec<TaskSummary>,
    done: Vec<TaskSummary>,
    kinds: Options,
    levels: Options,
    frequencies: Options,
    /// (user id, name) of the enterprise's users, for the assignee.
    people: Vec<(i64, String)>,
    /// (kind, level, frequency) labels of the configured defaults.
    defaults: Vec<(&'static str, &'static str, &'static str)>,
    errors: FormErrors,
    flash: Option<String>,
}

async fn people(state: &AppState, user: &CurrentUser) -> PageResult<Vec<(i64, String)>> {
    let Some(e) = user.enterprise_ids.first() else { return Ok(Vec::new()) };
    let links = user_enterprise::Entity::find()
        .filter(user_enterprise::Column::EnterpriseId.eq(*e))
        .all(state.db.conn())
        .await
        .map_err(crate::error::AppError::from)?;
    let ids: Vec<i64> = links.into_iter().map(|l| l.user_id).collect();
    let rows = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::Disabled.eq(false))
        .order_by_asc(user::Column::Id)
        .all(state.db.conn())
        .await
        .map_err(crate::error::AppError::from)?;
    Ok(rows.into_iter().map(|u| (u.id, u.display_name)).collect())
}

fn defaults() -> Vec<(&'static str, &'static str, &'static str)> {
    let c = config::get();
    Kind::ALL
        .iter()
        .flat_map(|k| Level::ALL.iter().map(move |l| (k.zh(), l.zh(), c.default_frequency(*k, *l).zh())))
        .collect()
}

async fn home_page(
    state: &AppState,
    user: &CurrentUser,
    errors: FormErrors,
    flash: Option<String>,
) -> PageResult<HomePage> {
    policy::require_reader(user)?;
    let today = state.clock.today();
    let db = state.db.conn();
    let open_filter = TaskFilter {
        status: Some(crate::self_inspection::domain::TaskStatus::Open),
        limit: Some(100),
        ..TaskFilter::default()
    };
    let done_filter = TaskFilter {
        status: Some(crate::self_inspection::domain::TaskStatus::Completed),
        limit: Some(30),
        ..TaskFilter::default()
    };
    let (open, _) = list::list(db, user, &open_filter, today).await?;
    let (mut done, _) = list::list(db, user, &done_filter, today).await?;
    done.sort_by_key(|t| std::cmp::Reverse(t.completed_at));
    Ok(HomePage {
        layout: Layout::new(state, user, "隐患排查", Section::SelfInspection).await?,
        manages: policy::manages(user),
        plans: plans::list(db, user, None).await?,
        open,
        done,
        kinds: options(Kind::ALL, Kind::as_str, Kind::zh),
        levels: options(Level::ALL, Level::as_str, Level::zh),
        frequencies: options(Frequency::ALL, Frequency::as_str, Frequency::zh),
        people: people(state, user).await?,
        defaults: defaults(),
        errors,
        flash,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flash {
    done: String,
}

pub async fn home(State(state): State<AppState>, PageUser(user): PageUser, Query(f): Query<Flash>) -> PageResult {
    let flash = match f.done.as_str() {
        "plan" => Some("排查计划已保存。系统将按频次生成排查任务，并通知负责人。".to_owned()),
        "retired" => Some("计划已停用，不再生成新的排查任务。".to_owned()),
        "resumed" => Some("计划已启用。".to_owned()),
        _ => None,
    };
    render(&home_page(&state, &user, FormErrors::default(), flash).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    csrf_token: String,
    kind: String,
    level: String,
    frequency: String,
    title: String,
    assignee_id: String,
}

fn parse<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.trim().parse().ok()
}

pub async fn create_plan(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(f): Form<PlanForm>,
) -> PageResult {
    user.check_csrf(&f.csrf_token)?;
    let (Some(kind), Some(level)) = (parse::<Kind>(&f.kind), parse::<Level>(&f.level)) else {
        let e = crate::error::AppError::validation("kind", "请选择排查类型和层级");
        return render(&home_page(&state, &user, FormErrors::from_error(&e), None).await?);
    };
    let req = CreatePlanRequest {
        enterprise_id: None,
        kind,
        level,
        frequency: parse(&f.frequency),
        title: Some(f.title.trim().to_owned()).filter(|t| !t.is_empty()),
        item_codes: Vec::new(),
        assignee_id: parse(&f.assignee_id),
    };
    match state.write(user.actor(), async |tx| plans::create(tx, &user, &req).await).await {
        Ok(_) => Ok(see_other("/self-inspection?done=plan")),
        Err(e @ crate::error::AppError::Validation(_)) => {
            render(&home_page(&state, &user, FormErrors::from_error(&e), None).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ToggleForm {
    csrf_token: String,
    active: String,
}

pub async fn toggle_plan(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(f): Form<ToggleForm>,
) -> PageResult {
    user.check_csrf(&f.csrf_token)?;
    let active = f.active == "true";
    let req = UpdatePlanRequest { active: Some(active), ..UpdatePlanRequest::default() };
    state.write(user.actor(), async |tx| plans::update(tx, &user, id, &req).await).await?;
    Ok(see_other(if active { "/self-inspection?done=resumed" } else { "/self-inspection?done=retired" }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TaskForm {
    csrf_token: String,
    kind: String,
    title: String,
    due_on: String,
    assignee_id: String,
}

pub async fn create_task(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(f): Form<TaskForm>,
) -> PageResult {
    user.check_csrf(&f.csrf_token)?;
    let (Some(kind), Some(due_on)) = (parse::<Kind>(&f.kind), parse(&f.due_on)) else {
        let e = crate::error::AppError::validation("due_on", "请选择排查类型并填写完成期限（YYYY-MM-DD）");
        return render(&home_page(&state, &user, FormErrors::from_error(&e), None).await?);
    };
    let req = CreateTaskRequest {
        enterprise_id: None,
        kind,
        title: Some(f.title.trim().to_owned()).filter(|t| !t.is_empty()),
        due_on,
        item_codes: Vec::new(),
        assignee_id: parse(&f.assignee_id),
    };
    match state.write(user.actor(), async |tx| generate::ad_hoc(tx, &user, &req).await).await {
        Ok(t) => Ok(see_other(&format!("/self-inspection/tasks/{}", t.id))),
        Err(e @ crate::error::AppError::Validation(_)) => {
            render(&home_page(&state, &user, FormErrors::from_error(&e), None).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "self_inspection_overview.html")]
struct OverviewPage {
    layout: Layout,
    o: OverviewResponse,
    /// The rows' 完成率 texts, in order.
    rates: Vec<String>,
    warning: bool,
    page: u64,
    pages: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OverviewForm {
    from: String,
    to: String,
    warning: String,
    page: String,
}

/// 完成率 as shown: `75.0%`, or `—` when nothing was due.
fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{r:.1}%"))
}

pub async fn overview_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(f): Query<OverviewForm>,
) -> PageResult {
    const PER_PAGE: u64 = 50;
    let page = super::page::page_number(&f.page);
    let warning = f.warning == "true";
    let q = OverviewQuery {
        from: parse(&f.from),
        to: parse(&f.to),
        warning: warning.then_some(true),
        limit: Some(PER_PAGE),
        offset: Some((page - 1) * PER_PAGE),
    };
    let o = overview::overview(state.db.conn(), &user, &q, state.clock.today()).await?;
    let pages = o.total.div_ceil(PER_PAGE).max(1);
    let layout = Layout::new(&state, &user, "企业隐患排查情况", Section::SelfInspectionOverview).await?;
    let rates = o.items.iter().map(|r| rate(r.completion_rate)).collect();
    render(&OverviewPage { layout, o, rates, warning, page, pages })
}
