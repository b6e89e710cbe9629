//! 应急预案备案 pages: the bureau's list of filings (`/emergency-plans`, filtered by
//! status and enterprise) and of the enterprises that must file and have not
//! (`/emergency-plans/unfiled`); an enterprise's plans with the filing form
//! (`/enterprises/{id}/emergency-plans`, `super::emergency_plan_forms`); one filing
//! with the forms its `allowed_actions` allow (`/emergency-plans/{id}`); the
//! printable 备案登记表 (`super::emergency_plan_print`). Reads go through the API's
//! own reads, so scope and policy are the API's.
//!
//! Decisions: the lists are for bureau users (404 for others, as in the navigation);
//! an enterprise's page is open to bureau users in scope and the enterprise's own
//! 主要负责人 and 安全管理人员.

use super::case_new_form::Typed;
use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, page_number, render_with};
use crate::auth::CurrentUser;
use crate::emergency_plan::domain::{Action, FilingStatus, PlanKind};
use crate::emergency_plan::json::{FilingFilter, FilingResponse, FilingSummary, UnfiledEnterprise};
use crate::emergency_plan::{policy, unfiled, view};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "emergency_plans.html")]
struct ListPage {
    layout: Layout,
    items: Vec<FilingSummary>,
    total: u64,
    page: u64,
    pages: u64,
    status: String,
    q: String,
    statuses: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    page: String,
    status: String,
    q: String,
    enterprise_id: String,
}

pub async fn list_page(State(state): State<AppState>, PageUser(user): PageUser, Query(s): Query<Shown>) -> PageResult {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound.into());
    }
    let page = page_number(&s.page);
    let f = FilingFilter {
        status: s.status.parse::<FilingStatus>().ok(),
        enterprise_id: s.enterprise_id.trim().parse().ok(),
        q: Some(s.q.clone()),
        page: Some(page),
    };
    let list = view::list(state.db.conn(), &user, &f).await?;
    let statuses = FilingStatus::ALL.iter().map(|s| (s.as_str(), s.zh())).collect();
    render_with(
        StatusCode::OK,
        &ListPage {
            layout: Layout::new(&state, &user, "应急预案备案", Section::EmergencyPlans).await?,
            pages: list.total.div_ceil(view::PER_PAGE).max(1),
            total: list.total,
            items: list.items,
            page,
            status: s.status,
            q: s.q,
            statuses,
        },
    )
}

#[derive(Template)]
#[template(path = "emergency_plans_unfiled.html")]
struct UnfiledPage {
    layout: Layout,
    items: Vec<UnfiledEnterprise>,
    total: u64,
    basis: String,
}

pub async fn unfiled_page(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound.into());
    }
    let u = unfiled::list(state.db.conn(), &user).await?;
    render_with(
        StatusCode::OK,
        &UnfiledPage {
            layout: Layout::new(&state, &user, "未备案应急预案的企业", Section::EmergencyPlans).await?,
            items: u.items,
            total: u.total,
            basis: u.basis,
        },
    )
}

/// A row of the filing form: one plan document of a fixed kind.
pub struct PlanRow {
    pub i: usize,
    pub kind: PlanKind,
    /// The file already filed for this kind (a returned filing), kept when no new file is chosen.
    pub kept: Option<String>,
}

#[derive(Template)]
#[template(path = "emergency_plan_enterprise.html")]
struct EnterprisePage {
    layout: Layout,
    enterprise_id: i64,
    filings: Vec<FilingSummary>,
    /// The filing form: a new filing, or the resubmission of a returned one.
    form: bool,
    returned: Option<FilingResponse>,
    rows: Vec<PlanRow>,
    typed: Typed,
    errors: FormErrors,
}

impl EnterprisePage {
    fn val(&self, field: &str) -> &str {
        self.typed.get(field)
    }

    /// Every problem of row `i`, in one line.
    fn row_errors(&self, i: usize) -> String {
        let prefix = format!("documents[{i}]");
        self.errors.all_under(&prefix).join("；")
    }
}

/// What an enterprise's plans page shows besides its records.
#[derive(Default)]
pub struct EnterpriseShown {
    pub typed: Typed,
    pub errors: FormErrors,
}

pub async fn enterprise_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    enterprise_view(&state, &user, id, EnterpriseShown::default(), StatusCode::OK).await
}

