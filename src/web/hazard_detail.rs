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
pub(super) struct HazardPage {
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

pub(super) async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    failed: Option<Failed>,
) -> PageResult<HazardPage> {
    let row = service::get_visible(state.db.conn(), user, id).await?;
    let categories = super::hazard_record_pages::categories(state, &row).await?;
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
    Ok(HazardPage {
        layout: Layout::new(state, user, &format!("隐患：{}", h.title), Section::Hazards).await?,
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
        categories,
        max: MaxLengths { name: limits::NAME, short: limits::SHORT, text: limits::TEXT },
    })
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PagePath(id): PagePath<i64>) -> PageResult {
    render_with(StatusCode::OK, &page(&state, &user, id, None).await?)
}

/// The action's body from the form's fields.
fn action_request(form: &super::hazard_pages::FormData, attachment_ids: Vec<i64>) -> ActionRequest {
    let yes = |name: &str| form.get(name).map(|v| v == "true");
    let assignment = form.get("assigning_body").map(|assigning_body| crate::hazard::json::Assignment {
        assigning_body,
        assigning_bureau_id: None,
        responsible_unit: form.get("responsible_unit").unwrap_or_default(),
        responsible_person: form.get("responsible_person").unwrap_or_default(),
        supervision_level: form.get("supervision_level").unwrap_or_default(),
        notice_no: form.get("notice_no"),
        deadline: form.date("deadline").unwrap_or_default(),
    });
    let plan = form.get("measures").map(|measures| crate::hazard::json::Plan {
        measures,
        responsible_person: form.get("responsible_person").unwrap_or_default(),
        funds: form.get("funds").and_then(|f| f.parse().ok()).unwrap_or_default(),
        deadline: form.date("deadline").unwrap_or_default(),
        emergency_plan: form.get("emergency_plan").unwrap_or_default(),
    });
    ActionRequest {
        version: form.get("version").and_then(|v| v.parse().ok()),
        note: form.get("note"),
        level: form.get("level").and_then(|l| l.parse().ok()),
        outcome: form.get("outcome").and_then(|o| o.parse().ok()),
        reward: form.get("reward"),
        passed: yes("passed"),
        assignment,
        plan,
        until: form.date("until"),
        approved: yes("approved"),
        suspended: yes("suspended"),
        funds_spent: form.get("funds_spent").and_then(|f| f.parse().ok()),
        deadline: None,
        attachment_ids,
    }
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
        let photos = save_photos(&state, &user, &form.files).await.map_err(|e| e.0)?;
        let req = action_request(&form, photos);
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

/// The printable sheet for the employees' notice board (信息公示栏) of a major hazard.
pub async fn notice_sheet(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let row = service::get_visible(state.db.conn(), &user, id).await?;
    if row.level != Level::Major {
        return Err(AppError::NotFound.into());
    }
    let h = view::detail(state.db.conn(), &user, row, state.clock.today()).await?;
    let text = |v: Option<&serde_json::Value>, key: &str| {
        v.and_then(|v| v.get(key)).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned()
    };
    let sheet = NoticeSheet {
        enterprise: h.enterprise_name.clone().unwrap_or_else(|| "未登记主体".to_owned()),
        title: h.title.clone(),
        location: h.location.clone().unwrap_or_default(),
        causes: text(h.report.as_ref(), "current_state_and_causes"),
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
