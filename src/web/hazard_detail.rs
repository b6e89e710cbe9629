//! One hazard as a page: its fields, 交办, 方案, 双报告, photos per round,
//! timeline, and a form for each step the signed-in user may take now — the
//! most likely next one prominent, the others folded (`<details>`), each
//! button a verb, 作废 and 不予认定 asking before they are sent. After a step
//! the page says what was done and who acts next (`?done=<step>`, derived
//! from the new status: nothing is stored between the requests).

use super::hazard_pages::{days_text, read_form, save_photos};
use super::hazard_sections::{self as sections, Line, PhotoGroup};
use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, beijing, render_with, see_other};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::hazard::domain::{self, Action, Level};
use crate::hazard::json::{ActionRequest, HazardResponse};
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

/// The files a step's form carried, by what they are.
#[derive(Default)]
struct StepFiles {
    photos: Vec<i64>,
    assessment_reports: Vec<i64>,
    resumption_applications: Vec<i64>,
}

/// Lines of a textarea, trimmed, blanks dropped (配合单位, 审查人员).
fn lines(form: &super::hazard_pages::FormData, name: &str) -> Vec<String> {
    form.get(name)
        .map(|t| t.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The 交办 from the assign form (present when it has a responsible unit field).
fn assignment(form: &super::hazard_pages::FormData) -> Option<crate::hazard::json::Assignment> {
    form.fields.get("responsible_unit")?;
    Some(crate::hazard::json::Assignment {
        assigned_on: form.date("assigned_on"),
        supervising_bureau_id: form.get("supervising_bureau_id").and_then(|v| v.parse().ok()),
        assigning_body: form.get("assigning_body"),
        responsible_unit: form.get("responsible_unit").unwrap_or_default(),
        responsible_person: form.get("responsible_person").unwrap_or_default(),
        cooperating_units: lines(form, "cooperating_units"),
        supervision_level: form.get("supervision_level").unwrap_or_default(),
        notice_no: form.get("notice_no"),
        deadline: form.date("deadline"),
        deadline_working_days: form.get("deadline_working_days").map(|v| v.parse().unwrap_or(0)),
        ..Default::default()
    })
}

/// The 治理方案 from the plan form; junk typed as funds is refused, never 0.
fn plan(form: &super::hazard_pages::FormData) -> Option<crate::hazard::json::Plan> {
    let measures = form.get("measures")?;
    Some(crate::hazard::json::Plan {
        goals: form.get("goals").unwrap_or_default(),
        measures,
        funds: crate::hazard::plan::page_amount(&form.get("funds").unwrap_or_default()),
        materials: form.get("materials"),
        responsible_org: form.get("responsible_org").unwrap_or_default(),
        responsible_person: form.get("responsible_person").unwrap_or_default(),
        deadline: form.date("deadline").unwrap_or_default(),
        requirements: form.get("requirements"),
        safety_measures: form.get("safety_measures").unwrap_or_default(),
        emergency_plan: form.get("emergency_plan").unwrap_or_default(),
        signed_by_principal: false,
    })
}

/// The action's body from the form's fields.
fn action_request(form: &super::hazard_pages::FormData, files: StepFiles) -> ActionRequest {
    let yes = |name: &str| form.get(name).map(|v| v == "true");
    ActionRequest {
        version: form.get("version").and_then(|v| v.parse().ok()),
        note: form.get("note"),
        level: form.get("level").and_then(|l| l.parse().ok()),
        reason: form.get("reason"),
        outcome: form.get("outcome").and_then(|o| o.parse().ok()),
        reward: form.get("reward"),
        passed: yes("passed"),
        assignment: assignment(form),
        plan: plan(form),
        until: form.date("until"),
        until_working_days: form.get("until_working_days").map(|v| v.parse().unwrap_or(0)),
        approved: yes("approved"),
        funds_spent: form.get("funds_spent").map(|f| crate::hazard::plan::page_amount(&f)),
        deadline: form.date("deadline"),
        deadline_working_days: form.get("deadline_working_days").and_then(|n| n.parse().ok()),
        rectifier_name: form.get("rectifier_name"),
        acceptor_name: form.get("acceptor_name"),
        scope_text: form.get("scope_text"),
        basis: form.get("basis"),
        assessment_report_ids: files.assessment_reports,
        resumption_application_ids: files.resumption_applications,
        reviewed_on: form.date("reviewed_on"),
        reviewers: lines(form, "reviewers"),
        opinion: form.get("opinion"),
        lift_suspension: yes("lift_suspension"),
        attachment_ids: files.photos,
    }
}

/// Stores the form's files and sorts their ids by the field they came in.
async fn save_files(
    state: &AppState,
    user: &CurrentUser,
    form: &super::hazard_pages::FormData,
) -> Result<StepFiles, AppError> {
    let ids = save_photos(state, user, &form.files).await.map_err(|e| e.0)?;
    let mut files = StepFiles::default();
    for (id, field) in ids.into_iter().zip(&form.file_fields) {
        match field.as_str() {
            "assessment_report" => files.assessment_reports.push(id),
            "resumption_application" => files.resumption_applications.push(id),
            _ => files.photos.push(id),
        }
    }
    Ok(files)
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

#[derive(Template)]
#[template(path = "hazard_notice.html")]
struct NoticeSheet {
    /// A major hazard's sheet has the 双报告's contents and the date it went to the workers' congress.
    major: bool,
    enterprise: String,
    title: String,
    location: String,
    causes: String,
    harm: String,
    plan: String,
    responsible: String,
    deadline: String,
    status: &'static str,
    congress: String,
    today: String,
}

/// The printable sheet for the employees' notice board (信息公示栏) of a
/// hazard, major or general (WSL art. 41 ¶2: hazards and their rectification
/// are notified to the employees).
pub async fn notice_sheet(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let row = service::get_visible(state.db.conn(), &user, id).await?;
    let major = row.level == Level::Major;
    let h = view::detail(state.db.conn(), &user, row, state.clock.today()).await?;
    let text = |v: Option<&serde_json::Value>, key: &str| {
        v.and_then(|v| v.get(key)).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned()
    };
    let sheet = NoticeSheet {
        major,
        enterprise: h.enterprise_name.clone().unwrap_or_else(|| "未登记主体".to_owned()),
        title: h.title.clone(),
        location: h.location.clone().unwrap_or_default(),
        causes: match text(h.report.as_ref(), "current_state_and_causes") {
            c if c.is_empty() => h.description.clone(),
            c => c,
        },
        harm: text(h.report.as_ref(), "harm_and_difficulty"),
        plan: match text(h.plan.as_ref(), "measures") {
            m if m.is_empty() => text(h.report.as_ref(), "remediation_plan"),
            m => m,
        },
        responsible: text(h.plan.as_ref(), "responsible_person"),
        deadline: h.deadline.map(|d| d.to_string()).unwrap_or_default(),
        status: h.status.zh(),
        congress: text(h.report.as_ref(), "congress_reported_on"),
        today: state.clock.today().to_string(),
    };
    render_with(StatusCode::OK, &sheet)
}