/// The returned filing of the enterprise the user may resubmit, if any.
pub async fn returned_of(state: &AppState, user: &CurrentUser, id: i64) -> Result<Option<FilingResponse>, AppError> {
    let db = state.db.conn();
    let f = FilingFilter { status: Some(FilingStatus::Returned), enterprise_id: Some(id), ..Default::default() };
    match view::list(db, user, &f).await?.items.first() {
        Some(s) => Ok(Some(view::get(db, user, s.id).await?)),
        None => Ok(None),
    }
}

/// An enterprise's plans page (with the filing form's values and problems).
pub async fn enterprise_view(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    shown: EnterpriseShown,
    status: StatusCode,
) -> PageResult {
    let db = state.db.conn();
    let e = crate::scope::get::<crate::entities::enterprise::Entity, _>(db, &user.scope, id).await?;
    if !user.is_bureau_user() && !policy::files_for(user, id) {
        return Err(AppError::NotFound.into());
    }
    let f = FilingFilter { enterprise_id: Some(id), ..Default::default() };
    let filings = view::list(db, user, &f).await?.items;
    let returned = returned_of(state, user, id).await?.filter(|r| r.allowed_actions.contains(&Action::Resubmit));
    let open = filings.iter().any(|f| f.status == FilingStatus::Submitted);
    let form = policy::files_for(user, id) && !open;
    let rows = PlanKind::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| PlanRow {
            i,
            kind: *k,
            kept: returned
                .as_ref()
                .and_then(|r| r.documents.iter().find(|d| d.kind == *k))
                .map(|d| format!("已报备文件（附件 {}）", d.attachment_id)),
        })
        .collect();
    let section = if user.is_bureau_user() { Section::EmergencyPlans } else { Section::OwnEmergencyPlans };
    render_with(
        status,
        &EnterprisePage {
            layout: Layout::new(state, user, &format!("{} · 应急预案", e.name), section).await?,
            enterprise_id: id,
            filings,
            form,
            returned,
            rows,
            typed: shown.typed,
            errors: shown.errors,
        },
    )
}

#[derive(Template)]
#[template(path = "emergency_plan_detail.html")]
struct DetailPage {
    layout: Layout,
    f: FilingResponse,
    flash: Option<&'static str>,
    may_accept: bool,
    may_return: bool,
    may_drill: bool,
    typed: Typed,
    errors: FormErrors,
}

impl DetailPage {
    fn val(&self, field: &str) -> &str {
        self.typed.get(field)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

fn flash(done: &str) -> Option<&'static str> {
    match done {
        "filed" => Some("应急预案已报备，等待应急管理部门审核。"),
        "accepted" => Some("已受理备案并生成备案登记表，企业可打印登记表。"),
        "returned" => Some("已退回企业，企业修改后可重新报备。"),
        "drill" => Some("演练已登记。"),
        _ => None,
    }
}

pub async fn detail_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(d): Query<Done>,
) -> PageResult {
    detail_view(&state, &user, id, flash(&d.done), Typed::default(), FormErrors::default(), StatusCode::OK).await
}

/// One filing's page (with a form's values and problems).
pub async fn detail_view(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    flash: Option<&'static str>,
    typed: Typed,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let f = view::get(state.db.conn(), user, id).await?;
    let section = if user.is_bureau_user() { Section::EmergencyPlans } else { Section::OwnEmergencyPlans };
    render_with(
        status,
        &DetailPage {
            layout: Layout::new(state, user, &format!("{} · 应急预案备案", f.summary.enterprise_name), section).await?,
            may_accept: f.allowed_actions.contains(&Action::Accept),
            may_return: f.allowed_actions.contains(&Action::Return),
            may_drill: f.allowed_actions.contains(&Action::RecordDrill),
            f,
            flash,
            typed,
            errors,
        },
    )
}

pub fn routes() -> axum::Router<AppState> {
    use super::emergency_plan_forms as forms;
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/emergency-plans", get(list_page))
        .route("/emergency-plans/unfiled", get(unfiled_page))
        .route("/emergency-plans/{id}", get(detail_page))
        .route("/emergency-plans/{id}/accept", post(forms::accept))
        .route("/emergency-plans/{id}/return", post(forms::return_filing))
        .route("/emergency-plans/{id}/drills", post(forms::drill))
        .route("/emergency-plans/{id}/print", get(super::emergency_plan_print::show))
        .route(
            "/enterprises/{id}/emergency-plans",
            get(enterprise_page).post(forms::file).layer(crate::upload::limit(crate::upload::LEDGER)),
        )
}
