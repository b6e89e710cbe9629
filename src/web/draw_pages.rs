//! The double-random draw's pages (双随机抽查, zh-CN) for regulators and approvers:
//! the bureau's draws (`/draws`), a draw (`/draws/{id}`: committed — the frozen
//! pools' sizes and hashes, the commitment, the ineligible list and the execute
//! form; executed — the seed, the secret, the teams and their inspections, approving
//! them all, the proof and the public page, a redraw), and the forms' posts. The
//! commit form is in `draw_new`. They call the draw's use cases (`draw::service`).
//!
//! Decisions: regulators and approvers of the drawing bureau or one above see a
//! draw (the navigation's rule); others get the 404 page. The forms shown are the
//! draw policy's allowed actions (`draw::policy::available`). 批准全部待审批检查
//! approves what may be approved and lists those left pending with the reason (over
//! the yearly cap, the approver on the team), each to be handled on its inspection's
//! page. A wrong secret re-renders the page with the error beside the field and what
//! was typed kept (422).

use super::draw_view::{self, INELIGIBLE_SHOWN, Pool, TASKS_PER_PAGE, TaskRow};
use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, page_number, render, render_with, see_other};
use crate::auth::{CurrentUser, Role};
use crate::draw::domain::{SecretMode, Status};
use crate::draw::json::ExecuteDraw;
use crate::draw::policy::Action;
use crate::draw::{approve, policy, service};
use crate::entities::draw;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Router};
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder, QuerySelect};
use serde::Deserialize;

const PER_PAGE: u64 = 50;

/// Who works with draws: bureau regulators and approvers (the navigation's rule too).
pub fn sees_draws(user: &CurrentUser) -> bool {
    user.is_bureau_user() && (user.has(Role::Regulator) || user.has(Role::Approver))
}

fn gate(user: &CurrentUser) -> Result<(), AppError> {
    if sees_draws(user) { Ok(()) } else { Err(AppError::NotFound) }
}

#[derive(Template)]
#[template(path = "draws.html")]
struct ListPage {
    layout: Layout,
    items: Vec<draw::Model>,
    total: u64,
    page: u64,
    pages: u64,
    may_commit: bool,
}

