//! The regulator's page of a draw's results (结果录入与公开, `/draws/{id}/results`):
//! each task with its inspection status, the category picker (the suggestion
//! preselected), the note and 保存; the publication deadline with late ones
//! highlighted; 公开 and the xlsx link. The same use cases as the API.
//!
//! Decisions: a save or a publication lands back on the page with a message
//! (`?saved=` / `?published=`); a refusal (state, role) re-renders the page with the
//! problem above the table; the picker offers every category and the register
//! status for 已关闭或停产 (停产 or 关闭).

use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, render, see_other};
use crate::draw::domain::TaskResult;
use crate::draw::results::{self, SetResult, TaskView};
use crate::enterprise::domain::EnterpriseStatus;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub struct Row {
    pub t: TaskView,
    pub status: String,
    /// The category the picker starts on (recorded, else suggested).
    pub chosen: Option<TaskResult>,
    pub published: String,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "draw_results.html")]
struct ResultsPage {
    layout: Layout,
    draw_id: i64,
    draw_title: String,
    rows: Vec<Row>,
    categories: &'static [TaskResult],
    working_days: u32,
    verified: bool,
    may_publish: bool,
    unpublished: usize,
    late: usize,
    flash: Option<String>,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    saved: String,
    published: String,
}

fn row(t: TaskView) -> Row {
    Row {
        status: t.inspection_status.map_or_else(|| "未配备执法人员".to_owned(), |s| s.zh().to_owned()),
        chosen: t.result.or(t.suggested),
        published: results_day(t.published_at),
        deadline: t.publish_by.map_or_else(|| "—".to_owned(), |d| d.to_string()),
        t,
    }
}

fn results_day(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map_or_else(|| "未公开".to_owned(), |a| crate::clock::china_date(a).to_string())
}

async fn page(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: i64,
    flash: Option<String>,
    e: &AppError,
) -> PageResult {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden.into());
    }
    let d = crate::draw::service::get_visible(state.db.conn(), user, id).await?;
    let views = crate::draw::results_list::task_views(state.db.conn(), &d, state.clock.today()).await?;
    let unpublished = views.iter().filter(|v| v.result.is_some() && v.published_at.is_none()).count();
    let late = views.iter().filter(|v| v.late).count();
    let rule = crate::draw::publish::rule();
    let layout = Layout::new(state, user, "结果录入与公开", Section::Draws).await?;
    render(&ResultsPage {
        layout,
        draw_id: d.id,
        draw_title: d.title.clone(),
        rows: views.into_iter().map(row).collect(),
        categories: TaskResult::ALL,
        working_days: rule.working_days,
        verified: rule.verified,
        may_publish: results::is_drawing_regulator(user, &d),
        unpublished,
        late,
        flash,
        errors: FormErrors::from_error(e),
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(done): Query<Done>,
) -> PageResult {
    let flash = if !done.saved.is_empty() {
        Some("抽查结果已保存。".to_owned())
    } else if let Ok(n) = done.published.parse::<usize>() {
        Some(format!("已公开 {n} 条抽查结果。"))
    } else {
        None
    };
    page(&state, &user, id, flash, &AppError::Validation(crate::error::FieldErrors::default())).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResultForm {
    csrf_token: String,
    result: String,
    note: String,
    register_status: String,
}

pub async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, task)): PagePath<(i64, i64)>,
    Form(f): Form<ResultForm>,
) -> PageResult {
    user.check_csrf(&f.csrf_token)?;
    let Ok(result) = f.result.parse::<TaskResult>() else {
        return page(&state, &user, id, None, &AppError::validation("result", "请选择抽查结果")).await;
    };
    let register_status = match (result, f.register_status.as_str()) {
        (TaskResult::ClosedOrSuspended, "closed") => Some(EnterpriseStatus::Closed),
        _ => None,
    };
    let req = SetResult { result, note: Some(f.note), register_status };
    let out = state.write(user.actor(), async |tx| results::set(tx, &user, task, &req).await).await;
    match out {
        Ok(_) => Ok(see_other(&format!("/draws/{id}/results?saved=1#task-{task}"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. } | AppError::ForbiddenBecause(_))) => {
            page(&state, &user, id, None, &e).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PublishForm {
    csrf_token: String,
}

pub async fn publish(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(f): Form<PublishForm>,
) -> PageResult {
    user.check_csrf(&f.csrf_token)?;
    let out = state.write(user.actor(), async |tx| crate::draw::publish::publish(tx, &user, id).await).await;
    match out {
        Ok(rows) => Ok(see_other(&format!("/draws/{id}/results?published={}", rows.len()))),
        Err(e @ AppError::Conflict { .. }) => page(&state, &user, id, None, &e).await,
        Err(e) => Err(e.into()),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/draws/{id}/results", get(show))
        .route("/draws/{id}/results/{task}", post(save))
        .route("/draws/{id}/results/publish", post(publish))
}
