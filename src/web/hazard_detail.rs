//! One hazard as a page: its fields, 交办, 方案, 双报告, photos per round,
//! timeline, and a form for each step the signed-in user may take now — the
//! most likely next one prominent, the others folded (`<details>`), each
//! button a verb, 作废 and 不予认定 asking before they are sent. After a step
//! the page says what was done and who acts next (`?done=<step>`, derived
//! from the new status: nothing is stored between the requests).

use super::hazard_pages::{days_text, read_form};
use super::hazard_sections::{self as sections, Line, PhotoGroup};
use super::hazard_step_form::{action_request, save_files};
use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, beijing, render_with, see_other};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::hazard::domain::{self, Action};
use crate::hazard::json::HazardResponse;
use crate::hazard::{actions, service, view};
use crate::limits;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use std::collections::HashMap;

pub struct StepView {
    pub at: String,
    pub action: String,
    pub to: &'static str,
    pub actor: String,
    pub note: String,
}

pub struct ActionForm {
    /// The action's code (form field names and the URL).
    pub code: &'static str,
    /// The button's verb (`labels::verb`).
    pub label: String,
    /// The one prominent step; the others are folded away.
    pub primary: bool,
    /// The first of the folded steps (the "其他操作" heading goes before it).
    pub first_other: bool,
    /// Unfolded: its form came back with problems.
    pub open: bool,
    /// The question asked before a step that cannot be taken back.
    pub confirm: Option<&'static str>,
}

/// The steps most likely next, in order: the first one allowed is the page's
/// primary action. Steps that undo or stop (作废, 不予认定, 重新打开, 停产停用)
/// are never primary. A submission comes before a 治理方案 so that, once
/// rectifying, handing in the work is primary and revising the plan is not.
const LIKELY_NEXT: [&str; 8] =
    ["confirm", "assign", "submit", "plan", "verify", "decide_extension", "progress", "request_extension"];