impl ListPage {
    fn committed(d: &draw::Model) -> String {
        super::page::beijing(d.committed_at)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    page: String,
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<ListQuery>) -> PageResult {
    gate(&user)?;
    let db = state.db.conn();
    let query = crate::scope::scoped(draw::Entity::find(), &user.scope);
    let total = query.clone().count(db).await.map_err(AppError::from)?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page_number(&q.page).min(pages);
    let items = query
        .order_by_desc(draw::Column::CommittedAt)
        .order_by_desc(draw::Column::Id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(db)
        .await
        .map_err(AppError::from)?;
    let layout = Layout::new(&state, &user, "双随机抽查", Section::Draws).await?;
    render(&ListPage { layout, items, total, page, pages, may_commit: user.has(Role::Regulator) })
}

#[derive(Template)]
#[template(path = "draw.html")]
struct DetailPage {
    layout: Layout,
    d: draw::Model,
    pool: Pool,
    tasks: Vec<TaskRow>,
    task_total: u64,
    page: u64,
    pages: u64,
    pending: u64,
    may_execute: bool,
    may_approve: bool,
    may_redraw: bool,
    errors: FormErrors,
    typed: ExecuteForm,
    flash: Option<String>,
    left: Vec<String>,
    ineligible_shown: usize,
}

impl DetailPage {
    fn regulator_holds(&self) -> bool {
        self.d.secret_mode == SecretMode::Regulator
    }
    fn waiting(&self) -> bool {
        self.d.status == Status::Committed
    }
    fn executed(&self) -> bool {
        self.d.status == Status::Executed || self.d.seed.is_some()
    }
    fn committed_at(d: &draw::Model) -> String {
        super::page::beijing(d.committed_at)
    }
    fn executed_at(d: &draw::Model) -> String {
        d.executed_at.map_or_else(|| "—".to_owned(), super::page::beijing)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DetailQuery {
    page: String,
    done: String,
    n: String,
}

fn flash(q: &DetailQuery) -> Option<String> {
    let n = q.n.parse::<u64>().unwrap_or(0);
    match q.done.as_str() {
        "committed" => Some("名录已固定，承诺值已记录。请在抽取时输入密钥（如由您保管）。".to_owned()),
        "executed" => Some("抽取完成，已为每组生成待审批的双随机抽查。".to_owned()),
        "approved" => Some(format!("已批准 {n} 项检查，文书文号已预留。")),
        _ => None,
    }
}

struct Extra {
    errors: FormErrors,
    typed: ExecuteForm,
    flash: Option<String>,
    left: Vec<String>,
}

async fn detail(state: &AppState, user: &CurrentUser, id: i64, page: u64, extra: Extra) -> PageResult<DetailPage> {
    let db = state.db.conn();
    let d = service::get_visible(db, user, id).await?;
    let pool = draw_view::pool(db, &d).await?;
    let pages = draw_view::task_count(db, d.id).await?.div_ceil(TASKS_PER_PAGE).max(1);
    let (tasks, task_total) = draw_view::tasks(db, d.id, page.min(pages)).await?;
    let (actor, record) = service::judge(db, user, &d).await?;
    let actions = policy::available(&actor, record);
    let layout = Layout::new(state, user, &format!("双随机抽查 · {}", d.title), Section::Draws).await?;
    Ok(DetailPage {
        layout,
        may_execute: actions.contains(&Action::Execute),
        may_approve: actions.contains(&Action::Approve),
        may_redraw: actions.contains(&Action::Redraw),
        pending: record.pending,
        d,
        pool,
        tasks,
        task_total,
        page: page.min(pages),
        pages,
        errors: extra.errors,
        typed: extra.typed,
        flash: extra.flash,
        left: extra.left,
        ineligible_shown: INELIGIBLE_SHOWN,
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(q): Query<DetailQuery>,
) -> PageResult {
    gate(&user)?;
    let extra = Extra { errors: FormErrors::default(), typed: ExecuteForm::default(), flash: flash(&q), left: vec![] };
    render(&detail(&state, &user, id, page_number(&q.page), extra).await?)
}

/// The execute form as typed (kept when it comes back).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExecuteForm {
    csrf_token: String,
    secret: String,
    public_entropy: String,
}

fn some(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

pub async fn execute(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<ExecuteForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    gate(&user)?;
    let req = ExecuteDraw { secret: some(&form.secret), public_entropy: some(&form.public_entropy) };
    let r = state.write(user.actor(), async |tx| service::execute(tx, &user, id, &req).await).await;
    match r {
        Ok(_) => Ok(see_other(&format!("/draws/{id}?done=executed"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. } | AppError::Unprocessable { .. })) => {
            let extra = Extra { errors: about_secret(e), typed: form, flash: None, left: vec![] };
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &detail(&state, &user, id, 1, extra).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// A refusal about the secret (it does not match the commitment) is shown beside its field.
fn about_secret(e: AppError) -> FormErrors {
    match e {
        AppError::Conflict { code, message } | AppError::Unprocessable { code, message }
            if code.contains("secret") || code.contains("commitment") =>
        {
            FormErrors::from_error(&AppError::validation("secret", &message))
        }
        e => FormErrors::from_error(&e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    csrf_token: String,
}

/// 批准全部待审批检查: the draw's use case; those it leaves pending are listed with the reason.
pub async fn approve_all(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<TokenForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    gate(&user)?;
    let r = state.write(user.actor(), async |tx| approve::approve_all(tx, &user, id).await).await?;
    if r.not_approved_count == 0 {
        return Ok(see_other(&format!("/draws/{id}?done=approved&n={}", r.approved)));
    }
    let flash =
        Some(format!("已批准 {} 项检查；以下 {} 项未批准，请在各检查页面逐项处理：", r.approved, r.not_approved_count));
    let left = r.not_approved.iter().map(|n| format!("检查 {}：{}", n.inspection_id, n.reason)).collect();
    let extra = Extra { errors: FormErrors::default(), typed: ExecuteForm::default(), flash, left };
    render(&detail(&state, &user, id, 1, extra).await?)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/draws", get(list))
        .route("/draws/{id}", get(show))
        .route("/draws/{id}/execute", post(execute))
        .route("/draws/{id}/approve-all", post(approve_all))
        .merge(super::draw_new::routes())
}
