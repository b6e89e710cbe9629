//! One hazard as a page: its fields, photos, timeline, and a form for each
//! step the signed-in user may take now.

use super::hazard_pages::{days_text, read_form, save_photos};
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
use axum::extract::{Multipart, State};
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
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "hazard.html")]
struct HazardPage {
    layout: Layout,
    h: HazardResponse,
    status: &'static str,
    level: &'static str,
    source: &'static str,
    closure: &'static str,
    days: String,
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
    /// The 交办 in one line, if assigned.
    assignment: Option<String>,
    /// The latest 治理方案 in one line (empty: none).
    plan_text: String,
    /// Every 治理方案 version when it was revised: 第 n 版, who, when, funds.
    plan_history: Vec<String>,
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
        other => return other.parse::<Action>().map_or_else(|_| other.to_owned(), |a| a.zh().to_owned()),
    };
    label.to_owned()
}

/// A 交办 in one line of Chinese.
fn assignment_text(a: &crate::hazard::json::Assignment) -> String {
    let level = a.supervision_level.parse::<domain::SupervisionLevel>().map_or("", |l| l.zh());
    let on = a.assigned_on.map(|d| d.to_string()).unwrap_or_default();
    let by = a.supervising_bureau_name.as_deref().or(a.assigning_body.as_deref()).unwrap_or("—");
    let notice = a.notice_no.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
    let units = if a.cooperating_units.is_empty() {
        String::new()
    } else {
        format!("；配合单位 {}", a.cooperating_units.join("、"))
    };
    format!("{on} {by}（{level}）{notice}；责任单位 {}，责任人 {}{units}", a.responsible_unit, a.responsible_person)
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

/// The latest 治理方案 in one line of Chinese.
fn plan_text(p: &crate::hazard::json::Plan, versions: i64) -> String {
    let signed = if p.signed_by_principal { "主要负责人已签字确认" } else { "未经主要负责人签字" };
    format!(
        "第 {versions} 版（{signed}）：目标 {}；措施 {}；经费 {:.2} 元；负责 {} {}；时限 {}；安全措施 {}；应急预案 {}",
        p.goals,
        p.measures,
        p.funds,
        p.responsible_org,
        p.responsible_person,
        p.deadline,
        p.safety_measures,
        p.emergency_plan
    )
}

async fn page(state: &AppState, user: &CurrentUser, id: i64, failed: Option<Failed>) -> PageResult<HazardPage> {
    let row = service::get_visible(state.db.conn(), user, id).await?;
    let papers = super::document_pages::papers(state, user, &row).await?;
    let h = view::detail(state.db.conn(), user, row, state.clock.today()).await?;
    // The forms are the policy's: exactly the steps the API would accept.
    let forms = h.allowed_actions.iter().map(|a| ActionForm { code: a.as_str(), label: a.zh() }).collect();
    let steps = h
        .timeline
        .iter()
        .map(|e| StepView {
            at: beijing(e.at),
            action: step_label(&e.action),
            to: e.to_status.zh(),
            actor: e.actor_name.clone().unwrap_or_else(|| "—".to_owned()),
            note: e.note.clone().unwrap_or_default(),
        })
        .collect();
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
    Ok(HazardPage {
        layout: Layout::new(state, user, &format!("隐患：{}", h.title), Section::Hazards).await?,
        bureaus,
        plan_history,
        assignment: h.assignment.clone().and_then(|v| serde_json::from_value(v).ok()).map(|a| assignment_text(&a)),
        plan_text: h
            .plan
            .clone()
            .and_then(|v| serde_json::from_value(v).ok())
            .map(|p| plan_text(&p, h.plan_versions))
            .unwrap_or_default(),
        major: h.closure == domain::Closure::Major,
        status: h.status.zh(),
        level: h.level.zh(),
        source: h.source.zh(),
        closure: h.closure.zh(),
        days: days_text(h.days_left),
        protected_source: domain::protects_reporter(h.source),
        h,
        steps,
        forms,
        failed,
        max: MaxLengths { name: limits::NAME, short: limits::SHORT, text: limits::TEXT },
        papers,
    })
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PagePath(id): PagePath<i64>) -> PageResult {
    render_with(StatusCode::OK, &page(&state, &user, id, None).await?)
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
        Ok(_) => Ok(see_other(&format!("/hazards/{id}"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let failed = Failed { action: action.as_str(), fields: form.fields, errors: FormErrors::from_error(&e) };
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &user, id, Some(failed)).await?)
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