/// The forms in the order shown: the primary one first.
fn action_forms(h: &HazardResponse, failed: Option<&Failed>) -> Vec<ActionForm> {
    let allowed: Vec<&'static str> = h.allowed_actions.iter().map(|a| a.as_str()).collect();
    let primary = LIKELY_NEXT.iter().find(|c| allowed.contains(c)).copied();
    let mut order: Vec<&'static str> = primary.into_iter().collect();
    order.extend(allowed.iter().copied().filter(|c| Some(*c) != primary));
    order
        .into_iter()
        .enumerate()
        .map(|(i, code)| ActionForm {
            code,
            label: super::labels::verb(code, h.closure),
            primary: Some(code) == primary,
            first_other: Some(code) != primary && i == usize::from(primary.is_some()),
            open: failed.is_some_and(|f| f.action == code),
            confirm: super::labels::destructive(code),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "hazard.html")]
pub(super) struct HazardPage {
    layout: Layout,
    h: HazardResponse,
    status: &'static str,
    level: &'static str,
    source: &'static str,
    /// Who closes it, in words.
    closer: &'static str,
    days: String,
    /// The message after a step was taken (「已提交验收。等待企业验收」).
    flash: Option<String>,
    /// Who acts next, when this user has no step to take first.
    waiting: Option<&'static str>,
    fields: Vec<Line>,
    assignment: Vec<Line>,
    plan: Vec<Line>,
    report: Vec<Line>,
    photos: Vec<PhotoGroup>,
    /// Bureau users open the enterprise's register page from here.
    enterprise_link: bool,
    /// A 执法人员 may open a penalty case from an inspection finding or a major hazard: the link.
    case_link: Option<String>,
    steps: Vec<StepView>,
    forms: Vec<ActionForm>,
    /// The step whose form failed, with what was typed and the problems.
    failed: Option<Failed>,
    protected_source: bool,
    max: MaxLengths,
    papers: super::document_pages::Papers,
    /// The bureaus the assign form offers as supervising bureau (the user's own first).
    bureaus: Vec<(i64, String)>,
    /// A major hazard: its submission and review carry the 销号 fields.
    major: bool,
    /// Every 治理方案 version when it was revised: 第 n 版, who, when, funds.
    plan_history: Vec<String>,
    /// The correction form's categories (code, name).
    categories: Vec<(String, String)>,
}

/// A step's form that came back: its action, its fields as typed, its problems.
pub struct Failed {
    pub action: &'static str,
    pub fields: HashMap<String, String>,
    pub errors: FormErrors,
}

/// The `maxlength` of the forms' text fields (`limits`).
pub struct MaxLengths {
    pub name: usize,
    pub short: usize,
    pub text: usize,
}

impl HazardPage {
    /// What was typed into `field` when `action`'s form failed; empty otherwise.
    fn typed(&self, action: &str, field: &str) -> String {
        self.failed
            .as_ref()
            .filter(|f| f.action == action)
            .and_then(|f| f.fields.get(field).cloned())
            .unwrap_or_default()
    }

    /// The messages about `field` when `action`'s form failed; empty otherwise.
    fn error(&self, action: &str, field: &str) -> String {
        self.failed.as_ref().filter(|f| f.action == action).map(|f| f.errors.of(field)).unwrap_or_default()
    }
}

/// A timeline step in Chinese: an action, or one of the steps that are not
/// actions (the report, 立查立改, an imported row, the 双报告).
fn step_label(code: &str) -> String {
    let label = match code {
        "report" => "上报",
        "fixed_on_spot" => "立查立改",
        "import" => "由原台账导入",
        "major_report" => "重大事故隐患报告",
        "correct" => "更正记录",
        "merge" => "作为重复记录作废",
        "merged" => "合并重复记录",
        other => return other.parse::<Action>().map_or_else(|_| other.to_owned(), |a| a.zh().to_owned()),
    };
    label.to_owned()
}

/// One 治理方案 version in a line: its number, author, time and funds.
fn version_line(v: &crate::hazard::json::PlanVersion) -> String {
    let by = v.author_name.as_deref().unwrap_or("—");
    format!(
        "第 {} 版 · {by} · {} · 经费 {:.2} 元 · 时限 {}",
        v.version,
        beijing(v.created_at),
        v.plan.funds,
        v.plan.deadline
    )
}

async fn category_name(state: &AppState, code: &str) -> PageResult<String> {
    use crate::entities::hazard_category as c;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let row = c::Entity::find().filter(c::Column::Code.eq(code)).one(state.db.conn()).await.map_err(AppError::from)?;
    Ok(row.map_or_else(|| super::labels::EMPTY.to_owned(), |r| r.name))
}

/// The timeline in Chinese.
fn step_views(h: &HazardResponse) -> Vec<StepView> {
    h.timeline
        .iter()
        .map(|e| StepView {
            at: beijing(e.at),
            action: step_label(&e.action),
            to: e.to_status.zh(),
            actor: e.actor_name.clone().unwrap_or_else(|| "—".to_owned()),
            note: e.note.clone().unwrap_or_default(),
        })
        .collect()
}

pub(super) async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    failed: Option<Failed>,
    done: Option<&str>,
) -> PageResult<HazardPage> {
    let row = service::get_visible(state.db.conn(), user, id).await?;
    let papers = super::document_pages::papers(state, user, &row).await?;
    let categories = super::hazard_record_pages::categories(state, &row).await?;
    let h = view::detail(state.db.conn(), user, row, state.clock.today()).await?;
    // The forms are the policy's: exactly the steps the API would accept.
    let forms = action_forms(&h, failed.as_ref());
    let steps = step_views(&h);
    let bureaus = if h.allowed_actions.contains(&Action::Assign) {
        crate::bureau::visible(state, user).await?.into_iter().map(|b| (b.id, b.name)).collect()
    } else {
        Vec::new()
    };
    let plan_history = if h.plan_versions > 1 {
        let versions = crate::hazard::plan::list(state.db.conn(), user, id).await?;
        versions.iter().map(version_line).collect()
    } else {
        Vec::new()
    };
    let flash = done.filter(|_| failed.is_none()).map(|code| {
        let what = if code == "report" { "上报".to_owned() } else { super::labels::verb(code, h.closure) };
        format!("已{what}。{}", super::labels::next_step(h.status, h.closure))
    });
    let category = category_name(state, &h.category).await?;
    Ok(HazardPage {
        layout: Layout::new(state, user, &format!("隐患：{}", h.title), Section::Hazards).await?,
        bureaus,
        plan_history,
        major: h.closure == domain::Closure::Major,
        status: h.status.zh(),
        level: h.level.zh(),
        source: h.source.zh(),
        closer: super::labels::closer(h.closure),
        days: days_text(h.days_left),
        flash,
        waiting: (!forms.iter().any(|f| f.primary)).then(|| super::labels::next_step(h.status, h.closure)),
        fields: sections::fields(&h, &category),
        assignment: sections::assignment_lines(&h),
        plan: sections::plan_lines(&h),
        report: sections::lines(h.report.as_ref()),
        photos: sections::photo_groups(&h.attachments),
        enterprise_link: user.is_bureau_user() && h.enterprise_id.is_some(),
        case_link: (crate::case::policy::may_open(user)
            && h.enterprise_id.is_some()
            && (h.source == domain::Source::Inspection || h.level == domain::Level::Major))
            .then(|| format!("/cases/new?hazard_id={}", h.id)),
        protected_source: domain::protects_reporter(h.source),
        h,
        steps,
        forms,
        failed,
        categories,
        max: MaxLengths { name: limits::NAME, short: limits::SHORT, text: limits::TEXT },
        papers,
    })
}

/// `?done=<step>` after a step was taken: the page says so and who acts next.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let done = Some(q.done.as_str()).filter(|d| *d == "report" || d.parse::<Action>().is_ok());
    render_with(StatusCode::OK, &page(&state, &user, id, None, done).await?)
}

pub async fn act(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, action)): PagePath<(i64, String)>,
    form: Multipart,
) -> PageResult {
    let _turn = state.gates.photos.enter().await?;
    let form = read_form(form).await?;
    user.check_csrf(&form.get("csrf_token").unwrap_or_default())?;
    let action: Action = action.parse().map_err(|_| AppError::NotFound)?;
    let outcome = async {
        let files = save_files(&state, &user, &form).await?;
        let req = action_request(&form, files);
        state.write(user.actor(), async |tx| actions::act(tx, &user, id, action, &req).await).await
    }
    .await;
    match outcome {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done={}", action.as_str()))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let failed = Failed { action: action.as_str(), fields: form.fields, errors: FormErrors::from_error(&e) };
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &user, id, Some(failed), None).await?)
        }
        Err(e) => Err(e.into()),
    }
}
